"""The agent's training pages, ``[Business] → Training`` (the first seed): the progress
tracker and one page per module, whose format decides how it completes (PRODUCT.md §3).

Thin: every write goes through ``training.services`` as ``POST /modules/{m}/progress`` and
``GET /modules/{m}/download`` do, so the completion rules are the server's, never the page's.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pydantic
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from refairn.core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    problem_from,
    pydantic_fields,
)
from refairn.core.tenancy import Actor, Role
from refairn.programs.edge import page_actor
from refairn.programs.selectors import business_get_for
from refairn.training import selectors, services
from refairn.training.domain import Format
from refairn.training.models import Module, ModuleProgress
from refairn.training.schemas import ProgressIn
from refairn.training.selectors import tracks_list_for

# The first seed's names for the five formats.
FORMAT_LABELS: dict[str, str] = {
    Format.VIDEO: "Video lesson",
    Format.PDF: "PDF guide",
    Format.TEXT: "Text lesson",
    Format.DEMO_SCRIPT: "Demo script",
    Format.FAQ: "FAQ module",
}

# Playback speeds the player offers; faster playback still has to cover 95% of the lesson, and
# the server counts no more than twice the time since the module was opened (issue 11 item 7).
SPEEDS = (1, 1.5, 2)


def _agent(request: HttpRequest, business_id: str) -> Actor:
    actor = page_actor(request, business_id)
    actor.require(Role.AGENT)
    return actor


def _module(actor: Actor, module_id: str) -> Module:
    return selectors.module_get_for(actor, module_id)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# -- the progress tracker --------------------------------------------------------------------


@login_required
def agent(request: HttpRequest, business_id: str) -> HttpResponse:
    """Every module of every track with its format, required flag, state and percentage."""
    actor = _agent(request, business_id)
    business = business_get_for(actor)
    tracks = tracks_list_for(actor)
    states = selectors.module_states_for(track_ids=[t.id for t in tracks], agent_id=actor.user_id)
    rows = []
    for track in tracks:
        modules = [{**m, "format_label": FORMAT_LABELS[m["format"]]} for m in states[track.id]]
        required = [m for m in modules if m["required"]]
        rows.append(
            {
                "track": track,
                "modules": modules,
                "required_done": sum(m["completed"] for m in required),
                "required_total": len(required),
            }
        )
    context = {
        "business": business,
        "actor": actor,
        "access": selectors.has_training_access(actor, business),
        "tracks": rows,
    }
    return render(request, "training/agent.html", context)


# -- one module ------------------------------------------------------------------------------


class SectionForm(forms.Form):
    """A text section's embedded quiz: one radio button per choice."""

    choice = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an answer to continue."},
    )

    def __init__(self, *args: Any, prompt: str, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.TypedChoiceField)
        field.label = prompt
        field.choices = list(enumerate(choices))


def _slides(module: Module) -> list[str]:
    """The lesson player's slides: the description's sentences (or the title alone), shown in
    equal shares of the module's duration."""
    text = module.description.strip() or module.title
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return sentences or [module.title]


def _practice_runs(actor: Actor, module: Module) -> int:
    """How many practice runs the agent has recorded (the tracker shows only a percentage)."""
    runs = (
        ModuleProgress.objects.for_actor(actor)
        .filter(module=module, agent_id=actor.user_id)
        .values_list("practice_runs", flat=True)
        .first()
    )
    return runs or 0


def _module_context(
    actor: Actor, module: Module, section_form: SectionForm | None = None
) -> dict[str, Any]:
    rows = selectors.module_rows_for(actor, module.track)
    index = next(i for i, row in enumerate(rows) if row["id"] == module.id)
    row = rows[index]
    context: dict[str, Any] = {
        "business": module.business,
        "actor": actor,
        "m": row,
        "format_label": FORMAT_LABELS[row["format"]],
        "previous": rows[index - 1] if index > 0 else None,
        "next": rows[index + 1] if index + 1 < len(rows) else None,
        "speeds": SPEEDS,
        # Issue 12 item 8: once every required module is done, the assessment is one link away.
        "training_done": all(r["completed"] for r in rows if r["required"]),
    }
    fmt = Format(row["format"])
    if row["locked"]:
        return context
    if fmt is Format.VIDEO and not row["video_url"]:
        context["slides"] = _slides(module)
    elif fmt is Format.DEMO_SCRIPT:
        context["practice_runs"] = _practice_runs(actor, module)
    elif fmt is Format.TEXT:
        current = next((s for s in row["sections"] if not s["completed"]), None)
        context["current_section"] = current
        if current and current["quiz"] and section_form is None:
            section_form = SectionForm(
                prompt=current["quiz"]["prompt"],
                choices=[c["text"] for c in current["quiz"]["choices"]],
            )
        context["section_form"] = section_form
    return context


@login_required
def module(request: HttpRequest, business_id: str, module_id: str) -> HttpResponse:
    """One module, presented by its format; locked (outline only) without training access."""
    actor = _agent(request, business_id)
    module = _module(actor, module_id)
    context = _module_context(actor, module)
    if not context["m"]["locked"] and module.format == Format.VIDEO:
        # Only a video's progress is measured from the opening (issue 11 item 7).
        services.module_open(actor=actor, module=module)
    return render(request, "training/module.html", context)


@login_required
@require_GET
def status(request: HttpRequest, business_id: str, module_id: str) -> HttpResponse:
    """The module's state line alone, fetched by ``download.js`` once a PDF download starts."""
    actor = _agent(request, business_id)
    context = _module_context(actor, _module(actor, module_id))
    return render(request, "training/_module_status.html", context)


@login_required
@require_POST
def progress(request: HttpRequest, business_id: str, module_id: str) -> JsonResponse:
    """The player's reports: the body of ``POST /modules/{m}/progress`` (JSON, with the CSRF
    header), answered with ``{"completed", "progress"}``."""
    actor = _agent(request, business_id)
    module = _module(actor, module_id)
    try:
        payload = ProgressIn.model_validate_json(request.body)
    except pydantic.ValidationError as exc:
        return problem_from(InvalidInput("Invalid progress report.", fields=pydantic_fields(exc)))
    try:
        state = services.module_progress_record(actor=actor, module=module, **payload.model_dump())
    except DomainError as exc:
        return problem_from(exc)
    return JsonResponse(
        {
            "module_id": str(module.id),
            "completed": state.completed,
            "progress": state.progress_percent,
        }
    )


@login_required
@require_POST
def section(request: HttpRequest, business_id: str, module_id: str) -> HttpResponse:
    """Complete the current text section, answering its quiz; a wrong answer is a form error."""
    actor = _agent(request, business_id)
    module = _module(actor, module_id)
    context = _module_context(actor, module)
    if context["m"]["locked"]:
        # The service refuses with the reason (403 no_training_access).
        services.module_progress_record(
            actor=actor, module=module, section_id=request.POST.get("section_id", "")
        )
    current = context.get("current_section")
    if current is None or request.POST.get("section_id") != str(current["id"]):
        messages.error(request, "Sections are completed in order: continue with the one shown.")
        return redirect("training:module", business_id=actor.business_id, module_id=module.id)
    choice: int | None = None
    form = context["section_form"]
    if form is not None:
        form = SectionForm(
            request.POST,
            prompt=current["quiz"]["prompt"],
            choices=[c["text"] for c in current["quiz"]["choices"]],
        )
        if not form.is_valid():
            return _render_section_error(request, actor, module, form)
        choice = form.cleaned_data["choice"]
    try:
        services.module_progress_record(
            actor=actor, module=module, section_id=str(current["id"]), quiz_choice_index=choice
        )
    except InvalidInput as exc:
        if form is None:
            raise
        form.add_error("choice", exc.detail)
        return _render_section_error(request, actor, module, form)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Section “{current['title']}” complete.")
    url = reverse("training:module", args=[actor.business_id, module.id])
    return redirect(f"{url}#sections")


def _render_section_error(
    request: HttpRequest, actor: Actor, module: Module, form: SectionForm
) -> HttpResponse:
    context = _module_context(actor, module, section_form=form)
    return render(request, "training/module.html", context, status=422)


@login_required
@require_POST
def practice(request: HttpRequest, business_id: str, module_id: str) -> HttpResponse:
    """The demo script's "I practised it": one practice run more."""
    actor = _agent(request, business_id)
    module = _module(actor, module_id)
    try:
        state = services.module_progress_record(actor=actor, module=module, practice_run=True)
    except (Conflict, InvalidInput) as exc:
        messages.error(request, exc.detail)
    else:
        runs = _practice_runs(actor, module)
        done = " The module is complete." if state.completed else ""
        messages.success(request, f"Practice run {runs} recorded.{done}")
    return redirect("training:module", business_id=actor.business_id, module_id=module.id)


@login_required
@require_POST
def faq_review(
    request: HttpRequest, business_id: str, module_id: str, item_id: str
) -> HttpResponse:
    """ "Mark reviewed" on one FAQ item: with htmx the item and the state line are swapped in
    place; without it, back to the page."""
    actor = _agent(request, business_id)
    module = _module(actor, module_id)
    try:
        uuid.UUID(item_id)
        services.module_progress_record(actor=actor, module=module, reviewed_item_ids=[item_id])
    except (ValueError, InvalidInput):
        raise NotFound("FAQ item") from None
    except Conflict as exc:
        messages.error(request, exc.detail)
    if not _is_htmx(request):
        url = reverse("training:module", args=[actor.business_id, module.id])
        return redirect(f"{url}#faq-{item_id}")
    context = _module_context(actor, module)
    item = next(i for i in context["m"]["items"] if str(i["id"]) == item_id)
    return render(request, "training/_faq_reviewed.html", {**context, "item": item, "oob": True})


@login_required
@require_GET
def download(request: HttpRequest, business_id: str, module_id: str) -> HttpResponse | FileResponse:
    """The PDF through the platform; the download completes the module."""
    actor = _agent(request, business_id)
    module = _module(actor, module_id)
    try:
        module = services.module_download(actor=actor, module=module)
    except Conflict as exc:
        messages.error(request, exc.detail)
        return redirect("training:module", business_id=actor.business_id, module_id=module.id)
    return FileResponse(
        module.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(module.title) or 'module'}.pdf",
        content_type="application/pdf",
    )
