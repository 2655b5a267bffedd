"""Exact figures and their one rounding rule (metrics module docs)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.reporting.domain.metrics import (
    Mean,
    Ratio,
    points_change,
    relative_change,
    roi_percent,
    round_half_up,
)

D = Decimal
amounts = st.decimals(min_value=D("0.01"), max_value=D("100000000"), places=2)


def test_half_up_rounds_4_7619_percent_to_4_8() -> None:
    assert Ratio(2, 42).percent(1) == D("4.8")
    assert Ratio(1, 8).percent(1) == D("12.5")
    assert Ratio(1, 16).percent(1) == D("6.3")  # 6.25 is a tie: up


def test_an_empty_ratio_has_no_percent() -> None:
    assert Ratio(0, 0).percent() is None
    assert Mean(0, 0).value() is None


def test_impossible_ratios_are_refused() -> None:
    with pytest.raises(ValueError):
        Ratio(3, 2)
    with pytest.raises(ValueError):
        Ratio(-1, 2)


def test_roi_examples() -> None:
    assert roi_percent(D(12000), D(89000)) == D(642)
    assert roi_percent(D(1000), D(500)) == D(-50)
    assert roi_percent(D(0), D(500)) is None
    assert roi_percent(None, D(500)) is None


def test_changes() -> None:
    assert points_change(Fraction(34, 42), Fraction(26, 42)) == D("19.0")
    assert points_change(Fraction(1, 2), None) is None
    assert relative_change(Fraction(68, 1000), Fraction(71, 500)) == D(-52)
    assert relative_change(Fraction(1, 10), Fraction(0)) is None


@given(st.decimals(min_value=D(-(10**6)), max_value=D(10**6), places=6), st.integers(0, 3))
def test_round_half_up_agrees_with_decimal_half_up(value: Decimal, places: int) -> None:
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    assert round_half_up(Fraction(value), places) == expected


@given(amounts, amounts)
def test_roi_is_impact_minus_cost_over_cost_rounded_half_up(cost: Decimal, impact: Decimal) -> None:
    with localcontext() as ctx:
        ctx.prec = 60
        exact = (impact - cost) / cost * 100
    assert roi_percent(cost, impact) == exact.quantize(D(1), rounding=ROUND_HALF_UP)
