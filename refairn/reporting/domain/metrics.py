"""Exact figures and their one rounding rule (PRODUCT.md §8).

Every rate in the reports is kept as its exact counts (``Ratio``, ``Mean``) and rounded once,
when it is shown, half up (the rule people check by hand: 4.7619% shows as 4.8%). Rounding is
done on exact fractions, never on floats or on an already rounded figure, so the same counts
always give the same text whatever precision each block shows. Percentages rounded this way
need not add up to 100 (the seed's overview shows 81.0 + 14.3 + 4.7; half up gives 4.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import floor

HUNDRED = Fraction(100)
_HALF = Fraction(1, 2)


def round_half_up(value: Fraction, places: int = 0) -> Decimal:
    """Round an exact value to ``places`` decimals, ties away from zero (Decimal's
    ROUND_HALF_UP), so a negative change mirrors the positive one."""
    scaled = value * 10**places
    magnitude = floor(abs(scaled) + _HALF)
    return Decimal(-magnitude if scaled < 0 else magnitude).scaleb(-places)


@dataclass(frozen=True)
class Ratio:
    """``part`` of ``whole`` (0 <= part <= whole); undefined (None) when ``whole`` is 0."""

    part: int
    whole: int

    def __post_init__(self) -> None:
        if not 0 <= self.part <= self.whole:
            raise ValueError(f"{self.part} of {self.whole} is not a ratio")

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None

    def percent(self, places: int = 1) -> Decimal | None:
        exact = self.fraction
        return None if exact is None else round_half_up(exact * HUNDRED, places)


@dataclass(frozen=True)
class Mean:
    """The mean of ``count`` integer values summing to ``total``; None when ``count`` is 0."""

    total: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError(f"a mean of {self.count} values is impossible")

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None

    def value(self, places: int = 1) -> Decimal | None:
        exact = self.fraction
        return None if exact is None else round_half_up(exact, places)


def points_change(
    current: Fraction | None, previous: Fraction | None, places: int = 1
) -> Decimal | None:
    """The change between two shares in percentage points (81.0% after 73.0% is +8.0)."""
    if current is None or previous is None:
        return None
    return round_half_up((current - previous) * HUNDRED, places)


def relative_change(value: Fraction | None, reference: Fraction | None) -> Decimal | None:
    """``(value - reference) / reference`` as a whole percent (6.8% against 14.2% is -52%);
    None when the reference is missing or zero."""
    if value is None or reference is None or reference == 0:
        return None
    return round_half_up((value - reference) / reference * HUNDRED)


def roi_percent(annual_cost: Decimal | None, revenue_impact: Decimal | None) -> Decimal | None:
    """PRODUCT.md §8: ROI = (impact - cost) / cost, as a whole percent rounded half up
    (89,000 on 12,000 is 641.67%, shown as 642%). None without a positive cost and an impact."""
    if annual_cost is None or revenue_impact is None or annual_cost <= 0:
        return None
    cost = Fraction(annual_cost)
    return round_half_up((Fraction(revenue_impact) - cost) / cost * HUNDRED)


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


@dataclass(frozen=True)
class Comparison:
    """A share now and a period earlier, and its change in percentage points rounded to 0.1
    (the direction follows the rounded change, so "→ unchanged" never hides a visible move)."""

    current: Ratio
    previous: Ratio | None
    change_points: Decimal | None
    direction: Direction | None


def compare(current: Ratio, previous: Ratio | None) -> Comparison:
    change = points_change(current.fraction, previous.fraction if previous else None)
    direction = None
    if change is not None:
        direction = Direction.UP if change > 0 else Direction.DOWN if change < 0 else Direction.SAME
    return Comparison(current, previous, change, direction)
