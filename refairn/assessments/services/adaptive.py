"""Adaptive attempts (issue 15 item 3): the exam engine's writes for a track whose assessment
is ``adaptive``. The rules are ``domain.cat`` and ``domain.irt``; this module loads the bank,
keeps the attempt's ``CatState`` on the attempt row and its questions as ``AttemptQuestion``
rows, one at a time, as the agent answers.

Decisions where the issue is silent:

- The adaptive bank is the track's active multiple-choice questions: only they are graded the
  moment they are answered, which choosing the next question needs. Other question types in
  the bank are left out of adaptive attempts.
- The cut ability is fixed when the attempt starts (stored with the state), so an attempt is
  judged against the bank it was started on; its questions stay in the bank for the estimate
  if they are retired meanwhile.
- An answer is final: a second answer, or an answer to a question that is not the current
  one, is 409 ``adaptive_not_current_question``.
- Finishing does not hand the attempt in: the agent submits (or the deadline does) and the
  result is the same, decided on the answers given. A question shown but left unanswered at
  the deadline counts for nothing, critical or not.
- The score is the bank's expected percent correct at the final estimate; pass or fail is the
  estimate against the cut, and the stored points (``earned`` of 100) follow that decision, so
  certification reads the same outcome from them as from the estimate.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from refairn.assessments import domain
from refairn.assessments.domain import cat
from refairn.assessments.domain.irt import BankArrays, ItemParameters, cut_theta, expected_percent
from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.assessments.selectors import domain_question, question_parameters, shown_question
from refairn.assessments.services.attempts import attempt_closed, attempt_row_create
from refairn.core import clock
from refairn.core.bulk import rows_update
from refairn.core.errors import Conflict, Forbidden, NotFound, field_error
from refairn.core.tenancy import Actor, parse_uuid
from refairn.training.models import Track

# The recent adaptive attempts of a track whose questions count toward the exposure cap.
EXPOSURE_WINDOW = 500
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def cat_settings(track: Track) -> cat.CatSettings:
    """The track's adaptive settings: at most ``question_count`` questions, at least
    ``REFAIRN_CAT_MIN_QUESTIONS`` (10) when the maximum allows, randomesque among
    ``REFAIRN_CAT_TOP_K`` (3)."""
    return cat.CatSettings(
        max_questions=track.question_count,
        min_questions=min(settings.REFAIRN_CAT_MIN_QUESTIONS, track.question_count),
        top_k=settings.REFAIRN_CAT_TOP_K,
    )


def adaptive_bank(track: Track) -> dict[str, ItemParameters | None]:
    """The track's adaptive bank (active multiple choice), each with its parameters or None."""
    questions = Question.objects.filter(
        track=track, active=True, type=domain.QuestionType.MULTIPLE_CHOICE
    )
    return {str(q.id): question_parameters(q) for q in questions}


def _unusable(error: cat.AdaptiveBankUnusable) -> Conflict:
    """409 naming what the bank lacks: ``question_ids`` without parameters, or the
    ``available`` and ``required`` counts, and every problem found."""
    first = error.problems[0]
    extra: dict[str, object] = {
        "problems": [
            {"code": p.code.value, "detail": p.detail, "question_ids": list(p.item_ids)}
            for p in error.problems
        ]
    }
    if first.code is cat.BankProblemCode.UNCALIBRATED:
        extra["question_ids"] = list(first.item_ids)
    return Conflict(str(error), code=error.code, extra=extra)


@dataclass(frozen=True)
class _Stored:
    state: cat.CatState
    theta_cut: float

    @classmethod
    def of(cls, attempt: Attempt) -> _Stored:
        data = attempt.adaptive_state
        assert isinstance(data, dict)  # only adaptive attempts come here
        return cls(cat.CatState.from_json(data), float(data["theta_cut"]))

    def save(self, attempt: Attempt) -> None:
        attempt.adaptive_state = self.state.to_json() | {"theta_cut": self.theta_cut}
        attempt.save(update_fields=["adaptive_state"])


def _exposure_snapshot(track: Track) -> frozenset[str]:
    """Issue 15 exposure control: the items already shown to too many recent attempts."""
    recent = list(
        Attempt.objects.filter(track=track, adaptive_state__isnull=False)
        .order_by("-started_at")
        .values_list("id", flat=True)[:EXPOSURE_WINDOW]
    )
    shown = (
        AttemptQuestion.objects.filter(attempt_id__in=recent)
        .values("question_id")
        .annotate(n=Count("attempt_id"))
    )
    return cat.over_exposed({str(row["question_id"]): row["n"] for row in shown}, len(recent))


def _show(attempt: Attempt, question_id: str, position: int) -> domain.Question:
    """Add the chosen question to the attempt, its choices shuffled for this attempt."""
    row = Question.objects.get(pk=question_id)
    question = domain.shuffle_choices(domain_question(row), random.SystemRandom())
    AttemptQuestion.objects.create(
        business_id=attempt.business_id,
        attempt=attempt,
        question=row,
        position=position,
        choice_order=[c.id for c in question.choices],
        max_points=row.points,
        critical=row.critical,
    )
    return question


def adaptive_attempt_open(
    *, track: Track, agent_id: uuid.UUID, cycle: int, now: datetime
) -> tuple[Attempt, list[domain.Question]]:
    """Issue 15: a new adaptive attempt and its first question (the most informative at the
    prior, among the top k). 409 ``adaptive_bank_uncalibrated`` (with ``question_ids``),
    ``adaptive_bank_too_small`` or ``adaptive_cut_unreachable`` when the bank cannot serve;
    409 ``attempt_in_progress`` as for a fixed form."""
    items = adaptive_bank(track)
    passing = float(track.passing_score)
    try:
        cat.require_usable_bank(items, track.question_count, passing)
    except cat.AdaptiveBankUnusable as error:
        raise _unusable(error) from None
    bank = BankArrays.of({i: p for i, p in items.items() if p is not None})
    theta_cut = cut_theta(bank, passing)
    state = cat.start(secrets.token_hex(16), _exposure_snapshot(track))
    step = cat.advance(bank, state, cat_settings(track), theta_cut)
    assert step.next_item is not None  # a usable bank always has a first question
    attempt = attempt_row_create(
        track=track,
        agent_id=agent_id,
        cycle=cycle,
        now=now,
        adaptive_state=step.state.to_json() | {"theta_cut": theta_cut},
    )
    return attempt, [_show(attempt, step.next_item, 1)]


def _bank_for(attempt: Attempt) -> BankArrays:
    """The track's calibrated adaptive bank plus the attempt's own questions (retired ones
    too), with the parameters they have now."""
    rows = Question.objects.filter(track_id=attempt.track_id, irt_a__isnull=False).filter(
        id__in=attempt.items.values("question_id")
    ) | Question.objects.filter(
        track_id=attempt.track_id,
        active=True,
        type=domain.QuestionType.MULTIPLE_CHOICE,
        irt_a__isnull=False,
    )
    return BankArrays.of({str(q.id): p for q in rows if (p := question_parameters(q)) is not None})


def adaptive_current(attempt: Attempt) -> AttemptQuestion | None:
    """The question the open adaptive attempt waits for; None once it has finished."""
    current = _Stored.of(attempt).state.current
    if current is None:
        return None
    return attempt.items.select_related("question").get(question_id=current)


@dataclass(frozen=True)
class AdaptiveAnswer:
    item: AttemptQuestion
    next_question: domain.Question | None

    @property
    def finished(self) -> bool:
        return self.next_question is None


@transaction.atomic
def adaptive_attempt_answer(
    *, actor: Actor, attempt: Attempt, question_id: object, choice_ids: Sequence[str] | None
) -> AdaptiveAnswer:
    """Issue 15: the answer to the current question, graded at once, then the next question
    (or none: the test has what it needs). The deadline holds as for a fixed form."""
    attempt = Attempt.objects.select_for_update(of=("self",)).get(pk=attempt.pk)
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
    if choice_ids is None:
        raise field_error("choice_ids", "this question takes choice ids", code="invalid_answer")
    question = domain_question(item.question)
    shown = shown_question(attempt.id, question)  # the agent answers with the keys shown
    try:
        chosen = domain.check_choice_ids(shown, choice_ids)
    except domain.InvalidAnswer as exc:
        raise field_error("choice_ids", str(exc), code=exc.code) from None
    authored = domain.authored_ids(question, shown)
    chosen = frozenset(authored[c] for c in chosen)
    stored = _Stored.of(attempt)
    points = domain.grade_choices(question, chosen)
    try:
        state = cat.record_answer(stored.state, str(key), points == item.max_points)
    except cat.NotCurrentQuestion as exc:
        raise Conflict(str(exc), code=exc.code) from None
    item.answer_choice_ids, item.answer_text = sorted(chosen), ""
    item.answered_at, item.points_awarded, item.graded_at = now, points, now
    item.save(
        update_fields=[
            "answer_choice_ids",
            "answer_text",
            "answered_at",
            "points_awarded",
            "graded_at",
        ]
    )
    step = cat.advance(_bank_for(attempt), state, cat_settings(attempt.track), stored.theta_cut)
    _Stored(step.state, stored.theta_cut).save(attempt)
    if step.next_item is None:
        return AdaptiveAnswer(item, None)
    return AdaptiveAnswer(item, _show(attempt, step.next_item, len(step.state.asked)))


def _score_points(score: float, passed: bool, passing_score: Decimal) -> Decimal:
    """The score as points out of 100, on the decision's side of the passing score: the two
    agree up to floating-point error at the cut, which must not flip the outcome."""
    points = Decimal(str(score)).quantize(_CENT, rounding=ROUND_DOWN)
    if passed:
        return min(max(points, passing_score), _HUNDRED)
    return max(min(points, passing_score - _CENT), Decimal(0))


def adaptive_attempt_close(attempt: Attempt, *, at: datetime, auto: bool) -> None:
    """Issue 15: hand in a locked, open adaptive attempt as of ``at``, decided on the answers
    given (a question left open counts for nothing); a wrong critical answer fails it."""
    stored = _Stored.of(attempt)
    bank = _bank_for(attempt)
    decision = cat.decide(bank, stored.state, stored.theta_cut)
    answered = set(stored.state.answered)
    items = list(attempt.items.all())
    for item in items:
        if item.points_awarded is None:  # shown, never answered
            item.points_awarded, item.graded_at = Decimal(0), at
    rows_update(items, ["points_awarded", "graded_at"])
    passing = Decimal(attempt.track.passing_score)
    active = adaptive_bank(attempt.track)
    calibrated = {i: p for i, p in active.items() if p is not None}
    # The score is over the bank as it is now; with its whole bank retired, over its own items.
    score = (
        expected_percent(decision.estimate.theta, BankArrays.of(calibrated))
        if calibrated
        else decision.score
    )
    earned = _score_points(score, decision.passed, passing)
    attempt.critical_missed = any(
        i.critical and i.points_awarded != i.max_points
        for i in items
        if str(i.question_id) in answered
    )
    attempt.earned_points, attempt.total_points = earned, _HUNDRED
    attempt.pending_points, attempt.needs_review = Decimal(0), False
    attempt.score = earned
    attempt.submitted_at, attempt.auto_submitted = at, auto
    attempt.state, attempt.graded_at = Attempt.State.GRADED, at
    attempt.save(
        update_fields=[
            "critical_missed",
            "earned_points",
            "total_points",
            "pending_points",
            "needs_review",
            "score",
            "submitted_at",
            "auto_submitted",
            "state",
            "graded_at",
        ]
    )
