from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.core.periodic import DailyAt, Every, MonthlyAt, WeeklyAt


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_every_aligns_to_midnight_and_excludes_the_start() -> None:
    times = list(Every(minutes=15).due_times(at(2, 9, 0), at(2, 9, 40)))
    assert times == [at(2, 9, 15), at(2, 9, 30)]


def test_daily_includes_the_end() -> None:
    assert list(DailyAt(hour=3).due_times(at(2, 3, 0), at(4, 3, 0))) == [at(3, 3), at(4, 3)]


def test_every_must_divide_a_day() -> None:
    with pytest.raises(ValueError, match="divide a day"):
        Every(minutes=7)


def test_monthly_runs_on_its_day_across_a_year_end() -> None:
    times = list(MonthlyAt(day=1, hour=1).due_times(at(1, 1), datetime(2027, 2, 1, 1, tzinfo=UTC)))
    assert times == [
        datetime(2026, 12, 1, 1, tzinfo=UTC),
        datetime(2027, 1, 1, 1, tzinfo=UTC),
        datetime(2027, 2, 1, 1, tzinfo=UTC),
    ]


def test_monthly_needs_a_day_every_month_has() -> None:
    with pytest.raises(ValueError, match="1-28"):
        MonthlyAt(day=31)


@given(
    schedule=st.sampled_from(
        [Every(minutes=5), Every(minutes=120), DailyAt(hour=2, minute=30), MonthlyAt(day=28)]
    ),
    now=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
)
def test_last_due_is_the_latest_due_time_not_after_now(schedule: Any, now: datetime) -> None:
    """The tick a worker claims (core.periodic.once_per_tick) is the schedule's own."""
    latest = list(schedule.due_times(now - timedelta(days=62), now))[-1]
    assert schedule.last_due(now) == latest


def test_weekly_runs_on_its_weekday_and_includes_the_end() -> None:
    # 2026-11-02 is a Monday.
    times = list(WeeklyAt(weekday=0, hour=3).due_times(at(2, 3), at(16, 3)))
    assert times == [at(9, 3), at(16, 3)]
    assert WeeklyAt(weekday=0, hour=3).last_due(at(8, 23)) == at(2, 3)
    assert WeeklyAt(weekday=6, hour=3).last_due(at(2, 2)) == at(1, 3)


def test_weekly_needs_a_weekday() -> None:
    with pytest.raises(ValueError, match="weekday"):
        WeeklyAt(weekday=7)
