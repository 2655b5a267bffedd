"""The business's track pages (PRODUCT.md §3–§4): the track list, and one track with its
modules and question bank. Thin: the same selectors and services as the API; a refused write is
shown in its form (status 422, or the service's 409) and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from refairn.assessments import selectors as bank
from refairn.assessments import services as bank_services
from refairn.assessments.schemas import QuestionIn
from refairn.certification import selectors, services
from refairn.certification.content_forms import (
    FORMAT_LABELS,
    GiftImportForm,
    ModuleForm,
    PdfFileForm,
    QuestionForm,
    module_form,
)
from refairn.certification.models import Track
from refairn.certification.schemas import TrackIn, track_fields
from refairn.certification.staff_forms import TrackForm
from refairn.core.errors import Conflict, NotFound
from refairn.core.forms import REFUSALS, ApiForm
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.edge import page_user, staff_actor
from refairn.programs.selectors import business_get_for
from refairn.training import selectors as training
from refairn.training import services as training_services
from refairn.training.domain import Format
from refairn.training.schemas import ModuleIn

TEMPLATE = "support-standard"


# -- the track list ------------------------------------------------------------------------


def _tracks_page(
    request: HttpRequest, actor: Actor, form: TrackForm | None = None, status: int = 200
) -> HttpResponse:
    tracks = selectors.tracks_list_for(actor)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "tracks": tracks,
        "form": form or TrackForm(tracks=tracks),
        "can_edit": actor.has(*ADMIN_ROLES),
    }
    return render(request, "certification/staff_tracks.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tracks(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §3: the business's tracks, and a new track (owners and managers)."""
    actor = staff_actor(request, business_id)
    if request.method != "POST":
        return _tracks_page(request, actor)
    actor.require(*ADMIN_ROLES)
    form = TrackForm(request.POST, tracks=selectors.tracks_list_for(actor))
    if form.is_valid() and (payload := form.validated(TrackIn, form.api_body())):
        try:
            track = services.track_create(actor=actor, fields=track_fields(payload))
        except REFUSALS as exc:
            form.add_domain_error(exc, field="name" if isinstance(exc, Conflict) else None)
            return _tracks_page(request, actor, form, exc.status)
        messages.success(request, f"Track “{track.name}” created.")
        return redirect("certification:track", business_id=business_id, track_id=track.id)
    return _tracks_page(request, actor, form, 422)


@login_required
@require_POST
def tracks_template(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §3: the third seed's six tracks in one step."""
    actor = staff_actor(request, business_id)
    try:
        created = services.tracks_from_template(actor=actor, template=TEMPLATE)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{len(created)} support-standard tracks created.")
    return redirect("certification:tracks", business_id=business_id)


# -- one track: modules and question bank --------------------------------------------------


def _choices(rows: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The module and FAQ item choices of the question editor."""
    modules = [(str(m["id"]), m["title"]) for m in rows]
    items = [
        (str(item["id"]), f"{m['title']}: {item['question']}")
        for m in rows
        for item in m["items"] or []
    ]
    return modules, items


def _track_page(
    request: HttpRequest,
    actor: Actor,
    track: Track,
    *,
    status: int = 200,
    module_forms: dict[Format, ModuleForm] | None = None,
    question_form: QuestionForm | None = None,
    import_form: GiftImportForm | None = None,
    file_errors: dict[str, ApiForm] | None = None,
) -> HttpResponse:
    rows = training.module_rows_for(actor, track)
    modules, items = _choices(rows)
    bound = module_forms or {}
    file_forms = file_errors or {}
    for row in rows:
        if row["format"] == Format.PDF:
            key = str(row["id"])
            row["file_form"] = file_forms.get(key) or PdfFileForm(prefix=f"file-{key}")
    graders = actor.has(*bank.GRADERS)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "track": track,
        "prerequisites": list(track.prerequisites.all()),
        "modules": rows,
        "module_forms": [
            (fmt, FORMAT_LABELS[fmt], bound.get(fmt) or module_form(fmt)) for fmt in Format
        ],
        "open_format": next(iter(bound), None),
        "questions": bank.questions_list_for(actor, track) if graders else None,
        "question_form": question_form or QuestionForm(modules=modules, faq_items=items),
        "import_form": import_form or GiftImportForm(),
        "can_edit": actor.has(*ADMIN_ROLES),
    }
    return render(request, "certification/staff_track.html", context, status=status)


@login_required
@require_GET
def track(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    actor = staff_actor(request, business_id)
    return _track_page(request, actor, selectors.track_get_for(actor, track_id))


def _back_to_track(business_id: str, track_id: object, anchor: str) -> HttpResponse:
    response = redirect("certification:track", business_id=business_id, track_id=track_id)
    response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def module_create(
    request: HttpRequest, business_id: str, track_id: str, module_format: str
) -> HttpResponse:
    """PRODUCT.md §3: a module of any of the five formats; a PDF module with its file, both or
    neither (one transaction)."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    track = selectors.track_get_for(actor, track_id)
    try:
        fmt = Format(module_format)
    except ValueError:
        raise NotFound("module format") from None
    form = module_form(fmt, request.POST, request.FILES)
    if form.is_valid() and (payload := form.validated(ModuleIn, form.api_body())):
        try:
            with transaction.atomic():
                module = training_services.module_create(
                    actor=actor, track=track, **payload.model_dump()
                )
                if fmt is Format.PDF:
                    training_services.module_file_upload(
                        actor=actor, module=module, body=form.cleaned_data["file"]
                    )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _track_page(request, actor, track, status=exc.status, module_forms={fmt: form})
        messages.success(request, f"{FORMAT_LABELS[fmt]} module “{module.title}” added.")
        return _back_to_track(business_id, track.id, "modules")
    return _track_page(request, actor, track, status=422, module_forms={fmt: form})


@login_required
@require_POST
def module_file(
    request: HttpRequest, business_id: str, track_id: str, module_id: str
) -> HttpResponse:
    """A new PDF for a PDF module (the old file is deleted once the change is committed)."""
    actor = staff_actor(request, business_id)
    track = selectors.track_get_for(actor, track_id)
    module = training.module_get_for(actor, module_id)
    if module.track_id != track.id:
        raise NotFound("module")
    form = PdfFileForm(request.POST, request.FILES, prefix=f"file-{module.id}")
    if form.is_valid():
        try:
            training_services.module_file_upload(
                actor=actor, module=module, body=form.cleaned_data["file"]
            )
        except REFUSALS as exc:
            form.add_domain_error(exc, field="file")
            return _track_page(
                request, actor, track, status=exc.status, file_errors={str(module.id): form}
            )
        messages.success(request, f"The PDF of “{module.title}” was replaced.")
        return _back_to_track(business_id, track.id, "modules")
    return _track_page(request, actor, track, status=422, file_errors={str(module.id): form})


@login_required
@require_GET
def module_download(
    request: HttpRequest, business_id: str, track_id: str, module_id: str
) -> FileResponse:
    """Staff check a PDF module's file; a staff download records no progress."""
    actor = staff_actor(request, business_id)
    track = selectors.track_get_for(actor, track_id)
    module = training.module_get_for(actor, module_id)
    if module.track_id != track.id:
        raise NotFound("module")
    module = training_services.module_download(actor=actor, module=module)
    return FileResponse(
        module.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(module.title) or 'module'}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def question_create(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """PRODUCT.md §4: a bank question, through the API's ``QuestionIn``."""
    actor = staff_actor(request, business_id)
    actor.require(*bank.BANK_EDITORS)
    track = selectors.track_get_for(actor, track_id)
    modules, items = _choices(training.module_rows_for(actor, track))
    form = QuestionForm(request.POST, modules=modules, faq_items=items)
    if form.is_valid() and (payload := form.validated(QuestionIn, form.api_body())):
        try:
            bank_services.question_create(
                actor=actor,
                track=track,
                question_type=payload.type,
                prompt=payload.prompt,
                choices=[
                    bank_services.ChoiceSpec(c.text, c.correct, c.feedback) for c in payload.choices
                ],
                points=payload.points,
                critical=payload.critical,
                topic=payload.topic,
                rubric=payload.rubric,
                module_id=payload.module_id,
                title=payload.title,
                faq_item_ids=payload.faq_item_ids,
            )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _track_page(request, actor, track, status=exc.status, question_form=form)
        messages.success(request, "Question added to the bank.")
        return _back_to_track(business_id, track.id, "bank")
    return _track_page(request, actor, track, status=422, question_form=form)


@login_required
@require_POST
def question_retire(
    request: HttpRequest, business_id: str, track_id: str, question_id: str
) -> HttpResponse:
    """PRODUCT.md §4: the question leaves the bank; attempts that drew it keep it."""
    actor = staff_actor(request, business_id)
    track = selectors.track_get_for(actor, track_id)
    owner, question = bank.question_actor(page_user(request), question_id)
    if owner.business_id != actor.business_id or question.track_id != track.id:
        raise NotFound("question")
    bank_services.question_retire(actor=actor, question=question)
    messages.success(request, "Question retired: it will not be drawn again.")
    return _back_to_track(business_id, track.id, "bank")


@login_required
@require_POST
def questions_import(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """PRODUCT.md §4: bulk import from Moodle GIFT, all or nothing; an error names its line."""
    actor = staff_actor(request, business_id)
    actor.require(*bank.BANK_EDITORS)
    track = selectors.track_get_for(actor, track_id)
    form = GiftImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = bank_services.questions_import(actor=actor, track=track, body=form.body())
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _track_page(request, actor, track, status=exc.status, import_form=form)
        messages.success(request, f"{count} questions imported.")
        return _back_to_track(business_id, track.id, "bank")
    return _track_page(request, actor, track, status=422, import_form=form)


@login_required
@require_GET
def questions_export(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """PRODUCT.md §4: the track's active bank as a GIFT file."""
    actor = staff_actor(request, business_id)
    track = selectors.track_get_for(actor, track_id)
    text = bank.questions_export_for(actor, track)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = slugify(track.name) or "questions"
    response["Content-Disposition"] = f'attachment; filename="{name}.gift.txt"'
    return response
