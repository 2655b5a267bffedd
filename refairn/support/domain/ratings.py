"""Customer ratings of closed tickets and the agent's quality tier (PRODUCT.md §6 "Ratings")."""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from refairn.support.domain.errors import RatingError

MIN_SCORE = 1
MAX_SCORE = 5
MIN_RATINGS_FOR_TIER = 5
_CENT = Decimal("0.01")


class QualityTier(StrEnum):
    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    UNRATED = "unrated"


# Highest first; the overall average must reach the bound (PRODUCT.md §6).
_TIER_BOUNDS: tuple[tuple[QualityTier, Decimal], ...] = (
    (QualityTier.GOLD, Decimal("4.5")),
    (QualityTier.SILVER, Decimal("4.0")),
    (QualityTier.BRONZE, Decimal("3.5")),
)


@dataclass(frozen=True)
class Rating:
    """One customer's scores for one closed ticket, each an integer from 1 to 5."""

    responsiveness: int
    product_knowledge: int
    professionalism: int
    overall: int

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            # bool is an int subclass; a checkbox value is not a score.
            if isinstance(value, bool) or not isinstance(value, int):
                raise RatingError(f.name)
            if not MIN_SCORE <= value <= MAX_SCORE:
                raise RatingError(f.name)


@dataclass(frozen=True)
class RatingSummary:
    """Count and per-dimension averages (Decimal, 2 places; None while there are no ratings)."""

    count: int
    responsiveness: Decimal | None
    product_knowledge: Decimal | None
    professionalism: Decimal | None
    overall: Decimal | None


def _average(total: int, count: int) -> Decimal | None:
    if count == 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(_CENT, rounding=ROUND_HALF_UP)


def summary_from_totals(
    *,
    count: int,
    responsiveness: int,
    product_knowledge: int,
    professionalism: int,
    overall: int,
) -> RatingSummary:
    """PRODUCT.md §6: the profile figures from a count and score sums (e.g. a database SUM)."""
    if count < 0:
        raise ValueError("count cannot be negative")
    return RatingSummary(
        count=count,
        responsiveness=_average(responsiveness, count),
        product_knowledge=_average(product_knowledge, count),
        professionalism=_average(professionalism, count),
        overall=_average(overall, count),
    )


def aggregate(ratings: Iterable[Rating]) -> RatingSummary:
    """PRODUCT.md §6: averages and count shown on the agent's public profile."""
    items = list(ratings)
    return summary_from_totals(
        count=len(items),
        responsiveness=sum(r.responsiveness for r in items),
        product_knowledge=sum(r.product_knowledge for r in items),
        professionalism=sum(r.professionalism for r in items),
        overall=sum(r.overall for r in items),
    )


def quality_tier(summary: RatingSummary) -> QualityTier:
    """PRODUCT.md §6: Gold >= 4.5, Silver >= 4.0, Bronze >= 3.5 overall, from 5 ratings on.

    The tier reads the same 2-place average the profile shows, so a profile never shows 4.50
    next to Silver.
    """
    if summary.count < MIN_RATINGS_FOR_TIER or summary.overall is None:
        return QualityTier.UNRATED
    for tier, bound in _TIER_BOUNDS:
        if summary.overall >= bound:
            return tier
    return QualityTier.UNRATED
