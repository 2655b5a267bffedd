"""SLA terms, business hours and deadline arithmetic (PRODUCT.md §2 "SLA", §6).

Deadlines are instants: they are computed once when a ticket opens (or reopens) and stored, so a
later change of the business's settings never moves a deadline a customer was already shown.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, available_timezones

from refairn.programs.domain import Tier
from refairn.support.domain.errors import SlaConfigError
from refairn.support.domain.instants import as_utc

# One year of calendar hours: longer promises are not SLAs, and the bound keeps the per-day
# deadline loop short whatever the business hours are.
MAX_SLA_HOURS = 8760
# A shorter daily window would turn a long SLA into decades of calendar days.
MIN_WINDOW = timedelta(hours=1)
# Ten years of public holidays is generous; the bound keeps deadlines within the calendar.
MAX_HOLIDAYS = 1000


def _check_hours(name: str, value: int) -> None:
    # bool is an int subclass; True hours is a form-parsing accident, not an SLA.
    if isinstance(value, bool) or not isinstance(value, int):
        raise SlaConfigError(name, "must be a whole number of hours")
    if not 1 <= value <= MAX_SLA_HOURS:
        raise SlaConfigError(name, f"must be between 1 and {MAX_SLA_HOURS} hours")


@dataclass(frozen=True)
class SlaTerms:
    """First-response and resolution windows, in SLA hours (PRODUCT.md §2)."""

    first_response_hours: int
    resolution_hours: int

    def __post_init__(self) -> None:
        _check_hours("first_response_hours", self.first_response_hours)
        _check_hours("resolution_hours", self.resolution_hours)
        # Resolving a ticket answers it, so a resolution promise shorter than the first-response
        # promise could never be the binding one.
        if self.resolution_hours < self.first_response_hours:
            raise SlaConfigError("resolution_hours", "must not be shorter than first response")


DEFAULT_TERMS = SlaTerms(first_response_hours=24, resolution_hours=72)


@dataclass(frozen=True)
class SlaSettings:
    """A business's SLA: default terms plus optional per-tier overrides (PRODUCT.md §2)."""

    default: SlaTerms = DEFAULT_TERMS
    tiers: Mapping[str, SlaTerms] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.default, SlaTerms):
            raise SlaConfigError("default", "must be SLA terms")
        frozen: dict[str, SlaTerms] = {}
        for tier, terms in self.tiers.items():
            frozen[_tier(tier, f"tiers.{tier}")] = terms
            if not isinstance(terms, SlaTerms):
                raise SlaConfigError(f"tiers.{tier}", "must be SLA terms")
        object.__setattr__(self, "tiers", MappingProxyType(frozen))

    def terms_for(self, tier: str) -> SlaTerms:
        """PRODUCT.md §2: a tier's override if the business set one, else the default terms."""
        return self.tiers.get(_tier(tier, "tier"), self.default)


def _tier(value: str, name: str) -> str:
    try:
        return Tier(value).value
    except ValueError:
        allowed = ", ".join(t.value for t in Tier)
        raise SlaConfigError(name, f"unknown customer tier; use one of {allowed}") from None


@cache
def _known_timezones() -> frozenset[str]:
    # "localtime" is the host's own zone: a business's deadlines must not depend on the server.
    return frozenset(available_timezones()) - {"localtime"}


@dataclass(frozen=True)
class BusinessHours:
    """When SLA hours count: a daily local window on working weekdays, minus holidays.

    ``weekdays`` uses Python's numbering (0 = Monday). ``start``/``end`` are local wall-clock
    times on whole minutes; a window never crosses midnight (a business open around the clock
    uses calendar hours instead). Wall-clock times that a DST change skips or repeats are read
    as RFC 5545 does: a skipped time uses the offset in force before the change (02:30 on a
    spring-forward night is 03:30 summer time), a repeated time means its first occurrence.
    """

    timezone: str
    weekdays: frozenset[int]
    start: time
    end: time
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.timezone, str) or self.timezone not in _known_timezones():
            raise SlaConfigError("timezone", "must be an IANA time zone such as Europe/Berlin")
        weekdays = frozenset(self.weekdays)
        if not weekdays:
            raise SlaConfigError("weekdays", "at least one working weekday is required")
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
            raise SlaConfigError("weekdays", "weekdays are numbers from 0 (Monday) to 6 (Sunday)")
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise SlaConfigError(name, "must be a local time of day without a zone")
            if value.second or value.microsecond:
                raise SlaConfigError(name, "must be on a whole minute")
        if self.start >= self.end:
            raise SlaConfigError("end", "must be later than start on the same day")
        length = datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)
        if length < MIN_WINDOW:
            raise SlaConfigError("end", "the daily window must be at least one hour long")
        holidays = frozenset(self.holidays)
        # datetime is a date subclass; a holiday with a time of day is a caller mistake.
        if any(not isinstance(d, date) or isinstance(d, datetime) for d in holidays):
            raise SlaConfigError("holidays", "holidays are calendar dates")
        if len(holidays) > MAX_HOLIDAYS:
            raise SlaConfigError("holidays", f"at most {MAX_HOLIDAYS} holidays")
        object.__setattr__(self, "weekdays", weekdays)
        object.__setattr__(self, "holidays", holidays)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def window_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC instants the window opens and closes on local ``day``, or None if closed.

        Each edge is converted on its own day, so a window keeps its local wall-clock times
        across DST changes instead of drifting by the offset difference.
        """
        if day.weekday() not in self.weekdays or day in self.holidays:
            return None
        opens = datetime.combine(day, self.start, tzinfo=self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.end, tzinfo=self.zone).astimezone(UTC)
        # Only reachable when a DST gap swallows the whole window: nothing to count that day.
        if closes <= opens:
            return None
        return opens, closes


def add_sla_hours(start: datetime, hours: int, calendar: BusinessHours | None) -> datetime:
    """The instant ``hours`` SLA hours after ``start`` (PRODUCT.md §2).

    Without business hours every calendar hour counts. With them only time inside a working
    day's window counts, so a ticket opened at night or on a weekend starts its clock at the
    next opening, and a deadline that uses up a window exactly lands on its closing time.
    Counted time is real elapsed time between the window's converted edges: equal to the
    wall-clock length except on a window that itself spans a DST change. Loops per day, not
    per hour.
    """
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 0:
        raise ValueError("hours must be a non-negative integer")
    return add_sla_time(start, timedelta(hours=hours), calendar)


def add_sla_time(start: datetime, span: timedelta, calendar: BusinessHours | None) -> datetime:
    """``add_sla_hours`` for any non-negative span: a pause's SLA time moves a deadline by
    exactly what the pause consumed (``elapsed_business_seconds``)."""
    start = as_utc(start, "start")
    if span < timedelta():
        raise ValueError("span must not be negative")
    remaining = span
    if calendar is None or not remaining:
        return start + remaining
    day = start.astimezone(calendar.zone).date()
    while True:
        window = calendar.window_on(day)
        if window is not None:
            opens, closes = window
            begin = max(opens, start)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)


def elapsed_business_seconds(start: datetime, end: datetime, calendar: BusinessHours | None) -> int:
    """Whole SLA seconds between two instants (0 if ``end`` is not after ``start``).

    The inverse of ``add_sla_hours``, for reports such as time to first response measured the
    way the business's SLA measures it (PRODUCT.md §2, §8).
    """
    start = as_utc(start, "start")
    end = as_utc(end, "end")
    if end <= start:
        return 0
    if calendar is None:
        return (end - start) // timedelta(seconds=1)
    total = timedelta()
    day = start.astimezone(calendar.zone).date()
    last = end.astimezone(calendar.zone).date()
    while day <= last:
        window = calendar.window_on(day)
        if window is not None:
            overlap = min(window[1], end) - max(window[0], start)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total // timedelta(seconds=1)


@dataclass(frozen=True)
class SlaDeadlines:
    first_response_due: datetime
    resolution_due: datetime


def sla_deadlines(
    created_at: datetime, terms: SlaTerms, calendar: BusinessHours | None
) -> SlaDeadlines:
    """PRODUCT.md §6: a ticket's response and resolution deadlines, both counted from creation."""
    return SlaDeadlines(
        first_response_due=add_sla_hours(created_at, terms.first_response_hours, calendar),
        resolution_due=add_sla_hours(created_at, terms.resolution_hours, calendar),
    )
