"""When a condition held (subscribed, assigned, support access active), and how many days of a
month that makes. PRODUCT.md §10: "Monthly amounts are prorated by the days of the month the
condition held."

The day rule — a UTC day counts when the condition holds at the END of that day, i.e. through
its last instant before the next midnight UTC. For a half-open interval [start, end) that is
exactly the calendar dates from start's date (inclusive) to end's date (exclusive), whatever the
times of day: the day something starts counts, the day it stops does not, like hotel nights.

Examples (November has 30 days):
- assigned Nov 16 at 14:00, still assigned: Nov 16..30 = 15 days (15/30);
- subscription cancelled Nov 20 at 09:00: Nov 1..19 = 19 days;
- assigned and unassigned on Nov 16: 0 days (it never held through the end of a day);
- suspended Nov 10 at 11:00, reinstated Nov 20 at 08:00: access held Nov 1..9 and Nov 20..30
  = 20 days; the ten days Nov 10..19 are lost. A suspension lifted the same day costs nothing;
- suspended Oct 25 to Nov 5: October counts Oct 1..24 (24/31), November Nov 5..30 (26/30);
- customer handed from agent X to agent Y on Nov 16 at 10:00: X gets Nov 1..15, Y Nov 16..30.

Why this rule: every day belongs to exactly one holder, so a handover never pays a day twice
nor drops it, and the days of one customer's assignments never add up to more than the month;
brief blips cannot earn a day; and a statement can be checked from dates alone. The days are
a set, so intervals that touch or overlap never count a day twice, and splitting an interval at
any instant changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from refairn.commissions.domain.periods import Period, require_aware


@dataclass(frozen=True, slots=True)
class Interval:
    """The condition held from `start` (inclusive) to `end` (exclusive); `end=None` means it
    still holds. Datetimes must be aware; they are normalised to UTC."""

    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", require_aware(self.start, "interval start"))
        if self.end is not None:
            end = require_aware(self.end, "interval end")
            if end < self.start:
                raise ValueError(f"interval ends ({end}) before it starts ({self.start})")
            object.__setattr__(self, "end", end)


def held_days(intervals: Iterable[Interval], period: Period) -> frozenset[date]:
    """The UTC dates of `period` on which the condition held at the end of the day (see the
    module docstring for the rule and its examples)."""
    first, after_last = period.first_day, period.end.date()
    days: set[date] = set()
    for interval in intervals:
        day = max(interval.start.date(), first)
        stop = after_last if interval.end is None else min(interval.end.date(), after_last)
        while day < stop:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


Days = tuple[date, date]


def period_days(period: Period) -> Days:
    """The dates of ``period`` as a half-open range ``[first, after)``: worked out once for a
    run of many customers, not once per interval."""
    return period.first_day, period.end.date()


def held_ranges(intervals: Iterable[Interval], period: Period) -> list[tuple[date, date]]:
    """The dates of ``held_days`` as sorted, disjoint half-open ranges ``[first, after)``: the
    same days, found by comparing dates instead of adding each day to a set."""
    return _ranges(intervals, period_days(period))


def _ranges(intervals: Iterable[Interval], days: Days) -> list[tuple[date, date]]:
    first, after_last = days
    ranges = []
    for interval in intervals:
        start = max(interval.start.date(), first)
        stop = after_last if interval.end is None else min(interval.end.date(), after_last)
        if start < stop:
            ranges.append((start, stop))
    if len(ranges) < 2:
        return ranges
    ranges.sort()
    merged: list[tuple[date, date]] = []
    for start, stop in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _common(a: list[tuple[date, date]], b: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """The days two sorted, disjoint range lists share."""
    shared, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, stop = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < stop:
            shared.append((start, stop))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return shared


def days_held(intervals: Iterable[Interval], period: Period) -> int:
    """PRODUCT.md §10: the number of days of `period` the condition held (0..period.days),
    ``len(held_days(intervals, period))``."""
    return days_held_within(intervals, period_days(period))


def days_held_within(intervals: Iterable[Interval], days: Days) -> int:
    """``days_held`` of the period whose ``period_days`` are ``days``."""
    return sum((stop - start).days for start, stop in _ranges(intervals, days))


def days_held_by_all(conditions: Iterable[Iterable[Interval]], period: Period) -> int:
    """The number of days of `period` on which every one of `conditions` held: the size of
    the intersection of their ``held_days``."""
    return days_held_by_all_within(conditions, period_days(period))


def days_held_by_all_within(conditions: Iterable[Iterable[Interval]], days: Days) -> int:
    """``days_held_by_all`` of the period whose ``period_days`` are ``days``."""
    shared: list[tuple[date, date]] | None = None
    for intervals in conditions:
        ranges = _ranges(intervals, days)
        shared = ranges if shared is None else _common(shared, ranges)
        if not shared:
            return 0
    return sum((stop - start).days for start, stop in shared or [])
