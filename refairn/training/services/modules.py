"""Writes for training: modules, their PDF files and agents' progress (PRODUCT.md §3).

The completion rules are ``training.domain``'s; this layer checks who may act, loads and locks
the rows the rules need, translates rule violations into API errors and records the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max

from refairn.core import clock, events
from refairn.core.errors import Conflict, Forbidden, InvalidInput, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.training import domain
from refairn.training.domain import ContentStatus, Format
from refairn.training.events import TrainingProgressed
from refairn.training.models import FaqItem, Module, ModuleProgress, TextSection, Track
from refairn.training.selectors import (
    computed_state,
    faq_item_ids,
    has_training_access,
    progress_state,
    stored_intervals,
    text_sections,
)
from refairn.training.selectors.modules import MODULE_ORDER

MAX_PDF_BYTES = 20 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"

# Which optional body fields belong to which format, on creation and on progress.
MODULE_FIELDS: Mapping[Format, frozenset[str]] = {
    Format.VIDEO: frozenset({"duration_seconds", "video_url"}),
    Format.PDF: frozenset(),
    Format.TEXT: frozenset({"sections"}),
    Format.DEMO_SCRIPT: frozenset({"script", "practice_runs_required"}),
    Format.FAQ: frozenset({"items"}),
}
MODULE_REQUIRED_FIELDS: Mapping[Format, frozenset[str]] = {
    Format.VIDEO: frozenset({"duration_seconds"}),
    Format.PDF: frozenset(),
    Format.TEXT: frozenset({"sections"}),
    Format.DEMO_SCRIPT: frozenset({"script"}),
    Format.FAQ: frozenset({"items"}),
}
PROGRESS_FIELDS: Mapping[Format, frozenset[str]] = {
    Format.VIDEO: frozenset({"watched"}),
    Format.PDF: frozenset(),
    Format.TEXT: frozenset({"section_id", "quiz_choice_index"}),
    Format.DEMO_SCRIPT: frozenset({"practice_run"}),
    Format.FAQ: frozenset({"reviewed_item_ids"}),
}
PROGRESS_REQUIRED_FIELDS: Mapping[Format, frozenset[str]] = {
    Format.VIDEO: frozenset({"watched"}),
    Format.PDF: frozenset(),
    Format.TEXT: frozenset({"section_id"}),
    Format.DEMO_SCRIPT: frozenset({"practice_run"}),
    Format.FAQ: frozenset({"reviewed_item_ids"}),
}

# Order violations are a state of the agent's progress (409); the rest are bad input (422).
_RULE_STATUS_FIELD: Mapping[str, tuple[int, str]] = {
    "section_out_of_order": (409, "section_id"),
    "unknown_section": (422, "section_id"),
    "quiz_answer_required": (422, "quiz_choice_index"),
    "quiz_answer_wrong": (422, "quiz_choice_index"),
    "unknown_item": (422, "reviewed_item_ids"),
    "invalid_interval": (422, "watched"),
}


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _check_format_fields(
    fmt: Format,
    values: Mapping[str, Any],
    allowed: Mapping[Format, frozenset[str]],
    required: Mapping[Format, frozenset[str]],
) -> None:
    """422 naming every field that belongs to another format or that this format needs."""
    sent = {name for name, value in values.items() if value is not None}
    fields = {name: f"does not apply to {fmt} modules" for name in sorted(sent - allowed[fmt])}
    fields |= {name: f"is required for {fmt} modules" for name in sorted(required[fmt] - sent)}
    if fields:
        raise InvalidInput(
            "; ".join(f"{name}: {message}" for name, message in fields.items()), fields=fields
        )


def _rule_error(exc: domain.TrainingRuleViolation) -> Conflict | InvalidInput:
    status, field = _RULE_STATUS_FIELD.get(exc.code, (422, "body"))
    if status == 409:
        return Conflict(exc.detail, code=exc.code)
    return InvalidInput(exc.detail, code=exc.code, fields={field: exc.detail})


def _valid_url(url: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise field_error("video_url", "must be an http(s) URL") from None
    return url


@transaction.atomic
def module_create(
    *,
    actor: Actor,
    track: Track,
    title: str,
    format: Format,
    required: bool = True,
    description: str = "",
    estimated_hours: Decimal | None = None,
    position: int | None = None,
    duration_seconds: int | None = None,
    video_url: str | None = None,
    sections: Sequence[Mapping[str, Any]] | None = None,
    script: str | None = None,
    practice_runs_required: int | None = None,
    items: Sequence[Mapping[str, Any]] | None = None,
    status: str = ContentStatus.PUBLISHED,
) -> Module:
    """PRODUCT.md §3: a module has a format, a required flag, an order and estimated hours, plus
    what its format needs (a video's duration, a text's ordered sections with their quizzes, a
    demo script and its practice runs, a FAQ's items). A PDF's file comes separately
    (``module_file_upload``). Without a position the module goes after the last one."""
    actor.require(*ADMIN_ROLES)
    fmt = Format(format)
    _check_format_fields(
        fmt,
        {
            "duration_seconds": duration_seconds,
            "video_url": video_url,
            "sections": sections,
            "script": script,
            "practice_runs_required": practice_runs_required,
            "items": items,
        },
        MODULE_FIELDS,
        MODULE_REQUIRED_FIELDS,
    )
    title = title.strip()
    if not title:
        raise field_error("title", "must not be blank")
    if video_url:
        video_url = _valid_url(video_url.strip())
    # The track row lock serialises creations, so two modules added at once get distinct
    # default positions.
    track = Track.objects.select_for_update().get(pk=track.pk)
    if position is None:
        last = Module.objects.filter(track=track).aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    module = Module.objects.create(
        business_id=track.business_id,
        track=track,
        title=title,
        description=description.strip(),
        format=fmt,
        required=required,
        position=position,
        estimated_hours=estimated_hours,
        duration_seconds=duration_seconds,
        video_url=video_url or "",
        script=script or "",
        practice_runs_required=practice_runs_required or 1,
        status=ContentStatus(status),
    )
    TextSection.objects.bulk_create(
        TextSection(
            module=module,
            position=index,
            title=section["title"],
            body=section["body"],
            quiz_prompt=section["quiz"]["prompt"] if section.get("quiz") else "",
            quiz_choices=(
                [
                    {"text": choice["text"], "correct": bool(choice["correct"])}
                    for choice in section["quiz"]["choices"]
                ]
                if section.get("quiz")
                else []
            ),
        )
        for index, section in enumerate(sections or [])
    )
    FaqItem.objects.bulk_create(
        FaqItem(module=module, position=index, question=item["question"], answer=item["answer"])
        for index, item in enumerate(items or [])
    )
    return module


# Module fields a PATCH may change, and those that apply to one format only.
_PATCHABLE = frozenset(
    {
        "title",
        "description",
        "required",
        "estimated_hours",
        "position",
        "duration_seconds",
        "video_url",
    }
)
_VIDEO_ONLY = frozenset({"duration_seconds", "video_url"})


@transaction.atomic
def module_update(*, actor: Actor, module: Module, changes: Mapping[str, Any]) -> Module:
    """Issue 12 item 5: a module stays editable once published (its title, description,
    required flag, estimated hours, position, a video's duration and address). Only the fields
    in ``changes`` change; ``null`` clears ``estimated_hours`` and is refused elsewhere."""
    actor.require(*ADMIN_ROLES)
    module = Module.objects.select_for_update().get(pk=module.pk)
    values = dict(changes)
    unknown = sorted(values.keys() - _PATCHABLE)
    if unknown:
        raise field_error(unknown[0], "cannot be changed")
    for key, value in values.items():
        if value is None and key != "estimated_hours":
            raise field_error(key, "must not be null")
    if module.format != Format.VIDEO:
        for key in sorted(values.keys() & _VIDEO_ONLY):
            raise field_error(key, f"does not apply to {module.format} modules")
    if "title" in values:
        values["title"] = values["title"].strip()
        if not values["title"]:
            raise field_error("title", "must not be blank")
    if "description" in values:
        values["description"] = values["description"].strip()
    if values.get("video_url"):
        values["video_url"] = _valid_url(values["video_url"].strip())
    for key, value in values.items():
        setattr(module, key, value)
    if values:
        module.save(update_fields=list(values))
    return module


@transaction.atomic
def module_transition(*, actor: Actor, module: Module, action: str) -> Module:
    """Issue 12 item 5: publish or archive a module (``domain.lifecycle``); an illegal move is
    409 ``invalid_transition``. Only published modules are shown to agents and count as
    required."""
    actor.require(*ADMIN_ROLES)
    module = Module.objects.select_for_update().get(pk=module.pk)
    if action == domain.LifecycleAction.PUBLISH and module.format == Format.PDF and not module.file:
        raise Conflict("Upload the PDF before publishing this module.", code="file_missing")
    try:
        module.status = domain.next_status(module.status, action)
    except domain.TrainingRuleViolation as exc:
        raise Conflict(exc.detail, code=exc.code) from None
    module.save(update_fields=["status"])
    return module


@transaction.atomic
def module_file_upload(*, actor: Actor, module: Module, body: Readable) -> Module:
    """PRODUCT.md §3: a ``pdf`` module's document, uploaded as raw bytes. Only a PDF (by its
    ``%PDF-`` signature) of at most 20 MB is kept; a new upload replaces the old file, which is
    deleted once the change is committed."""
    actor.require(*ADMIN_ROLES)
    if module.format != Format.PDF:
        raise Conflict(
            f"Only pdf modules take a file; this one is {module.format}.", code="wrong_format"
        )
    # Read one byte past the limit, never the whole of an oversized body.
    content = body.read(MAX_PDF_BYTES + 1)
    if not content:
        raise InvalidInput("The body is empty: send the PDF's bytes.", code="file_empty")
    if len(content) > MAX_PDF_BYTES:
        raise InvalidInput(
            f"The PDF is larger than the limit of {MAX_PDF_BYTES // (1024 * 1024)} MB.",
            code="file_too_large",
            extra={"max_bytes": MAX_PDF_BYTES},
        )
    if not content.startswith(PDF_SIGNATURE):
        raise InvalidInput("The body is not a PDF (it must start with %PDF-).", code="invalid_pdf")
    module = Module.objects.select_for_update().get(pk=module.pk)
    old_name = module.file.name
    module.file.save(f"{module.id}.pdf", ContentFile(content), save=False)
    module.save(update_fields=["file"])
    if old_name and old_name != module.file.name:
        storage = module.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return module


def _no_training_access() -> Forbidden:
    return Forbidden(
        "Training is not open to you: it opens with support access (request it) or when the "
        "business opens training to every agent.",
        code="no_training_access",
    )


def _require_training_access(actor: Actor, module: Module) -> None:
    if not actor.has(Role.AGENT):
        raise Forbidden("Only agents record training progress.")
    if not has_training_access(actor, module.business):
        raise _no_training_access()


def _progress_row(actor: Actor, module: Module) -> ModuleProgress:
    """The agent's progress in ``module``, created on first use and locked: the read decides the
    write, and the same agent may report from two tabs at once."""
    row, _ = ModuleProgress.objects.select_for_update().get_or_create(
        module=module, agent_id=actor.user_id, defaults={"business_id": module.business_id}
    )
    return row


@transaction.atomic
def module_open(*, actor: Actor, module: Module) -> ModuleProgress:
    """Issue 11 item 7: the agent opens a module (its page, or ``POST /modules/{m}/open``).
    The first opening is kept as the progress row's ``started_at``: a video's watched time is
    measured against it. Opening again changes nothing; a first progress report without an
    opening opens the module at that moment."""
    _require_training_access(actor, module)
    row, _ = ModuleProgress.objects.get_or_create(
        module=module, agent_id=actor.user_id, defaults={"business_id": module.business_id}
    )
    return row


def _record(
    actor: Actor, module: Module, row: ModuleProgress, fields: list[str]
) -> domain.ModuleProgress:
    """Save the progress, set ``completed_at`` the first time the rules say complete (it is
    never unset), and announce it (PRODUCT.md §5: the first module started starts the track's
    certification)."""
    now = clock.now()
    if row.completed_at is None and computed_state(module, row).completed:
        row.completed_at = now
        fields.append("completed_at")
    if fields:
        row.save(update_fields=fields)
    events.publish(
        TrainingProgressed(
            business_id=module.business_id,
            track_id=module.track_id,
            agent_id=actor.user_id,
            at=now,
        )
    )
    return progress_state(module, row)


@transaction.atomic
def module_progress_record(
    *,
    actor: Actor,
    module: Module,
    watched: Sequence[tuple[int | float, int | float]] | None = None,
    section_id: str | None = None,
    quiz_choice_index: int | None = None,
    practice_run: bool | None = None,
    reviewed_item_ids: Sequence[str] | None = None,
) -> domain.ModuleProgress:
    """PRODUCT.md §3: record what the agent did in a module and apply its completion rule —
    a video's watched intervals merge with those stored and count at 95%; text sections complete
    in order, each with its quiz answered correctly; a demo script counts practice runs; a FAQ
    counts reviewed items. A PDF completes by download (``module_download``)."""
    _require_training_access(actor, module)
    fmt = Format(module.format)
    _check_format_fields(
        fmt,
        {
            "watched": watched,
            "section_id": section_id,
            "quiz_choice_index": quiz_choice_index,
            "practice_run": practice_run,
            "reviewed_item_ids": reviewed_item_ids,
        },
        PROGRESS_FIELDS,
        PROGRESS_REQUIRED_FIELDS,
    )
    if fmt is Format.PDF:
        raise Conflict("A pdf module is completed by downloading it.", code="wrong_format")
    row = _progress_row(actor, module)
    fields: list[str] = []
    try:
        match fmt:
            case Format.VIDEO:
                # Issue 11 item 7: no more than the time since the module was opened at 2×.
                since_opened = clock.now() - row.started_at
                microseconds = since_opened // timedelta(microseconds=1)
                merged = domain.add_watched(
                    stored_intervals(row),
                    watched or (),
                    module.duration_seconds or 1,
                    domain.watch_budget(Decimal(microseconds) / 1_000_000),
                )
                row.watched = [[str(start), str(end)] for start, end in merged]
                fields.append("watched")
            case Format.TEXT:
                done = domain.complete_section(
                    text_sections(module),
                    row.completed_section_ids,
                    section_id or "",
                    quiz_choice_index,
                )
                # Keep the stored order (the order of completion), appending the new one.
                row.completed_section_ids = [
                    *row.completed_section_ids,
                    *sorted(done.difference(row.completed_section_ids)),
                ]
                fields.append("completed_section_ids")
            case Format.DEMO_SCRIPT:
                row.practice_runs += 1
                fields.append("practice_runs")
            case Format.FAQ:
                reviewed = domain.review_faq_items(
                    faq_item_ids(module), row.reviewed_item_ids, reviewed_item_ids or ()
                )
                row.reviewed_item_ids = [
                    *row.reviewed_item_ids,
                    *sorted(reviewed.difference(row.reviewed_item_ids)),
                ]
                fields.append("reviewed_item_ids")
    except domain.TrainingRuleViolation as exc:
        raise _rule_error(exc) from None
    return _record(actor, module, row, fields)


@transaction.atomic
def module_download(*, actor: Actor, module: Module) -> Module:
    """PRODUCT.md §3: a pdf module is complete when the agent downloads it through the platform.
    Staff may download any module's file to check it; that records nothing."""
    access = has_training_access(actor, module.business)
    if not (access or actor.is_staff):
        raise _no_training_access()
    if module.format != Format.PDF:
        raise Conflict(
            f"Only pdf modules have a file; this one is {module.format}.", code="wrong_format"
        )
    if not module.file:
        raise Conflict("No file has been uploaded for this module yet.", code="file_missing")
    if access:
        row = _progress_row(actor, module)
        fields: list[str] = []
        if row.downloaded_at is None:
            row.downloaded_at = clock.now()
            fields.append("downloaded_at")
        _record(actor, module, row, fields)
    return module


@transaction.atomic
def module_move(*, actor: Actor, module: Module, step: int) -> None:
    """Issue 12 item 5: move a module one place up (-1) or down (+1) in its track; positions
    are renumbered from 0."""
    actor.require(*ADMIN_ROLES)
    Track.objects.select_for_update().get(pk=module.track_id)
    ids = list(
        Module.objects.filter(track_id=module.track_id)
        .order_by(*MODULE_ORDER)
        .values_list("id", flat=True)
    )
    for position, key in enumerate(domain.move_in_order(ids, module.id, step)):
        Module.objects.filter(pk=key).update(position=position)
