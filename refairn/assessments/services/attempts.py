"""Writes for assessment attempts: start, answer, submit, and the auto-submission of abandoned
attempts (PRODUCT.md §4). Certification status moves only through ``certification.services``,
which these functions call with the locked rows."""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import IntegrityError, transaction

from refairn.assessments import domain
from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.assessments.selectors import domain_question
from refairn.assessments.services.text import clean_text
from refairn.certification.domain import AttemptOutcome, Decision
from refairn.certification.selectors import certification_get_or_create
from refairn.certification.services import (
    certification_begin_attempt,
    certification_record_submission,
)
from refairn.core import clock
from refairn.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    field_error,
)
from refairn.core.tenancy import Actor, Role, parse_uuid
from refairn.programs.selectors import business_get_for
from refairn.training.domain import AssessmentMode
from refairn.training.models import Track
from refairn.training.selectors import has_training_access, required_modules_complete

log = logging.getLogger(__name__)


@transaction.atomic
def attempt_start(*, actor: Actor, track: Track) -> tuple[Attempt, list[domain.Question]]:
    """PRODUCT.md §3–4: the assessment opens when training access is on, every required module
    is complete and the certification allows an attempt; it draws the track's question count
    from the active bank with shuffled choices, and fixes the deadline on the server.

    Returns the attempt and its questions in the order shown. The partial unique constraint
    (one open attempt per track and agent) settles two starts at the same moment.
    """
    actor.require(Role.AGENT)
    if not has_training_access(actor, business_get_for(actor)):
        raise Forbidden("Training for this program is not open to you.", code="no_training_access")
    if not required_modules_complete(track_id=track.id, agent_id=actor.user_id):
        raise Conflict(
            "Complete every required module of the track first.", code="training_incomplete"
        )
    if track.assessment_mode == AssessmentMode.ADAPTIVE:
        raise Conflict("Adaptive assessments are not available yet.", code="adaptive_not_available")
    certification = certification_get_or_create(track=track, agent_id=actor.user_id, lock=True)
    open_attempt = (
        Attempt.objects.filter(track=track, agent_id=actor.user_id, state=Attempt.State.IN_PROGRESS)
        .values_list("id", flat=True)
        .first()
    )
    if open_attempt is not None:
        raise _in_progress(open_attempt)
    now = clock.now()
    certification_begin_attempt(certification=certification, now=now)
    bank = [domain_question(q) for q in Question.objects.filter(track=track, active=True)]
    try:
        drawn = domain.draw_questions(bank, track.question_count, random.SystemRandom())
    except domain.BankTooSmall as exc:
        raise Conflict(
            str(exc),
            code=exc.code,
            extra={"available": exc.available, "required": exc.requested},
        ) from None
    deadline = domain.deadline_for(now, track.time_limit_minutes)
    assert deadline is not None  # every track has a time limit (at least a minute)
    # Counted under the certification's lock, so numbers within a cycle never collide.
    number = Attempt.objects.filter(certification=certification, cycle=certification.cycle).count()
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                business_id=track.business_id,
                track=track,
                certification=certification,
                agent_id=actor.user_id,
                cycle=certification.cycle,
                number=number + 1,
                started_at=now,
                deadline=deadline,
            )
    except IntegrityError:
        raise _in_progress(None) from None
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            question_id=uuid.UUID(question.id),
            position=position,
            choice_order=[c["id"] for c in domain.agent_view(question)["choices"]],
            max_points=question.points,
            critical=question.critical,
        )
        for position, question in enumerate(drawn, start=1)
    )
    return attempt, drawn


def _in_progress(attempt_id: uuid.UUID | None) -> Conflict:
    extra = {"attempt_id": str(attempt_id)} if attempt_id else {}
    return Conflict(
        "An attempt at this assessment is already in progress.",
        code="attempt_in_progress",
        extra=extra,
    )


def locked(attempt: Attempt) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("certification", "track")
        .get(pk=attempt.pk)
    )


def _require_own(actor: Actor, attempt: Attempt) -> None:
    if attempt.agent_id != actor.user_id:
        raise Forbidden("Only the agent taking the attempt may do this.")


def _closed() -> Conflict:
    return Conflict("The attempt is closed: submitted or past its deadline.", code="attempt_closed")


@transaction.atomic
def attempt_answer(
    *,
    actor: Actor,
    attempt: Attempt,
    question_id: object,
    choice_ids: Sequence[str] | None,
    text: str | None,
) -> AttemptQuestion:
    """PRODUCT.md §4: an answer is saved while the attempt is open and not past its deadline
    (the deadline instant included); answering again overwrites."""
    attempt = locked(attempt)
    _require_own(actor, attempt)
    key = parse_uuid(question_id, what="question")
    item = attempt.items.select_related("question").filter(question_id=key).first()
    if item is None:
        raise NotFound("question")
    now = clock.now()
    submitted = attempt.state != Attempt.State.IN_PROGRESS
    if not domain.answer_allowed(attempt.deadline, now, submitted=submitted):
        raise _closed()
    question = domain_question(item.question)
    if (choice_ids is None) == (text is None):
        raise InvalidInput(
            "Send either choice_ids or text.",
            code="invalid_answer",
            fields={"body": "send either choice_ids or text"},
        )
    if question.type is domain.QuestionType.MULTIPLE_CHOICE:
        if choice_ids is None:
            raise field_error("choice_ids", "this question takes choice ids", code="invalid_answer")
        try:
            chosen = domain.check_choice_ids(question, choice_ids)
        except domain.InvalidAnswer as exc:
            raise field_error("choice_ids", str(exc), code=exc.code) from None
        item.answer_choice_ids, item.answer_text = sorted(chosen), ""
    else:
        if text is None:
            raise field_error("text", "this question takes a text answer", code="invalid_answer")
        item.answer_choice_ids, item.answer_text = None, clean_text(text)
    item.answered_at = now
    item.save(update_fields=["answer_choice_ids", "answer_text", "answered_at"])
    return item


def store_score(attempt: Attempt, items: Iterable[AttemptQuestion]) -> domain.ScoreResult:
    """The attempt's points from its items; the percentage only once nothing is pending."""
    result = domain.score(
        domain.QuestionResult(str(i.question_id), i.max_points, i.critical, i.points_awarded)
        for i in items
    )
    attempt.earned_points, attempt.total_points = result.earned, result.total
    attempt.pending_points, attempt.needs_review = result.pending_points, result.pending_review
    attempt.critical_missed = result.critical_missed
    attempt.score = None if result.pending_review else result.percent
    attempt.save(
        update_fields=[
            "earned_points",
            "total_points",
            "pending_points",
            "needs_review",
            "critical_missed",
            "score",
        ]
    )
    return result


def apply_decision(attempt: Attempt, decision: Decision) -> None:
    attempt.outcome = decision.outcome
    attempt.passed = {AttemptOutcome.PASSED: True, AttemptOutcome.FAILED: False}.get(
        decision.outcome
    )
    attempt.save(update_fields=["outcome", "passed"])


def _submit(attempt: Attempt, *, at: datetime, auto: bool) -> Attempt:
    """Hand in a locked, open attempt: multiple choice graded now, reviewer-graded questions
    left pending with the platform's suggestion, then the certification moves on."""
    items = list(attempt.items.select_related("question"))
    for item in items:
        question = domain_question(item.question)
        if question.type is domain.QuestionType.MULTIPLE_CHOICE:
            item.points_awarded = domain.grade_choices(question, item.answer_choice_ids)
            item.graded_at = at
        elif suggestion := domain.suggest_score(question, item.answer_text):
            item.suggested_points = suggestion.points
            item.matched_keywords = list(suggestion.matched)
    AttemptQuestion.objects.bulk_update(
        items, ["points_awarded", "graded_at", "suggested_points", "matched_keywords"]
    )
    attempt.submitted_at, attempt.auto_submitted = at, auto
    result = store_score(attempt, items)
    if result.pending_review:
        attempt.state = Attempt.State.SUBMITTED
    else:
        attempt.state, attempt.graded_at = Attempt.State.GRADED, at
    attempt.save(update_fields=["submitted_at", "auto_submitted", "state", "graded_at"])
    apply_decision(attempt, certification_record_submission(attempt=attempt))
    return attempt


@transaction.atomic
def attempt_submit(*, actor: Actor, attempt: Attempt) -> Attempt:
    """PRODUCT.md §4: the agent hands in the attempt. Past the deadline it counts as the
    automatic submission would have: at the deadline, with what was saved."""
    attempt = locked(attempt)
    _require_own(actor, attempt)
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise _closed()
    now = clock.now()
    if domain.needs_auto_submit(attempt.deadline, now, submitted=False):
        return _submit(attempt, at=attempt.deadline, auto=True)
    return _submit(attempt, at=now, auto=False)


@transaction.atomic
def attempt_submit_overdue(*, attempt_id: uuid.UUID, now: datetime) -> bool:
    """PRODUCT.md §4: an attempt left open past its deadline is submitted with what was saved,
    as of its deadline. False when it is no longer open or another worker holds it."""
    attempt = (
        Attempt.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("certification", "track")
        .filter(pk=attempt_id, state=Attempt.State.IN_PROGRESS, deadline__lt=now)
        .first()
    )
    if attempt is None:
        return False
    _submit(attempt, at=attempt.deadline, auto=True)
    return True


def attempts_submit_overdue(*, now: datetime) -> int:
    """Every open attempt past its deadline, each in its own transaction so one that cannot be
    submitted (its certification revoked meanwhile) does not hold back the others."""
    overdue = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now)
    submitted = 0
    for attempt_id in overdue.values_list("id", flat=True):
        try:
            submitted += attempt_submit_overdue(attempt_id=attempt_id, now=now)
        except DomainError:
            log.exception("could not auto-submit attempt %s", attempt_id)
    return submitted
