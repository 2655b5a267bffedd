"""Question analytics from counts (PRODUCT.md §4), so the database can count and the figures
still follow ``assessments.domain.statistics`` exactly.

``question_statistics`` ranks every final attempt that drew a question by the attempt's total
percentage and compares the top and bottom 27% (Kelley's groups). Those figures only need four
counts per question, which one aggregate query can produce: times answered, times correct
(full points), and how many of the upper and lower groups got it right. The group size is
``group_size(answered)``; the query computes the same integer formula. Ranking is the costly
part, so the group counts are optional: without them there is no discrimination.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def group_size(answered: int) -> int:
    """Kelley's group: 27% of the attempts rounded half up, at least one. In integers,
    ``floor(0.27 n + 0.5) = (27 n + 50) // 100``, which SQL computes the same way."""
    return max(1, (27 * answered + 50) // 100)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class QuestionCounts:
    """One question's counts over the final attempts that drew it; ``upper_correct`` and
    ``lower_correct`` count the correct answers in the top and bottom ``group_size`` attempts
    by total percentage (None when the attempts were not ranked)."""

    question_id: str
    answered: int
    correct: int
    upper_correct: int | None = None
    lower_correct: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.correct <= self.answered:
            raise ValueError(f"{self.correct} correct of {self.answered} answered")
        size = group_size(self.answered) if self.answered else 0
        for group in (self.upper_correct, self.lower_correct):
            if group is not None and not 0 <= group <= min(size, self.correct):
                raise ValueError("a group cannot have more correct answers than attempts")

    @property
    def percent_correct(self) -> Decimal | None:
        """Correct / answered in percent, 2 dp half up; None when never answered."""
        if not self.answered:
            return None
        return _cents(Decimal(self.correct) * _HUNDRED / Decimal(self.answered))

    @property
    def discrimination(self) -> Decimal | None:
        """D = p_upper - p_lower, 2 dp half up; None with fewer than two attempts or without
        the group counts."""
        if self.answered < 2 or self.upper_correct is None or self.lower_correct is None:
            return None
        size = Decimal(group_size(self.answered))
        return _cents(Decimal(self.upper_correct) / size - Decimal(self.lower_correct) / size)


def mean_percent(total: Decimal, count: int) -> Decimal | None:
    """The mean of ``count`` percentages summing to ``total``, 2 dp half up (the rounding of
    ``assessments.domain.average_percent``); None for none."""
    return _cents(total / count) if count else None
