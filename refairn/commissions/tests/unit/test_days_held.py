from datetime import UTC, datetime, timedelta, timezone

import pytest

from refairn.commissions.domain.intervals import Interval, days_held, held_days
from refairn.commissions.domain.periods import Period

NOV = Period(2026, 11)


def at(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_the_start_day_counts_whatever_the_time() -> None:
    assert days_held([Interval(at(11, 16, 14))], NOV) == 15
    assert days_held([Interval(at(11, 16, 0))], NOV) == 15


def test_the_end_day_does_not_count_whatever_the_time() -> None:
    assert days_held([Interval(at(11, 1), at(11, 20, 9))], NOV) == 19
    assert days_held([Interval(at(11, 1), at(11, 20, 0))], NOV) == 19


def test_assigned_and_unassigned_the_same_day_counts_nothing() -> None:
    assert days_held([Interval(at(11, 16, 9), at(11, 16, 17))], NOV) == 0


def test_a_suspension_costs_the_days_from_its_start_to_its_end() -> None:
    active = [Interval(at(10, 1), at(11, 10, 11)), Interval(at(11, 20, 8))]
    assert days_held(active, NOV) == 9 + 11


def test_a_suspension_lifted_the_same_day_costs_nothing() -> None:
    active = [Interval(at(11, 1), at(11, 10, 11)), Interval(at(11, 10, 15))]
    assert days_held(active, NOV) == 30


def test_a_suspension_spanning_a_month_boundary() -> None:
    active = [Interval(at(9, 1), at(10, 25, 9)), Interval(at(11, 5, 17))]
    assert days_held(active, Period(2026, 10)) == 24
    assert days_held(active, NOV) == 26


def test_a_handover_gives_each_day_to_exactly_one_agent() -> None:
    x = held_days([Interval(at(11, 1), at(11, 16, 10))], NOV)
    y = held_days([Interval(at(11, 16, 10))], NOV)
    assert (len(x), len(y)) == (15, 15)
    assert not x & y


def test_touching_and_overlapping_intervals_count_each_day_once() -> None:
    split = [Interval(at(11, 3), at(11, 12, 13)), Interval(at(11, 12, 13), at(11, 25))]
    overlapping = [Interval(at(11, 3), at(11, 20)), Interval(at(11, 10), at(11, 25))]
    assert days_held(split, NOV) == days_held([Interval(at(11, 3), at(11, 25))], NOV) == 22
    assert days_held(overlapping, NOV) == 22


def test_days_outside_the_period_do_not_count() -> None:
    assert days_held([Interval(at(1, 1), at(11, 1))], NOV) == 0
    assert days_held([Interval(at(12, 1))], NOV) == 0
    assert days_held([Interval(at(1, 1))], NOV) == 30


def test_days_are_utc_days() -> None:
    tokyo = timezone(timedelta(hours=9))
    # 2026-11-16 05:00 in Tokyo is 2026-11-15 20:00 UTC.
    assert days_held([Interval(datetime(2026, 11, 16, 5, tzinfo=tokyo))], NOV) == 16


def test_interval_refuses_naive_and_backwards_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        Interval(datetime(2026, 11, 1))
    with pytest.raises(ValueError, match="before it starts"):
        Interval(at(11, 2), at(11, 1))
