from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.text import slugify
from ninja import Router, Status

from refairn.accounts.auth import request_user
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.programs.edge import api_actor
from refairn.training import selectors, services
from refairn.training.models import Track
from refairn.training.schemas import (
    ModuleIn,
    ModuleOut,
    ModulePatch,
    OpenedOut,
    ProgressIn,
    ProgressOut,
    TemplateIn,
    TrackIn,
    TrackOut,
    TrackPatch,
    track_changes,
    track_fields,
)

router = Router(tags=["training"])


# -- tracks --------------------------------------------------------------------------------


@router.post("/businesses/{b}/tracks", response={201: TrackOut})
def create_track(request: HttpRequest, b: str, payload: TrackIn) -> Status[Track]:
    track = services.track_create(actor=api_actor(request, b), fields=track_fields(payload))
    return Status(201, track)


@router.post("/businesses/{b}/tracks/template", response={201: list[TrackOut]})
def apply_template(request: HttpRequest, b: str, payload: TemplateIn) -> Status[list[Track]]:
    tracks = services.tracks_from_template(actor=api_actor(request, b), template=payload.template)
    return Status(201, tracks)


@router.get("/businesses/{b}/tracks", response=list[TrackOut])
def list_tracks(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[Track]:
    """In display order; when more remain, ``X-Next-Cursor`` carries the ``cursor`` of the
    next page."""
    return paged(
        response, selectors.tracks_page_for(api_actor(request, b), limit=limit, cursor=cursor)
    )


@router.get("/tracks/{t}", response=TrackOut)
def get_track(request: HttpRequest, t: str) -> Track:
    return selectors.track_actor(request_user(request), t)[1]


@router.patch("/tracks/{t}", response=TrackOut)
def update_track(request: HttpRequest, t: str, payload: TrackPatch) -> Track:
    caller, track = selectors.track_actor(request_user(request), t)
    return services.track_update(actor=caller, track=track, changes=track_changes(payload))


@router.post("/tracks/{t}/publish", response=TrackOut)
def publish_track(request: HttpRequest, t: str) -> Track:
    """Draft or archived → published: agents, the public program page and the dashboard see
    it (issue 12 item 5). 409 ``invalid_transition`` when already published."""
    caller, track = selectors.track_actor(request_user(request), t)
    return services.track_transition(actor=caller, track=track, action="publish")


@router.post("/tracks/{t}/archive", response=TrackOut)
def archive_track(request: HttpRequest, t: str) -> Track:
    """Published or draft → archived: hidden from agents and the dashboard; certifications
    already earned stay. 409 ``invalid_transition`` when already archived."""
    caller, track = selectors.track_actor(request_user(request), t)
    return services.track_transition(actor=caller, track=track, action="archive")


_BINARY = {"schema": {"type": "string", "format": "binary"}}
_PDF_BODY = {"application/pdf": _BINARY}
# The upload is recognised by its %PDF- signature, whatever the declared type.
_UPLOAD_BODY = {"application/pdf": _BINARY, "application/octet-stream": _BINARY}


@router.post("/tracks/{t}/modules", response={201: ModuleOut})
def create_module(request: HttpRequest, t: str, payload: ModuleIn) -> Status[dict[str, Any]]:
    actor, track = selectors.track_actor(request_user(request), t)
    module = services.module_create(actor=actor, track=track, **payload.model_dump())
    return Status(201, selectors.module_row(module, content=True, answers=True))


@router.get("/tracks/{t}/modules", response=list[ModuleOut])
def list_modules(
    request: HttpRequest,
    response: HttpResponse,
    t: str,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[dict[str, Any]]:
    """In display order, a page at a time (``X-Next-Cursor``)."""
    actor, track = selectors.track_actor(request_user(request), t)
    page = selectors.module_rows_page_for(actor, track, limit=limit, cursor=cursor)
    return paged(response, page)


@router.put(
    "/modules/{m}/file",
    response=ModuleOut,
    openapi_extra={"requestBody": {"required": True, "content": _UPLOAD_BODY}},
)
def upload_file(request: HttpRequest, m: str) -> dict[str, Any]:
    """The raw PDF bytes as the body (``Content-Type: application/pdf``), at most 20 MB.
    422 ``invalid_pdf``, ``file_empty``, ``file_too_large``; 409 ``wrong_format``."""
    actor, module = selectors.module_actor(request_user(request), m)
    module = services.module_file_upload(actor=actor, module=module, body=request)
    return selectors.module_row(module, content=True, answers=True)


@router.get(
    "/modules/{m}/download",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": _PDF_BODY}}},
)
def download(request: HttpRequest, m: str) -> FileResponse:
    """The module's PDF; an agent's download completes the module. 409 ``file_missing`` before
    a file is uploaded."""
    actor, module = selectors.module_actor(request_user(request), m)
    module = services.module_download(actor=actor, module=module)
    return FileResponse(
        module.file.open("rb"),
        as_attachment=True,
        filename=f"{slugify(module.title) or 'module'}.pdf",
        content_type="application/pdf",
    )


@router.post("/modules/{m}/progress", response=ProgressOut)
def record_progress(request: HttpRequest, m: str, payload: ProgressIn) -> dict[str, Any]:
    actor, module = selectors.module_actor(request_user(request), m)
    state = services.module_progress_record(actor=actor, module=module, **payload.model_dump())
    return {
        "module_id": module.id,
        "completed": state.completed,
        "progress": state.progress_percent,
    }


@router.post("/modules/{m}/open", response=OpenedOut)
def open_module(request: HttpRequest, m: str) -> dict[str, Any]:
    """The agent opens the module (the module page does the same). The first opening is the
    moment a video's watched time is measured from: at most twice the time since then
    (issue 11 item 7). Opening again keeps the first moment. 403 ``no_training_access``."""
    actor, module = selectors.module_actor(request_user(request), m)
    row = services.module_open(actor=actor, module=module)
    return {"module_id": module.id, "opened_at": row.started_at}


@router.patch("/modules/{m}", response=ModuleOut)
def update_module(request: HttpRequest, m: str, payload: ModulePatch) -> dict[str, Any]:
    """Only the fields sent change; ``position`` reorders the track's modules."""
    actor, module = selectors.module_actor(request_user(request), m)
    changes = {key: getattr(payload, key) for key in payload.model_fields_set}
    module = services.module_update(actor=actor, module=module, changes=changes)
    return selectors.module_row(module, content=True, answers=True)


@router.post("/modules/{m}/publish", response=ModuleOut)
def publish_module(request: HttpRequest, m: str) -> dict[str, Any]:
    """Draft or archived → published: agents see it, and a required one must be completed
    before the assessment. 409 ``invalid_transition``; ``file_missing`` for a PDF guide
    without its file."""
    actor, module = selectors.module_actor(request_user(request), m)
    module = services.module_transition(actor=actor, module=module, action="publish")
    return selectors.module_row(module, content=True, answers=True)


@router.post("/modules/{m}/archive", response=ModuleOut)
def archive_module(request: HttpRequest, m: str) -> dict[str, Any]:
    """Published or draft → archived: hidden from agents. 409 ``invalid_transition``."""
    actor, module = selectors.module_actor(request_user(request), m)
    module = services.module_transition(actor=actor, module=module, action="archive")
    return selectors.module_row(module, content=True, answers=True)
