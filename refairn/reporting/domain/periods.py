"""Report periods (PRODUCT.md §8): calendar months and quarters in UTC.

Decisions where the product text is silent:

- Every period is half-open, ``[start, end)``, in UTC; business time zones do not move report
  boundaries, so two managers in different zones read the same figures.
- A report "as of" an instant describes the state at that instant. Its month and quarter are the
  ones containing the instant just before it, so a report as of midnight on 1 January covers
  December and Q4, the month and quarter that just ended.
- Quarters are named ``YYYY-QN`` (API.md ``?quarter=2026-Q4``) and titled ``QN YYYY``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dateutil.relativedelta import relativedelta

_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_INSTANT = timedelta(microseconds=1)


def require_aware(value: datetime, what: str) -> datetime:
    """Refuse naive datetimes: the reports work in aware UTC only."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, got naive {value!r}")
    return value


@dataclass(frozen=True)
class Period:
    """A half-open interval of time ``[start, end)``."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.end, "end")
        if self.start >= self.end:
            raise ValueError(f"a period must end after it starts ({self.start} >= {self.end})")

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _last_instant_before(as_of: datetime) -> datetime:
    return require_aware(as_of, "as_of").astimezone(UTC) - _INSTANT


def month_of(as_of: datetime) -> Period:
    """The calendar month (UTC) a report as of ``as_of`` covers (module docs)."""
    moment = _last_instant_before(as_of)
    start = datetime(moment.year, moment.month, 1, tzinfo=UTC)
    return Period(start, start + relativedelta(months=1))


def quarter_of(as_of: datetime) -> Period:
    """The calendar quarter (UTC) a report as of ``as_of`` covers (module docs)."""
    moment = _last_instant_before(as_of)
    start = datetime(moment.year, 3 * ((moment.month - 1) // 3) + 1, 1, tzinfo=UTC)
    return Period(start, start + relativedelta(months=3))


def parse_quarter(text: str) -> Period:
    """API.md ``?quarter=2026-Q4``: exactly ``YYYY-QN`` with N in 1..4, year 1..9999 (9999-Q4
    is refused: its end is not a representable date). Returns ``[start, end)`` in UTC."""
    match = _QUARTER.fullmatch(text)
    if match is None:
        raise ValueError(f"quarter {text!r} must look like 2026-Q4")
    year, number = int(match[1]), int(match[2])
    if year == 0 or (year == 9999 and number == 4):
        raise ValueError(f"quarter {text!r} is out of range")
    start = datetime(year, 3 * number - 2, 1, tzinfo=UTC)
    return Period(start, start + relativedelta(months=3))


def quarter_name(period: Period) -> str:
    """``2026-Q4`` for the quarter starting on 1 October 2026."""
    return f"{period.start.year:04d}-Q{(period.start.month - 1) // 3 + 1}"


def quarter_title(period: Period) -> str:
    """``Q4 2026``: the seed's way of writing a quarter in a title."""
    return f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"


def previous_quarter(period: Period) -> Period:
    """The quarter before ``period`` (a quarter)."""
    start = period.start - relativedelta(months=3)
    return Period(start, period.start)


def next_quarter(period: Period) -> Period:
    """The quarter after ``period`` (a quarter): the one recommendations are written for."""
    return Period(period.end, period.end + relativedelta(months=3))


def trailing_window(as_of: datetime, days: int = 90) -> Period:
    """The default routing window of a dashboard: the ``days`` days before ``as_of``."""
    if days < 1:
        raise ValueError(f"a window needs at least one day, not {days}")
    end = require_aware(as_of, "as_of").astimezone(UTC)
    return Period(end - timedelta(days=days), end)
