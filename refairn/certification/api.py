from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from refairn.certification import selectors, services
from refairn.certification.models import Certification
from refairn.certification.schemas import (
    CertificationOut,
    GrantAttemptsIn,
    MyCertificationOut,
    ReasonIn,
    ReopenIn,
)
from refairn.core import clock
from refairn.programs.edge import api_actor

router = Router(tags=["certification"])

_CERTIFICATION = "/businesses/{b}/agents/{a}/certifications/{t}"


def _view(certification: Certification) -> dict[str, Any]:
    return selectors.certification_view(certification.track, certification.agent_id, certification)


# -- the agent's path ----------------------------------------------------------------------


@router.get("/businesses/{b}/certifications/me", response=list[MyCertificationOut])
def my_certifications(request: HttpRequest, b: str) -> list[dict[str, Any]]:
    return selectors.certification_rows_for_me(api_actor(request, b), clock.now())


# -- the business's decisions --------------------------------------------------------------


@router.get(_CERTIFICATION, response=CertificationOut, by_alias=True)
def get_certification(request: HttpRequest, b: str, a: str, t: str) -> dict[str, Any]:
    return selectors.certification_detail_for(api_actor(request, b), a, t)


@router.post(f"{_CERTIFICATION}/approve", response=CertificationOut, by_alias=True)
def approve(request: HttpRequest, b: str, a: str, t: str) -> dict[str, Any]:
    return _view(
        services.certification_approve(actor=api_actor(request, b), agent_id=a, track_id=t)
    )


@router.post(f"{_CERTIFICATION}/decline", response=CertificationOut, by_alias=True)
def decline(request: HttpRequest, b: str, a: str, t: str, payload: ReasonIn) -> dict[str, Any]:
    certification = services.certification_decline(
        actor=api_actor(request, b), agent_id=a, track_id=t, reason=payload.reason
    )
    return _view(certification)


@router.post(f"{_CERTIFICATION}/revoke", response=CertificationOut, by_alias=True)
def revoke(request: HttpRequest, b: str, a: str, t: str, payload: ReasonIn) -> dict[str, Any]:
    certification = services.certification_revoke(
        actor=api_actor(request, b), agent_id=a, track_id=t, reason=payload.reason
    )
    return _view(certification)


@router.post(f"{_CERTIFICATION}/reopen", response=CertificationOut, by_alias=True)
def reopen(
    request: HttpRequest, b: str, a: str, t: str, payload: Body[ReopenIn | None] = None
) -> dict[str, Any]:
    certification = services.certification_reopen(
        actor=api_actor(request, b),
        agent_id=a,
        track_id=t,
        reason=payload.reason if payload else "",
    )
    return _view(certification)


@router.post(f"{_CERTIFICATION}/grant-attempts", response=CertificationOut, by_alias=True)
def grant_attempts(
    request: HttpRequest, b: str, a: str, t: str, payload: GrantAttemptsIn
) -> dict[str, Any]:
    certification = services.certification_grant_attempts(
        actor=api_actor(request, b),
        agent_id=a,
        track_id=t,
        count=payload.count,
        reason=payload.reason,
    )
    return _view(certification)
