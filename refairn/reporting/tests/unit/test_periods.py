"""Report periods: a report as of midnight covers the month and quarter that just ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from refairn.reporting.domain.periods import (
    Period,
    month_of,
    next_quarter,
    previous_quarter,
    quarter_name,
    quarter_of,
)


def test_a_report_at_midnight_on_the_first_covers_the_month_that_ended() -> None:
    new_year = datetime(2026, 1, 1, tzinfo=UTC)

    assert month_of(new_year) == Period(datetime(2025, 12, 1, tzinfo=UTC), new_year)
    assert quarter_name(quarter_of(new_year)) == "2025-Q4"
    assert quarter_name(quarter_of(new_year + timedelta(microseconds=1))) == "2026-Q1"


def test_periods_are_utc_whatever_the_offset_of_as_of() -> None:
    # 00:30 on 1 April in UTC+2 is still 31 March in UTC.
    as_of = datetime(2026, 4, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))

    assert quarter_name(quarter_of(as_of)) == "2026-Q1"


def test_neighbouring_quarters_cross_years() -> None:
    q1 = quarter_of(datetime(2026, 2, 1, tzinfo=UTC))

    assert quarter_name(previous_quarter(q1)) == "2025-Q4"
    assert quarter_name(next_quarter(q1)) == "2026-Q2"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        month_of(datetime(2026, 1, 1))
