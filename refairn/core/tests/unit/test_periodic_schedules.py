from datetime import UTC, datetime

import pytest

from refairn.core.periodic import DailyAt, Every, MonthlyAt


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
