from decimal import Decimal

import pytest

from refairn.support.domain.errors import RatingError
from refairn.support.domain.ratings import (
    QualityTier,
    Rating,
    RatingSummary,
    aggregate,
    quality_tier,
    summary_from_totals,
)


def overall(*scores: int) -> list[Rating]:
    return [Rating(5, 5, 5, s) for s in scores]


@pytest.mark.parametrize(
    "field", ["responsiveness", "product_knowledge", "professionalism", "overall"]
)
@pytest.mark.parametrize("bad", [0, 6, -1, True, 4.5, "5"])
def test_scores_outside_one_to_five_name_the_field(field: str, bad: object) -> None:
    scores: dict[str, object] = dict.fromkeys(
        ("responsiveness", "product_knowledge", "professionalism", "overall"), 3
    )
    scores[field] = bad
    with pytest.raises(RatingError) as error:
        Rating(**scores)  # type: ignore[arg-type]
    assert error.value.field == field


def test_aggregate_averages_each_dimension_to_two_places() -> None:
    summary = aggregate([Rating(5, 4, 3, 5), Rating(4, 4, 4, 5), Rating(4, 3, 5, 4)])
    assert summary == RatingSummary(
        count=3,
        responsiveness=Decimal("4.33"),
        product_knowledge=Decimal("3.67"),
        professionalism=Decimal("4.00"),
        overall=Decimal("4.67"),
    )


def test_aggregate_of_nothing_has_no_averages() -> None:
    assert aggregate([]) == RatingSummary(0, None, None, None, None)


def test_summary_from_database_totals_matches_aggregate() -> None:
    ratings = overall(5, 4, 4, 5, 5)
    totals = summary_from_totals(
        count=5, responsiveness=25, product_knowledge=25, professionalism=25, overall=23
    )
    assert totals == aggregate(ratings)
    assert totals.overall == Decimal("4.60")


@pytest.mark.parametrize(
    ("scores", "tier"),
    [
        ((5, 5, 4, 4, 5), QualityTier.GOLD),  # 4.60
        ((5, 4, 5, 4, 4, 5), QualityTier.GOLD),  # 4.50 exactly
        ((5, 4, 4, 4, 4), QualityTier.SILVER),  # 4.20
        ((4, 4, 4, 4, 4), QualityTier.SILVER),  # 4.00 exactly
        ((4, 4, 4, 3, 4), QualityTier.BRONZE),  # 3.80
        ((4, 3, 4, 3, 4, 3), QualityTier.BRONZE),  # 3.50 exactly
        ((4, 3, 3, 4, 3), QualityTier.UNRATED),  # 3.40
        ((5, 5, 5, 5), QualityTier.UNRATED),  # too few ratings
        ((), QualityTier.UNRATED),
    ],
)
def test_quality_tier_on_overall_average_with_five_ratings(
    scores: tuple[int, ...], tier: QualityTier
) -> None:
    assert quality_tier(aggregate(overall(*scores))) is tier


def test_tier_uses_the_average_the_profile_shows() -> None:
    # 899 / 200 = 4.495, shown as 4.50: the profile shows Gold next to it, not Silver.
    summary = summary_from_totals(
        count=200, responsiveness=1000, product_knowledge=1000, professionalism=1000, overall=899
    )
    assert summary.overall == Decimal("4.50")
    assert quality_tier(summary) is QualityTier.GOLD
