"""Issue 17: days and recurring months are counted from dates and month indexes, no longer by
visiting every day and month. The former counting, kept here as the reference, must agree on
any intervals, overlapping or not, and any period before, inside or after them."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.intervals import Interval, days_held, days_held_by_all
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.referral import recurring_month_number

BASE = datetime(2025, 11, 20, tzinfo=UTC)
# Hours over about two and a half years: many intervals start and end on the same day.
moments = st.integers(min_value=0, max_value=900 * 24).map(lambda h: BASE + timedelta(hours=h))
periods = st.builds(lambda n: Period(2025 + (10 + n) // 12, (10 + n) % 12 + 1), st.integers(0, 32))


@st.composite
def intervals(draw: st.DrawFn) -> tuple[Interval, ...]:
    """Any intervals, overlapping, touching, empty (start and end the same day) or open."""
    found = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(moments)
        end = draw(st.one_of(st.none(), moments.filter(lambda m, s=start: m >= s)))
        found.append(Interval(start, end))
    return tuple(found)


def dates_held(held: tuple[Interval, ...], period: Period) -> set[date]:
    """The former counting: one set entry per day held."""
    first, after = period.first_day, period.end.date()
    days = set()
    for interval in held:
        day = max(interval.start.date(), first)
        stop = after if interval.end is None else min(interval.end.date(), after)
        while day < stop:
            days.add(day)
            day += timedelta(days=1)
    return days


def month_number_by_walking(held: tuple[Interval, ...], period: Period) -> int | None:
    """The former recurring month number: walk every month since the first subscription."""
    if not dates_held(held, period):
        return None
    month = Period.of(min(interval.start for interval in held))
    number = 1
    while month < period:
        if dates_held(held, month):
            number += 1
        month = month.next()
    return number


@settings(max_examples=400, deadline=None)
@given(held=intervals(), period=periods)
def test_days_held_counts_the_days_the_sets_held(held: tuple[Interval, ...], period: Period):
    assert days_held(held, period) == len(dates_held(held, period))


@settings(max_examples=400, deadline=None)
@given(conditions=st.lists(intervals(), min_size=1, max_size=3), period=periods)
def test_days_held_by_all_counts_the_days_every_set_shares(
    conditions: list[tuple[Interval, ...]], period: Period
):
    shared = set.intersection(*(dates_held(held, period) for held in conditions))
    assert days_held_by_all(conditions, period) == len(shared)


@settings(max_examples=400, deadline=None)
@given(held=intervals(), period=periods)
def test_the_recurring_month_number_equals_the_walk(held: tuple[Interval, ...], period: Period):
    customer = CustomerFacts(
        customer_id="c",
        referred_by="a",
        monthly_value=Decimal(0),
        subscribed=held,
        first_subscribed_at=min((i.start for i in held), default=None),
    )
    assert recurring_month_number(customer, period) == month_number_by_walking(held, period)
