"""Accrual periods: one calendar month in UTC (PRODUCT.md §10 "monthly accrual")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

# [0-9], not \d: \d also matches other scripts' digits, which int() would happily accept.
_PERIOD = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
MIN_YEAR = 1970
# One below datetime's limit so that the last period still has an exclusive end.
MAX_YEAR = 9998


def require_aware(moment: datetime, what: str) -> datetime:
    """Return `moment` in UTC; a naive datetime is refused because its instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A calendar month, "2026-11". Bounds are UTC: [start, end), end exclusive."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"period year {self.year} is outside {MIN_YEAR}..{MAX_YEAR}")
        if not 1 <= self.month <= 12:
            raise ValueError(f"period month {self.month} is outside 1..12")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse exactly "YYYY-MM" (API.md commission runs: `{"period":"2026-11"}`)."""
        match = _PERIOD.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"period {text!r} must look like '2026-11' (YYYY-MM)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, moment: datetime) -> Period:
        """The period containing an aware instant (in UTC)."""
        utc = require_aware(moment, "moment")
        return cls(utc.year, utc.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        # Built directly (not via next()) so that the last allowed period still has an end.
        if self.month == 12:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        return datetime(self.year, self.month + 1, 1, tzinfo=UTC)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def next(self) -> Period:
        if self.month == 12:
            return Period(self.year + 1, 1)
        return Period(self.year, self.month + 1)

    def previous(self) -> Period:
        if self.month == 1:
            return Period(self.year - 1, 12)
        return Period(self.year, self.month - 1)

    def contains(self, moment: datetime) -> bool:
        return self.start <= require_aware(moment, "moment") < self.end

    def has_ended(self, now: datetime) -> bool:
        """True once every day of the period is in the past. An accrual computed earlier would
        count days that have not happened yet, and its key would block the correct amount."""
        return require_aware(now, "now") >= self.end
