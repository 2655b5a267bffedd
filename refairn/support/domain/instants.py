"""Aware-UTC guard shared by the support domain's time calculations."""

from datetime import UTC, datetime


def as_utc(value: datetime, name: str) -> datetime:
    """Return ``value`` in UTC, refusing naive datetimes.

    A naive datetime has no defined instant, so an SLA computed from it would silently depend on
    the server's zone; the domain only ever works on aware instants.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got a naive one")
    return value.astimezone(UTC)
