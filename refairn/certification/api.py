from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Router, Status

from refairn.accounts.auth import request_user
from refairn.assessments import selectors as attempts
from refairn.assessments import services as engine
from refairn.certification import selectors, services
from refairn.certification.models import Certification
from refairn.certification.schemas import (
    AdaptiveAnswerOut,
    AgentAttemptOut,
    AnswerIn,
    AnswerOut,
    AttemptReviewOut,
    AttemptStartOut,
    CertificationOut,
    GradingIn,
    GrantAttemptsIn,
    MyCertificationOut,
    ReopenIn,
    StaffAttemptOut,
    SubmitOut,
)
from refairn.core import clock
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.core.schemas import ReasonIn
from refairn.core.tenancy import Actor
from refairn.programs.edge import api_actor
from refairn.training.selectors import track_actor

router = Router(tags=["certification"])

_CERTIFICATION = "/businesses/{b}/agents/{a}/certifications/{t}"


def _settled(actor: Actor) -> Actor:
    """The caller, once the overdue attempts they may read are handed in (issue 11 item 4)."""
    services.attempts_settle(
        business_id=actor.business_id, agent_id=None if actor.is_staff else actor.user_id
    )
    return actor


def _view(certification: Certification) -> dict[str, Any]:
    return selectors.certification_view(certification.track, certification.agent_id, certification)


# -- the agent's path ----------------------------------------------------------------------


@router.get("/businesses/{b}/certifications/me", response=list[MyCertificationOut])
def my_certifications(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[dict[str, Any]]:
    """One row per track, tracks in display order, a page at a time (``X-Next-Cursor``)."""
    page = selectors.certification_page_for_me(
        _settled(api_actor(request, b)), clock.now(), limit=limit, cursor=cursor
    )
    return paged(response, page)


# -- the business's decisions --------------------------------------------------------------


@router.get(_CERTIFICATION, response=CertificationOut, by_alias=True)
def get_certification(request: HttpRequest, b: str, a: str, t: str) -> dict[str, Any]:
    return selectors.certification_detail_for(_settled(api_actor(request, b)), a, t)


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


# -- attempts ------------------------------------------------------------------------------


@router.post("/tracks/{t}/attempts", response={201: AttemptStartOut})
def start_attempt(request: HttpRequest, t: str) -> Status[dict[str, Any]]:
    """403 ``no_training_access``; 409 ``training_not_published`` (the track's modules are all
    still drafts), ``training_incomplete``, ``prerequisite_missing``, ``retry_period_active``,
    ``max_attempts_reached``, ``attempt_in_progress``."""
    actor, track = track_actor(request_user(request), t)
    attempt, questions = services.attempt_start(actor=actor, track=track)
    return Status(201, attempts.attempt_opening(attempt, questions))


@router.put("/attempts/{a}/answers/{q}", response=AdaptiveAnswerOut | AnswerOut)
def answer(request: HttpRequest, a: str, q: str, payload: AnswerIn) -> dict[str, Any]:
    """An adaptive attempt answers with the next question (or ``finished``)."""
    actor, attempt = attempts.attempt_actor(request_user(request), a)
    attempt = services.attempt_settle(attempt)
    if attempt.adaptive_state is not None:
        return attempts.adaptive_answer_view(
            engine.adaptive_attempt_answer(
                actor=actor, attempt=attempt, question_id=q, choice_ids=payload.choice_ids
            )
        )
    item = engine.attempt_answer(
        actor=actor,
        attempt=attempt,
        question_id=q,
        choice_ids=payload.choice_ids,
        text=payload.text,
    )
    return attempts.answer_view(item)


@router.post("/attempts/{a}/submit", response=SubmitOut)
def submit(request: HttpRequest, a: str) -> dict[str, Any]:
    actor, attempt = attempts.attempt_actor(request_user(request), a)
    services.attempt_submit(actor=actor, attempt=attempt)
    return selectors.attempt_view_for(actor, attempts.attempt_get_for(actor, attempt.id))


@router.get("/attempts/{a}", response=AgentAttemptOut | StaffAttemptOut)
def get_attempt(request: HttpRequest, a: str) -> AgentAttemptOut | StaffAttemptOut:
    """Graders see everything; the agent sees results once the outcome is final; security
    staff see handed-in attempts without answers."""
    actor, attempt = attempts.attempt_actor(request_user(request), a)
    view = selectors.attempt_view_for(actor, services.attempt_settle(attempt))
    return StaffAttemptOut(**view) if attempts.reads_answers(actor) else AgentAttemptOut(**view)


@router.get("/businesses/{b}/reviews", response=list[AttemptReviewOut])
def reviews(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[dict[str, Any]]:
    """Oldest submission first, a page at a time (``X-Next-Cursor``)."""
    page = attempts.reviews_page_for(_settled(api_actor(request, b)), limit=limit, cursor=cursor)
    return paged(response, page)


@router.post("/attempts/{a}/grade", response=StaffAttemptOut)
def grade(request: HttpRequest, a: str, payload: GradingIn) -> dict[str, Any]:
    actor, attempt = attempts.attempt_actor(request_user(request), a)
    services.attempt_grade(
        actor=actor,
        attempt=services.attempt_settle(attempt),
        grades=[engine.GradeSpec(g.question_id, g.points, g.feedback) for g in payload.grades],
        decision=payload.decision,
    )
    return selectors.attempt_view_for(actor, attempts.attempt_get_for(actor, attempt.id))
