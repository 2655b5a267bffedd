"""The exam engine's writes (PRODUCT.md §4): open an attempt (draw the questions, fix the
deadline), take answers while it is open, close it (grade what grades itself, suggest scores for
the rest, score it) and record its outcome. Whether an attempt may start and what its result
does to a certification is certification's business: ``certification.services.attempts`` drives
these functions inside its own transaction.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import IntegrityError, transaction

from refairn.assessments import domain
from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.assessments.selectors import domain_question, shown_question
from refairn.assessments.services.text import clean_text
from refairn.core import clock
from refairn.core.bulk import rows_update
from refairn.core.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from refairn.core.tenancy import Actor, parse_uuid
from refairn.training.models import Track


def attempt_in_progress(attempt_id: uuid.UUID | None) -> Conflict:
    """409 ``attempt_in_progress``, naming the open attempt when it is known."""
    extra = {"attempt_id": str(attempt_id)} if attempt_id else {}
    return Conflict(
        "An attempt at this assessment is already in progress.",
        code="attempt_in_progress",
        extra=extra,
    )


def attempt_row_create(
    *, track: Track, agent_id: uuid.UUID, cycle: int, now: datetime, **fields: object
) -> Attempt:
    """The attempt row of a fixed or adaptive start: its number within the cycle and its
    deadline fixed on the server; 409 ``attempt_in_progress`` when an open attempt exists (the
    partial unique constraint settles two starts at once)."""
    deadline = domain.deadline_for(now, track.time_limit_minutes)
    assert deadline is not None  # every track has a time limit (at least a minute)
    number = Attempt.objects.filter(track=track, agent_id=agent_id, cycle=cycle).count() + 1
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                business_id=track.business_id,
                track=track,
                agent_id=agent_id,
                cycle=cycle,
                number=number,
                started_at=now,
                deadline=deadline,
                **fields,
            )
    except IntegrityError:
        raise attempt_in_progress(None) from None


def attempt_open(
    *, track: Track, agent_id: uuid.UUID, cycle: int, now: datetime
) -> tuple[Attempt, list[domain.Question]]:
    """PRODUCT.md §4: a new attempt drawing the track's question count (in its mix of types)
    from the active bank with shuffled choices, its deadline fixed on the server. ``cycle`` is
    the certification cycle the attempt counts toward (its number runs within it). The caller
    decided that it may start and holds the lock that serialises starts of the same agent and
    track.

    409 ``bank_too_small`` (with ``available``, ``required`` and, for a type of the mix short of
    questions, ``question_type``); 409 ``attempt_in_progress``
    when an open attempt exists (the partial unique constraint settles two starts at once).
    """
    bank = [domain_question(q) for q in Question.objects.filter(track=track, active=True)]
    composition = [(domain.QuestionType(c["type"]), int(c["count"])) for c in track.composition]
    try:
        drawn = domain.draw_questions(
            bank, track.question_count, random.SystemRandom(), composition
        )
    except domain.BankTooSmall as exc:
        extra: dict[str, object] = {"available": exc.available, "required": exc.requested}
        if exc.question_type:
            extra["question_type"] = exc.question_type
        raise Conflict(str(exc), code=exc.code, extra=extra) from None
    attempt = attempt_row_create(track=track, agent_id=agent_id, cycle=cycle, now=now)
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            business_id=attempt.business_id,
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


def attempt_locked(attempt: Attempt) -> Attempt:
    """The attempt row locked for a read that decides a write, with its track."""
    return (
        Attempt.objects.select_for_update(of=("self",)).select_related("track").get(pk=attempt.pk)
    )


def attempt_closed() -> Conflict:
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
    (the deadline instant included); answering again overwrites. ``choice_ids`` are the ids the
    attempt shows (``selectors.shown_question``), stored as the authored ids they stand for."""
    attempt = attempt_locked(attempt)
    if attempt.agent_id != actor.user_id:
        raise Forbidden("Only the agent taking the attempt may do this.")
    key = parse_uuid(question_id, what="question")
    item = attempt.items.select_related("question").filter(question_id=key).first()
    if item is None:
        raise NotFound("question")
    now = clock.now()
    submitted = attempt.state != Attempt.State.IN_PROGRESS
    if not domain.answer_allowed(attempt.deadline, now, submitted=submitted):
        raise attempt_closed()
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
        shown = shown_question(attempt.id, question)
        try:
            chosen = domain.check_choice_ids(shown, choice_ids)
        except domain.InvalidAnswer as exc:
            raise field_error("choice_ids", str(exc), code=exc.code) from None
        authored = domain.authored_ids(question, shown)
        item.answer_choice_ids, item.answer_text = sorted(authored[c] for c in chosen), ""
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


def attempt_close(attempt: Attempt, *, at: datetime, auto: bool) -> domain.ScoreResult:
    """PRODUCT.md §4: hand in a locked, open attempt as of ``at`` (an abandoned attempt: its
    deadline, ``auto``): multiple choice is graded now, reviewer-graded questions wait with the
    platform's suggestion, and the attempt is scored."""
    items = list(attempt.items.select_related("question"))
    for item in items:
        question = domain_question(item.question)
        if question.type is domain.QuestionType.MULTIPLE_CHOICE:
            item.points_awarded = domain.grade_choices(question, item.answer_choice_ids)
            item.graded_at = at
        elif suggestion := domain.suggest_score(question, item.answer_text):
            item.suggested_points = suggestion.points
            item.matched_keywords = list(suggestion.matched)
    rows_update(items, ["points_awarded", "graded_at", "suggested_points", "matched_keywords"])
    attempt.submitted_at, attempt.auto_submitted = at, auto
    result = store_score(attempt, items)
    if result.pending_review:
        attempt.state = Attempt.State.SUBMITTED
    else:
        attempt.state, attempt.graded_at = Attempt.State.GRADED, at
    attempt.save(update_fields=["submitted_at", "auto_submitted", "state", "graded_at"])
    return result


def attempt_outcome_record(attempt: Attempt, outcome: domain.AttemptOutcome) -> None:
    """Where the handed-in attempt stands (decided, or awaiting a reviewer), as the
    certification rules decided it."""
    attempt.outcome = outcome
    attempt.passed = {domain.AttemptOutcome.PASSED: True, domain.AttemptOutcome.FAILED: False}.get(
        outcome
    )
    attempt.save(update_fields=["outcome", "passed"])
