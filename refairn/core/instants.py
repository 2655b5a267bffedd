"""The range of instants the platform accepts from its callers.

Every date and time a caller gives (a subscription start, a cancellation, an absence, a report's
``as_of``, the test clock) lies in [1970, 2100) UTC. Outside it are typing mistakes, and the
edges of Python's and the databases' calendars: ``0001-01-01T00:00:00+14:00`` is a year-0 (BC)
instant in UTC, which PostgreSQL stores and Python then cannot read back. Pure: no Django.
"""

from __future__ import annotations

from datetime import UTC, datetime

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)  # exclusive
RANGE_MESSAGE = "must be from 1970-01-01T00:00:00Z up to (not including) 2100-01-01T00:00:00Z"
OFFSET_MESSAGE = "must include a UTC offset, e.g. 2026-01-20T09:00:00Z"


def bounded_instant(value: datetime) -> datetime:
    """``value`` in UTC, or ValueError saying why it is not accepted (no offset, out of range)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(OFFSET_MESSAGE)
    # Look at the local year before converting: near year 1 or 9999 the conversion itself
    # overflows. An offset moves the instant by less than a day, so a year's margin suffices.
    if not EARLIEST.year - 1 <= value.year <= LATEST.year:
        raise ValueError(RANGE_MESSAGE)
    utc = value.astimezone(UTC)
    if not EARLIEST <= utc < LATEST:
        raise ValueError(RANGE_MESSAGE)
    return utc
