"""Certification drives assessment attempts (PRODUCT.md §3–§5): it decides whether one may
start, has the exam engine (``assessments.services``) open, close and grade it, and applies the
result to the certification — all in one transaction, so an attempt and its certification never
disagree.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from refairn.assessments import domain as exam
from refairn.assessments import services as engine
from refairn.assessments.models import Attempt
from refairn.assessments.selectors import GRADERS, attempts_overdue
from refairn.certification.selectors import certification_get_or_create
from refairn.certification.services.results import (
    certification_begin_attempt,
    certification_record_review,
    certification_record_submission,
)
from refairn.core import clock
from refairn.core.errors import Conflict, DomainError, Forbidden
from refairn.core.tenancy import Actor, Role
from refairn.programs.selectors import business_get_for
from refairn.training.domain import AssessmentMode
from refairn.training.models import Track
from refairn.training.selectors import (
    has_training_access,
    required_modules_complete,
    tracks_without_published_training,
)

log = logging.getLogger(__name__)


@transaction.atomic
def attempt_start(*, actor: Actor, track: Track) -> tuple[Attempt, list[exam.Question]]:
    """PRODUCT.md §3–§4: the assessment opens when training access is on, every required module
    is complete and the certification allows an attempt (prerequisites, retry period, maximum
    attempts, renewal window); the attempt draws its questions and fixes its deadline.

    Returns the attempt and its questions in the order shown. 403 ``no_training_access``; 409
    ``training_not_published`` (modules written, none published yet), ``training_incomplete``
    and the codes of ``certification_begin_attempt`` and ``assessments.services.attempt_open``
    (``adaptive_attempt_open`` for an adaptive track).
    """
    actor.require(Role.AGENT)
    if not has_training_access(actor, business_get_for(actor)):
        raise Forbidden("Training for this program is not open to you.", code="no_training_access")
    if track.id in tracks_without_published_training([track.id]):
        raise Conflict(
            "The training of this track is not published yet; the assessment opens once it is.",
            code="training_not_published",
        )
    if not required_modules_complete(track_id=track.id, agent_id=actor.user_id):
        raise Conflict(
            "Complete every required module of the track first.", code="training_incomplete"
        )
    # The certification's lock serialises starts of the same agent and track.
    certification = certification_get_or_create(track=track, agent_id=actor.user_id, lock=True)
    open_attempt = (
        Attempt.objects.filter(track=track, agent_id=actor.user_id, state=Attempt.State.IN_PROGRESS)
        .values_list("id", flat=True)
        .first()
    )
    if open_attempt is not None:
        raise engine.attempt_in_progress(open_attempt)
    now = clock.now()
    certification_begin_attempt(certification=certification, now=now)
    adaptive = track.assessment_mode == AssessmentMode.ADAPTIVE
    open_attempt_for = engine.adaptive_attempt_open if adaptive else engine.attempt_open
    return open_attempt_for(track=track, agent_id=actor.user_id, cycle=certification.cycle, now=now)


def _hand_in(attempt: Attempt, *, at: datetime, auto: bool) -> Attempt:
    """Close a locked, open attempt and move its certification on."""
    if attempt.adaptive_state is not None:
        engine.adaptive_attempt_close(attempt, at=at, auto=auto)
    else:
        engine.attempt_close(attempt, at=at, auto=auto)
    decision = certification_record_submission(attempt=attempt)
    engine.attempt_outcome_record(attempt, decision.outcome)
    return attempt


@transaction.atomic
def attempt_submit(*, actor: Actor, attempt: Attempt) -> Attempt:
    """PRODUCT.md §4: the agent hands in the attempt. Past the deadline it counts as the
    automatic submission would have: at the deadline, with what was saved."""
    attempt = engine.attempt_locked(attempt)
    if attempt.agent_id != actor.user_id:
        raise Forbidden("Only the agent taking the attempt may do this.")
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise engine.attempt_closed()
    now = clock.now()
    if exam.needs_auto_submit(attempt.deadline, now, submitted=False):
        return _hand_in(attempt, at=attempt.deadline, auto=True)
    return _hand_in(attempt, at=now, auto=False)


@transaction.atomic
def attempt_submit_overdue(*, attempt_id: uuid.UUID, now: datetime) -> bool:
    """PRODUCT.md §4: an attempt left open past its deadline is submitted with what was saved,
    as of its deadline. False when it is no longer open or another worker holds it."""
    attempt = (
        Attempt.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("track")
        .filter(pk=attempt_id, state=Attempt.State.IN_PROGRESS, deadline__lt=now)
        .first()
    )
    if attempt is None:
        return False
    _hand_in(attempt, at=attempt.deadline, auto=True)
    return True


def attempts_submit_overdue(*, now: datetime, **scope: object) -> int:
    """Every open attempt past its deadline (within ``scope``: a business, an agent), each in
    its own transaction so one that cannot be submitted (its certification revoked meanwhile)
    does not hold back the others."""
    submitted = 0
    for attempt_id in attempts_overdue(now=now, **scope):
        try:
            submitted += attempt_submit_overdue(attempt_id=attempt_id, now=now)
        except DomainError:
            log.exception("could not auto-submit attempt %s", attempt_id)
    return submitted


def attempt_settle(attempt: Attempt) -> Attempt:
    """Issue 11 item 4: an open attempt past its deadline reads as submitted on every read and
    action, handed in as of its deadline with what was saved, without waiting for the sweep."""
    now = clock.now()
    if attempt.state == Attempt.State.IN_PROGRESS and exam.needs_auto_submit(
        attempt.deadline, now, submitted=False
    ):
        attempts_submit_overdue(now=now, pk=attempt.pk)
        attempt.refresh_from_db()
    return attempt


def attempts_settle(*, business_id: uuid.UUID, agent_id: uuid.UUID | None = None) -> None:
    """``attempt_settle`` for every overdue attempt of a business (or one agent in it), before
    a list or a certification is read."""
    scope: dict[str, object] = {"business_id": business_id}
    if agent_id is not None:
        scope["agent_id"] = agent_id
    attempts_submit_overdue(now=clock.now(), **scope)


@transaction.atomic
def attempt_grade(
    *,
    actor: Actor,
    attempt: Attempt,
    grades: Sequence[engine.GradeSpec],
    decision: str | None,
) -> Attempt:
    """PRODUCT.md §4–5: a reviewer grades the reviewer-graded questions (in one call or
    several); once none is pending the score is final and, for an attempt awaiting review,
    the certification decision follows (``decision`` None follows the score)."""
    actor.require(*GRADERS)
    attempt = engine.attempt_locked(attempt)
    if attempt.state == Attempt.State.IN_PROGRESS:
        raise Conflict("The attempt has not been submitted yet.", code="attempt_not_submitted")
    awaiting = attempt.outcome == exam.AttemptOutcome.AWAITING_MANUAL_REVIEW
    if not awaiting and (attempt.state == Attempt.State.GRADED or decision is not None):
        raise Conflict("The attempt's outcome is already decided.", code="attempt_already_decided")
    result = engine.attempt_items_grade(actor=actor, attempt=attempt, grades=grades)
    if result.pending_review:
        if decision is not None:
            raise Conflict(
                "Grade every reviewer-graded question before deciding.",
                code="grading_incomplete",
            )
        return attempt
    if awaiting:
        outcome = certification_record_review(attempt=attempt, decision=decision, actor=actor)
        engine.attempt_outcome_record(attempt, outcome.outcome)
    return attempt
