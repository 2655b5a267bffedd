"""Proration of a monthly amount by the days a condition held (PRODUCT.md §10)."""

from __future__ import annotations

from decimal import Decimal

from refairn.core.money import round_money


def prorate(monthly_base: Decimal, days: int, days_in_month: int) -> Decimal:
    """PRODUCT.md §10: `monthly_base * days / days_in_month`, rounded once, to the cent.

    `monthly_base` must be the unrounded full-month value (e.g. 7.5 % of 99.99 = 7.49925): the
    entry is the only place where rounding happens.
    """
    if not 0 <= days <= days_in_month:
        raise ValueError(f"days {days} is outside 0..{days_in_month}")
    return round_money(monthly_base * days / days_in_month)
