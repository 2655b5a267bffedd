"""The business's track pages (PRODUCT.md §3): the track list, and one track with its rules and
modules (the question bank has its own page, ``assessments.staff_views.bank``). Thin: the same
selectors and services as the API; a refused write is shown in its form (status 422, or the
service's 409) and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from refairn.core.errors import Conflict, NotFound, field_error
from refairn.core.forms import REFUSALS, ApiForm
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import business_get_for
from refairn.training import selectors, services
from refairn.training.domain import ContentStatus, Format
from refairn.training.models import Module, Track
from refairn.training.schemas import (
    ModuleIn,
    ModulePatch,
    TrackIn,
    TrackPatch,
    track_changes,
    track_fields,
)
from refairn.training.staff_forms import (
    FORMAT_LABELS,
    CompositionForm,
    ModuleEditForm,
    ModuleForm,
    PdfFileForm,
    TrackForm,
    module_form,
    type_words,
)
from refairn.training.standard_tracks import SUPPORT_STANDARD_NAME


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
    return render(request, "training/staff_tracks.html", context, status=status)


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
            # Issue 12 item 5: a track made on the page stays a draft until published.
            fields = {**track_fields(payload), "status": ContentStatus.DRAFT}
            track = services.track_create(actor=actor, fields=fields)
        except REFUSALS as exc:
            form.add_domain_error(exc, field="name" if isinstance(exc, Conflict) else None)
            return _tracks_page(request, actor, form, exc.status)
        messages.success(
            request, f"Track “{track.name}” created as a draft: publish it when it is ready."
        )
        return redirect("training:track", business_id=business_id, track_id=track.id)
    return _tracks_page(request, actor, form, 422)


@login_required
@require_POST
def tracks_template(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §3: the third seed's six tracks in one step."""
    actor = staff_actor(request, business_id)
    try:
        created = services.tracks_from_template(actor=actor, template=SUPPORT_STANDARD_NAME)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{len(created)} support-standard tracks created.")
    return redirect("training:tracks", business_id=business_id)


def _track_page(
    request: HttpRequest,
    actor: Actor,
    track: Track,
    *,
    status: int = 200,
    module_forms: dict[Format, ModuleForm] | None = None,
    file_errors: dict[str, ApiForm] | None = None,
    composition_form: CompositionForm | None = None,
) -> HttpResponse:
    rows = selectors.module_rows_for(actor, track)
    bound = module_forms or {}
    file_forms = file_errors or {}
    for row in rows:
        if row["format"] == Format.PDF:
            key = str(row["id"])
            row["file_form"] = file_forms.get(key) or PdfFileForm(prefix=f"file-{key}")
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
        "composition_words": ", ".join(
            f"{c['count']} {type_words(c['type'])}" for c in track.composition
        ),
        "can_edit": actor.has(*ADMIN_ROLES),
        "can_see_bank": actor.has(Role.OWNER, Role.MANAGER, Role.REVIEWER),
        "composition_form": composition_form
        or CompositionForm(
            initial={
                "composition": "\n".join(
                    f"{type_words(c['type'])}: {c['count']}" for c in track.composition
                )
            }
        ),
    }
    return render(request, "training/staff_track.html", context, status=status)


@login_required
@require_GET
def track(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    actor = staff_actor(request, business_id)
    return _track_page(request, actor, selectors.track_get_for(actor, track_id))


@login_required
@require_POST
def track_composition(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """Issue 11 item 5: the mix of question types each attempt draws (``PATCH /tracks/{t}``
    with ``assessment.composition``)."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    track = selectors.track_get_for(actor, track_id)
    form = CompositionForm(request.POST)
    if form.is_valid() and (payload := form.validated(TrackPatch, form.api_body())):
        try:
            track = services.track_update(actor=actor, track=track, changes=track_changes(payload))
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _track_page(request, actor, track, status=exc.status, composition_form=form)
        messages.success(request, "Mix of question types saved.")
        return _back_to_track(business_id, track.id, "bank")
    return _track_page(request, actor, track, status=422, composition_form=form)


def _track_and_module(actor: Actor, track_id: str, module_id: str) -> tuple[Track, Module]:
    """The track of the URL and its module; a module of another track is not found here."""
    track = selectors.track_get_for(actor, track_id)
    module = selectors.module_get_for(actor, module_id)
    if module.track_id != track.id:
        raise NotFound("module")
    return track, module


def _back_to_track(business_id: str, track_id: object, anchor: str) -> HttpResponse:
    response = redirect("training:track", business_id=business_id, track_id=track_id)
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
                module = services.module_create(
                    actor=actor,
                    track=track,
                    **{**payload.model_dump(), "status": ContentStatus.DRAFT},
                )
                if fmt is Format.PDF:
                    services.module_file_upload(
                        actor=actor, module=module, body=form.cleaned_data["file"]
                    )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _track_page(request, actor, track, status=exc.status, module_forms={fmt: form})
        messages.success(
            request,
            f"{FORMAT_LABELS[fmt]} module “{module.title}” added as a draft: agents see it "
            "once published.",
        )
        return _back_to_track(business_id, track.id, "modules")
    return _track_page(request, actor, track, status=422, module_forms={fmt: form})


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(
    request: HttpRequest, business_id: str, track_id: str, module_id: str
) -> HttpResponse:
    """Issue 12: edit a module's title, description, required flag, estimate and a video's
    duration and address, published or not: the service of ``PATCH /modules/{m}``."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    track, module = _track_and_module(actor, track_id, module_id)
    fmt = Format(module.format)
    if request.method != "POST":
        form = ModuleEditForm(initial=ModuleEditForm.initial_of(module), module_format=fmt)
        return _module_edit_page(request, actor, track, module, form)
    form = ModuleEditForm(request.POST, module_format=fmt)
    if form.is_valid() and (payload := form.validated(ModulePatch, form.api_body())):
        changes = {key: getattr(payload, key) for key in payload.model_fields_set}
        try:
            module = services.module_update(actor=actor, module=module, changes=changes)
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _module_edit_page(request, actor, track, module, form, exc.status)
        messages.success(request, f"Module “{module.title}” saved.")
        return _back_to_track(business_id, track.id, "modules")
    return _module_edit_page(request, actor, track, module, form, 422)


def _module_edit_page(
    request: HttpRequest,
    actor: Actor,
    track: Track,
    module: Module,
    form: ModuleEditForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "track": track,
        "module": module,
        "format_label": FORMAT_LABELS[Format(module.format)],
        "form": form,
    }
    return render(request, "training/staff_module_edit.html", context, status=status)


@login_required
@require_POST
def module_file(
    request: HttpRequest, business_id: str, track_id: str, module_id: str
) -> HttpResponse:
    """A new PDF for a PDF module (the old file is deleted once the change is committed)."""
    actor = staff_actor(request, business_id)
    track, module = _track_and_module(actor, track_id, module_id)
    form = PdfFileForm(request.POST, request.FILES, prefix=f"file-{module.id}")
    if form.is_valid():
        try:
            services.module_file_upload(actor=actor, module=module, body=form.cleaned_data["file"])
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
    _, module = _track_and_module(actor, track_id, module_id)
    module = services.module_download(actor=actor, module=module)
    return FileResponse(
        module.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(module.title) or 'module'}.pdf",
        content_type="application/pdf",
    )


# The reorder buttons: one place up or down.
_STEPS = {"up": -1, "down": 1}
_LIFECYCLE = frozenset({"publish", "archive"})


def _action(request: HttpRequest) -> str:
    action = request.POST.get("action", "")
    if action not in _STEPS and action not in _LIFECYCLE:
        raise field_error("action", "one of publish, archive, up, down")
    return action


@login_required
@require_POST
def track_action(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """Issue 12 item 5: publish or archive a track (its page), or move it up or down (the
    track list); the same services as ``POST /tracks/{t}/publish`` and ``/archive``."""
    actor = staff_actor(request, business_id)
    track = selectors.track_get_for(actor, track_id)
    action = _action(request)
    if action in _STEPS:
        services.track_move(actor=actor, track=track, step=_STEPS[action])
        messages.success(request, f"“{track.name}” moved {action}.")
        return redirect("training:tracks", business_id=business_id)
    try:
        track = services.track_transition(actor=actor, track=track, action=action)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        verdict = {
            "published": "published: agents see it and the dashboard counts it",
            "archived": "archived: agents no longer see it and the dashboard leaves it out",
        }[track.status]
        messages.success(request, f"“{track.name}” {verdict}.")
    return redirect("training:track", business_id=business_id, track_id=track.id)


@login_required
@require_POST
def module_action(
    request: HttpRequest, business_id: str, track_id: str, module_id: str
) -> HttpResponse:
    """Issue 12 item 5: publish, archive or move a module of the track."""
    actor = staff_actor(request, business_id)
    track, module = _track_and_module(actor, track_id, module_id)
    action = _action(request)
    if action in _STEPS:
        services.module_move(actor=actor, module=module, step=_STEPS[action])
        messages.success(request, f"“{module.title}” moved {action}.")
        return _back_to_track(business_id, track.id, "modules")
    try:
        module = services.module_transition(actor=actor, module=module, action=action)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"“{module.title}” {module.status}.")
    return _back_to_track(business_id, track.id, "modules")
