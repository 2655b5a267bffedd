"""Grading and the attempt score (PRODUCT.md §4).

Decisions where the product text is silent:

- Multiple choice has no partial credit: the chosen set must equal the correct set exactly
  (one or several correct choices); anything else, or no answer, earns 0.
- A critical question counts as missed when it earns less than its full points, whatever its
  type, so a reviewer-graded critical question at 4 of 5 points fails the attempt.
- The displayed percentage is truncated to two places, so it never shows a pass mark the attempt
  did not reach (84.996% shows as 84.99%); pass or fail compares the exact ratio
  (``earned * 100 >= passing_score * total``).
- Reviewer grades take at most two decimal places; a simulation's 0-100 score is scaled to
  the question's points and rounded half up to two places.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from refairn.assessments.domain.errors import (
    GradeOutOfRange,
    InvalidAnswer,
    NotReviewerGraded,
    ScorePending,
)
from refairn.assessments.domain.questions import REVIEWER_GRADED, Question, QuestionType

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


class AttemptOutcome(StrEnum):
    """Where a handed-in attempt stands: decided, or waiting for a reviewer."""

    FAILED = "failed"
    AWAITING_MANUAL_REVIEW = "awaiting_manual_review"
    PASSED = "passed"


def _check_points(earned: Decimal, total: Decimal, passing_score: Decimal) -> None:
    if total <= 0:
        raise ValueError("an assessment must be worth more than zero points")
    if not 0 <= earned <= total:
        raise ValueError(f"earned points {earned} outside 0..{total}")
    if not 0 <= passing_score <= _HUNDRED:
        raise ValueError(f"passing score {passing_score} outside 0..100")


def score_percent(earned: Decimal, total: Decimal) -> Decimal:
    """PRODUCT.md §4: score = earned / total as a percentage, truncated to two places."""
    _check_points(earned, total, Decimal(0))
    return (earned * _HUNDRED / total).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def meets_threshold(earned: Decimal, total: Decimal, passing_score: Decimal) -> bool:
    """PRODUCT.md §4: the score reaches the passing score, compared without rounding."""
    _check_points(earned, total, passing_score)
    return earned * _HUNDRED >= passing_score * total


def automatic_part_decides_fail(
    *,
    auto_earned: Decimal,
    auto_total: Decimal,
    pending_total: Decimal,
    passing_score: Decimal,
    critical_missed: bool,
) -> bool:
    """PRODUCT.md §5: the automatically graded part has already decided a fail.

    True when a critical auto-graded question was missed, or when even full marks on every
    reviewer-graded question (``pending_total`` points) could not reach the passing score.
    """
    if pending_total < 0:
        raise ValueError("pending points cannot be negative")
    if critical_missed:
        return True
    best_total = auto_total + pending_total
    return not meets_threshold(auto_earned + pending_total, best_total, passing_score)


def check_choice_ids(question: Question, choice_ids: Collection[str]) -> frozenset[str]:
    """The agent's chosen ids as a set; ``InvalidAnswer`` for a non-choice question or an
    id that is not one of the question's choices."""
    if question.type is not QuestionType.MULTIPLE_CHOICE:
        raise InvalidAnswer(question.id, "this question takes a text answer, not choices")
    chosen = frozenset(choice_ids)
    unknown = chosen - {c.id for c in question.choices}
    if unknown:
        raise InvalidAnswer(question.id, f"unknown choice ids: {', '.join(sorted(unknown))}")
    return chosen


def grade_choices(question: Question, choice_ids: Collection[str] | None) -> Decimal:
    """PRODUCT.md §4: auto-grading of multiple choice — full points for exactly the correct
    set of choices, else 0 (no partial credit; unanswered is 0)."""
    if question.type is not QuestionType.MULTIPLE_CHOICE:
        raise InvalidAnswer(question.id, "only multiple choice is graded automatically")
    if choice_ids is None:
        return Decimal(0)
    exact = frozenset(choice_ids) == question.correct_choice_ids
    return Decimal(question.points) if exact else Decimal(0)


def apply_grade(question: Question, given: Decimal) -> Decimal:
    """PRODUCT.md §4: a reviewer's grade for a reviewer-graded question, as earned points.

    ``given`` is points (0..question points) or, for a simulation, the 0-100 score which is
    scaled to the question's points. Raises ``GradeOutOfRange`` or ``NotReviewerGraded``.
    """
    if question.type not in REVIEWER_GRADED:
        raise NotReviewerGraded(question.id)
    simulation = question.type is QuestionType.SIMULATION
    maximum = _HUNDRED if simulation else Decimal(question.points)
    if not given.is_finite() or not 0 <= given <= maximum or given != given.quantize(_CENT):
        raise GradeOutOfRange(given, maximum)
    if simulation:
        return (question.points * given / _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)
    return given


@dataclass(frozen=True)
class QuestionResult:
    """One question of an attempt; ``earned`` is None while a reviewer has not graded it."""

    question_id: str
    points: int
    critical: bool
    earned: Decimal | None

    def __post_init__(self) -> None:
        if self.points < 1:
            raise ValueError("points must be at least 1")
        if self.earned is not None and not 0 <= self.earned <= self.points:
            raise ValueError(f"earned {self.earned} outside 0..{self.points}")

    @property
    def correct(self) -> bool:
        """Full points: the bar for a critical question and for percent-correct statistics."""
        return self.earned == self.points

    @classmethod
    def of(cls, question: Question, earned: Decimal | None) -> QuestionResult:
        return cls(question.id, question.points, question.critical, earned)


@dataclass(frozen=True)
class ScoreResult:
    """``earned`` counts graded questions only; ``total`` includes the pending ones, whose
    points are ``pending_points`` (what ``automatic_part_decides_fail`` needs)."""

    earned: Decimal
    total: Decimal
    percent: Decimal
    critical_missed: bool
    pending_review: bool
    pending_points: Decimal


def score(results: Iterable[QuestionResult]) -> ScoreResult:
    """PRODUCT.md §4: score = earned points / total points as a percentage (2 dp, truncated);
    a critical question below full points marks the attempt failed whatever the score."""
    items = list(results)
    if not items:
        raise ValueError("an attempt scores at least one question")
    total = Decimal(sum(r.points for r in items))
    earned = sum((r.earned for r in items if r.earned is not None), Decimal(0))
    pending = Decimal(sum(r.points for r in items if r.earned is None))
    return ScoreResult(
        earned=earned,
        total=total,
        percent=score_percent(earned, total),
        critical_missed=any(r.critical and r.earned is not None and not r.correct for r in items),
        pending_review=pending > 0,
        pending_points=pending,
    )


def passed(result: ScoreResult, passing_score: Decimal | int) -> bool:
    """PRODUCT.md §4: passed when the score reaches the passing score and no critical question
    was missed ("all critical — 1 wrong = retake"). Raises ``ScorePending`` before grading ends.
    """
    passing = Decimal(passing_score)
    if not 0 <= passing <= _HUNDRED:
        raise ValueError(f"passing score {passing} outside 0..100")
    if result.pending_review:
        raise ScorePending()
    return not result.critical_missed and meets_threshold(result.earned, result.total, passing)
