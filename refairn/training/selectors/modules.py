"""Reads for training modules and agents' progress (PRODUCT.md §3), scoped to the caller."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from refairn.accounts.models import User
from refairn.core.errors import Forbidden
from refairn.core.pagination import Page, keyset_page, page_limit
from refairn.core.tenancy import Actor, Role, TenantQuerySet, parse_uuid
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for_row_of, business_get_for
from refairn.training import domain
from refairn.training.domain import ContentStatus, Format
from refairn.training.models import (
    FaqItem,
    LibraryAccess,
    Module,
    ModuleProgress,
    TextSection,
    Track,
)
from refairn.training.settings_section import training_settings


def has_training_access(actor: Actor, business: Business) -> bool:
    """PRODUCT.md §2/§3: an approved agent may train when the business opens training to every
    agent (``automatic``) or once their library is open (``on_request``: their support access
    request opened it, and support keeps it in step with their access).

    The rule itself is ``training.domain.has_training_access``; this reads its inputs. Staff
    rights (reading and downloading without training) are the callers' concern.
    """
    if not actor.has(Role.AGENT) or actor.business_id != business.id:
        return False
    library_open = LibraryAccess.objects.filter(
        business_id=business.id, agent_id=actor.user_id, open=True
    ).exists()
    return domain.has_training_access(
        training_access=training_settings(business).training_access,
        agent_approved=True,
        library_open=library_open,
    )


def module_get_for(actor: Actor, module_id: object) -> Module:
    """Any member of the business may load its modules; what they may do with one is decided
    by the service or the presentation. Outside the staff only published modules of published
    tracks exist (issue 12 item 5)."""
    return (
        visible_modules(actor)
        .select_related("track", "business")
        .get_for(actor, module_id, what="module")
    )


def visible_modules(actor: Actor) -> TenantQuerySet[Module]:
    """Staff see drafts and archived modules; everyone else published ones of published
    tracks (issue 12 item 5)."""
    if actor.is_staff:
        return Module.objects.all()
    return Module.objects.filter(
        status=ContentStatus.PUBLISHED, track__status=ContentStatus.PUBLISHED
    )


def module_actor(user: User, module_id: object) -> tuple[Actor, Module]:
    """For ``/modules/{m}/...`` paths: the caller as an actor in the module's business."""
    actor, key = actor_for_row_of(user, Module, module_id, what="module")
    return actor, module_get_for(actor, key)


def progress_state(module: Module, progress: ModuleProgress | None) -> domain.ModuleProgress:
    """The progress tracker's state of one module for one agent.

    ``completed`` is the stored fact (``completed_at`` is set once and never unset, so a module
    edited after completion stays complete); the percentage comes from the domain rules.
    Text and FAQ modules need their ``sections`` / ``faq_items`` loaded (prefetch them).
    """
    if progress is None:
        return domain.ModuleProgress(False, 0)
    if progress.completed_at is not None:
        return domain.ModuleProgress(True, 100)
    state = computed_state(module, progress)
    return domain.ModuleProgress(False, min(state.progress_percent, 99))


def computed_state(module: Module, progress: ModuleProgress) -> domain.ModuleProgress:
    """What the domain rules say of ``progress`` now, before ``completed_at`` is considered."""
    match Format(module.format):
        case Format.VIDEO:
            return domain.video_progress(stored_intervals(progress), module.duration_seconds or 1)
        case Format.PDF:
            return domain.pdf_progress(progress.downloaded_at is not None)
        case Format.TEXT:
            # Counting completed sections needs their ids only, not their quizzes.
            sections = [domain.TextSection(str(s.id), s.position) for s in module.sections.all()]
            return domain.text_progress(sections, progress.completed_section_ids)
        case Format.DEMO_SCRIPT:
            return domain.demo_progress(progress.practice_runs, module.practice_runs_required)
        case Format.FAQ:
            return domain.faq_progress(faq_item_ids(module), progress.reviewed_item_ids)


def stored_intervals(progress: ModuleProgress) -> list[domain.Interval]:
    # Stored as decimal strings so that positions keep their exact value (see domain).
    return [(Decimal(start), Decimal(end)) for start, end in progress.watched]


def text_sections(module: Module) -> list[domain.TextSection]:
    return [
        domain.TextSection(
            id=str(section.id),
            order=section.position,
            quiz_correct_index=(
                frozenset(i for i, c in enumerate(section.quiz_choices) if c["correct"])
                if section.quiz_choices
                else None
            ),
        )
        for section in module.sections.all()
    ]


def faq_item_ids(module: Module) -> list[str]:
    return [str(item.id) for item in module.faq_items.all()]


def required_modules_complete(*, track_id: uuid.UUID, agent_id: uuid.UUID) -> bool:
    """PRODUCT.md §3: the assessment opens only when every required module is complete (one
    query; a track without required modules is complete)."""
    completed = ModuleProgress.objects.filter(agent_id=agent_id, completed_at__isnull=False).values(
        "module_id"
    )
    return (
        not Module.objects.filter(track_id=track_id, required=True, status=ContentStatus.PUBLISHED)
        .exclude(id__in=completed)
        .exists()
    )


def tracks_without_published_training(track_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The tracks among ``track_ids`` whose assessment waits for their training to be
    published (``domain.training_published``). One query; callers scope the ids to one
    business."""
    counts: dict[uuid.UUID, dict[str, int]] = {}
    rows = (
        Module.objects.filter(track_id__in=list(track_ids))
        .values("track_id", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["track_id"], {})[row["status"]] = row["n"]
    return {
        track_id
        for track_id, by_status in counts.items()
        if not domain.training_published(
            published_modules=by_status.get(ContentStatus.PUBLISHED, 0),
            draft_modules=by_status.get(ContentStatus.DRAFT, 0),
        )
    }


def _state_prefetches() -> list[Prefetch[Any]]:
    # Only ids are needed to compute progress.
    return [
        Prefetch("sections", queryset=TextSection.objects.only("id", "module_id", "position")),
        Prefetch("faq_items", queryset=FaqItem.objects.only("id", "module_id", "position")),
    ]


def module_states_for(
    *, track_ids: Iterable[uuid.UUID], agent_id: uuid.UUID
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """PRODUCT.md §3: the progress tracker — every module of each track, in order, with the
    agent's state: ``{"id","title","format","required","completed","progress"}``.

    Four queries whatever the number of tracks (modules, sections, FAQ items, progress rows).
    Callers scope ``track_ids`` to one business.
    """
    keys = [parse_uuid(track_id, what="track") for track_id in track_ids]
    states: dict[uuid.UUID, list[dict[str, Any]]] = {key: [] for key in keys}
    if not keys:
        return states
    modules = Module.objects.filter(
        track_id__in=keys, status=ContentStatus.PUBLISHED
    ).prefetch_related(*_state_prefetches())
    progress = {
        row.module_id: row
        for row in ModuleProgress.objects.filter(agent_id=agent_id, module__track_id__in=keys)
    }
    for module in modules:
        state = progress_state(module, progress.get(module.id))
        states[module.track_id].append(
            {
                "id": module.id,
                "title": module.title,
                "format": module.format,
                "required": module.required,
                "completed": state.completed,
                "progress": state.progress_percent,
            }
        )
    return states


# -- presentation of modules --------------------------------------------------------------


MODULE_ORDER = ("position", "created_at", "id")


def module_rows_for(actor: Actor, track: Track) -> list[dict[str, Any]]:
    """Every module of the track, as the caller may see it (``_module_rows``)."""
    modules = _modules_of(actor, track)
    return _module_rows(actor, list(modules.order_by(*MODULE_ORDER)))


def module_rows_page_for(
    actor: Actor, track: Track, *, limit: int | None, cursor: str | None
) -> Page[dict[str, Any]]:
    """``GET /tracks/{t}/modules``: a page of the track's modules in display order."""
    page = keyset_page(
        _modules_of(actor, track), order=MODULE_ORDER, limit=page_limit(limit), cursor=cursor
    )
    return page.map(lambda modules: _module_rows(actor, modules))


def _modules_of(actor: Actor, track: Track) -> QuerySet[Module]:
    return (
        visible_modules(actor)
        .for_actor(actor)
        .filter(track=track)
        .prefetch_related("sections", "faq_items")
    )


def _module_rows(actor: Actor, modules: list[Module]) -> list[dict[str, Any]]:
    """The modules as the caller may see them.

    Staff see everything, quiz answers included. An agent with training access sees the
    content without the answers, and their own progress. An agent whose training is still
    locked and an applicant see the outline only: the training library opens with training
    access (PRODUCT.md §2). A customer does not list them (issue 18 item 6): 403.
    """
    staff = actor.is_staff
    if not staff and not actor.has(Role.AGENT) and actor.has(Role.CUSTOMER):
        raise Forbidden("Training modules are for the program's agents and staff.")
    unlocked = staff or has_training_access(actor, business_get_for(actor))
    progress: dict[uuid.UUID, ModuleProgress] | None = None
    if actor.has(Role.AGENT):
        progress = {
            row.module_id: row
            for row in ModuleProgress.objects.filter(agent_id=actor.user_id, module__in=modules)
        }
    return [
        module_row(module, content=unlocked, answers=staff, progress=progress) for module in modules
    ]


def module_row(
    module: Module,
    *,
    content: bool,
    answers: bool,
    progress: dict[uuid.UUID, ModuleProgress] | None = None,
) -> dict[str, Any]:
    """One module as ``ModuleOut``. ``content``: include what an agent studies; ``answers``:
    include quiz correct flags (staff only); ``progress``: the agent's rows by module id, or
    ``None`` when the caller is not an agent."""
    row = progress.get(module.id) if progress is not None else None
    state = progress_state(module, row) if progress is not None else None
    fmt = Format(module.format)
    completed_sections = set(row.completed_section_ids) if row else set()
    reviewed_items = set(row.reviewed_item_ids) if row else set()
    return {
        "id": module.id,
        "track_id": module.track_id,
        "title": module.title,
        "description": module.description,
        "format": module.format,
        "required": module.required,
        "position": module.position,
        "status": module.status,
        "estimated_hours": module.estimated_hours,
        "locked": not content,
        "duration_seconds": module.duration_seconds if fmt is Format.VIDEO else None,
        "video_url": (module.video_url or None) if fmt is Format.VIDEO and content else None,
        "has_file": bool(module.file) if fmt is Format.PDF else None,
        "script": module.script if fmt is Format.DEMO_SCRIPT and content else None,
        "practice_runs_required": (
            module.practice_runs_required if fmt is Format.DEMO_SCRIPT else None
        ),
        "sections": (
            [
                _section_row(
                    section,
                    answers=answers,
                    completed=str(section.id) in completed_sections if state else None,
                )
                for section in module.sections.all()
            ]
            if fmt is Format.TEXT and content
            else None
        ),
        "items": (
            [
                {
                    "id": item.id,
                    "position": item.position,
                    "question": item.question,
                    "answer": item.answer,
                    "reviewed": str(item.id) in reviewed_items if state else None,
                }
                for item in module.faq_items.all()
            ]
            if fmt is Format.FAQ and content
            else None
        ),
        "completed": state.completed if state else None,
        "progress": state.progress_percent if state else None,
    }


def _section_row(section: TextSection, *, answers: bool, completed: bool | None) -> dict[str, Any]:
    quiz = None
    if section.quiz_choices:
        quiz = {
            "prompt": section.quiz_prompt,
            # Agents get the choice texts only: correct flags never leave the server for them.
            "choices": [
                {"text": c["text"], "correct": c["correct"]} if answers else {"text": c["text"]}
                for c in section.quiz_choices
            ],
        }
    return {
        "id": section.id,
        "position": section.position,
        "title": section.title,
        "body": section.body,
        "quiz": quiz,
        "completed": completed,
    }
