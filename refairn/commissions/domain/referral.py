"""Referral ledger accruals (PRODUCT.md §2 referral terms, §10).

`referral_accruals` takes only customer facts and referral terms: nothing from the support side
(assignments, support access, certifications) is an argument, so no support-side action can
change the referral ledger (PRODUCT.md §5, §6, §10).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from refairn.commissions.domain.entries import (
    Accrual,
    AccrualKind,
    Ledger,
    one_off_key,
    recurring_key,
)
from refairn.commissions.domain.facts import CustomerFacts, require_id
from refairn.commissions.domain.intervals import (
    Days,
    days_held,
    days_held_within,
    period_days,
)
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.proration import prorate
from refairn.commissions.domain.terms import HUNDRED, ReferralTerms


def recurring_month_number(customer: CustomerFacts, period: Period) -> int | None:
    """Which month of the customer's subscription `period` is, or None if they were subscribed
    on no day of it.

    Month N is the Nth calendar month in which the customer was subscribed on at least one day
    (same day rule as proration): the first, partial month is month 1, and months without a
    subscribed day — a gap between cancelling and resubscribing — do not use up the limit.
    """
    if days_held(customer.subscribed, period) == 0:
        return None
    return _months_counted(customer, period)


def _months_counted(customer: CustomerFacts, period: Period) -> int:
    """``recurring_month_number`` of a customer subscribed on some day of ``period``."""
    # Each interval holds the dates from its start's to the day before its end's, so every
    # month from the first of those dates to the last has a held day: the months are counted
    # from month indexes, never by visiting the months or their dates.
    last = _month_index(period.first_day)
    spans = []
    for interval in customer.subscribed:
        first_day = interval.start.date()
        if interval.end is None:
            final = last
        elif interval.end.date() > first_day:
            final = min(last, _month_index(interval.end.date() - timedelta(days=1)))
        else:
            continue
        spans.append((_month_index(first_day), final))
    number, counted_to = 0, -1
    for first, final in sorted(spans):
        first = max(first, counted_to + 1)
        if final >= first:
            number += final - first + 1
            counted_to = final
    return number


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _one_off(
    customer: CustomerFacts, agent_id: str, terms: ReferralTerms, month: _Month, business_id: str
) -> Accrual | None:
    first = customer.first_subscribed_at
    if not terms.one_off_amount or first is None or not month.start <= first < month.end:
        return None
    return Accrual(
        ledger=Ledger.REFERRAL,
        kind=AccrualKind.REFERRAL_ONE_OFF,
        business_id=business_id,
        agent_id=agent_id,
        customer_id=customer.customer_id,
        period=month.period,
        amount=terms.one_off_amount,
        key=one_off_key(business_id, customer.customer_id),
    )


def _recurring(
    customer: CustomerFacts, agent_id: str, terms: ReferralTerms, month: _Month, business_id: str
) -> Accrual | None:
    if terms.recurring_percent is None:
        return None
    days = days_held_within(customer.subscribed, month.days)
    if days == 0:
        return None
    number = _months_counted(customer, month.period)
    if terms.recurring_months is not None and number > terms.recurring_months:
        return None
    base = customer.monthly_value * terms.recurring_percent / HUNDRED
    amount = prorate(base, days, month.length)
    if not amount:
        return None
    return Accrual(
        ledger=Ledger.REFERRAL,
        kind=AccrualKind.REFERRAL_RECURRING,
        business_id=business_id,
        agent_id=agent_id,
        customer_id=customer.customer_id,
        period=month.period,
        amount=amount,
        key=recurring_key(business_id, customer.customer_id, month.period),
    )


@dataclass(frozen=True, slots=True)
class _Month:
    """What every customer's accruals read of the period, worked out once per run."""

    period: Period
    start: datetime
    end: datetime
    days: Days
    length: int

    @classmethod
    def of(cls, period: Period) -> _Month:
        return cls(period, period.start, period.end, period_days(period), period.days)


def referral_accruals(
    customers: Iterable[CustomerFacts],
    terms: ReferralTerms,
    period: Period,
    *,
    business_id: str,
) -> list[Accrual]:
    """Every referral entry owed for `period` (PRODUCT.md §2, §10).

    - One-off: `terms.one_off_amount` to the referring agent, once per customer ever, in the
      period containing `first_subscribed_at`.
    - Recurring: `recurring_percent` of the monthly value, prorated by the days subscribed in
      the month, for months 1..`recurring_months` (see `recurring_month_number`). Cancelling
      stops it because the cancelled days are not subscribed days.
    Customers without a referring agent earn nothing here. Zero amounts produce no entry.
    """
    require_id(business_id, "business_id")
    month = _Month.of(period)
    entries: list[Accrual] = []
    for customer in customers:
        agent_id = customer.referred_by
        if agent_id is None:
            continue
        for entry in (
            _one_off(customer, agent_id, terms, month, business_id),
            _recurring(customer, agent_id, terms, month, business_id),
        ):
            if entry is not None:
                entries.append(entry)
    return entries
