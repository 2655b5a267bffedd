"""Times as credentials carry them.

A VC-JWT repeats ``validFrom``/``validUntil`` as ``nbf``/``exp``, which are whole seconds
(RFC 7519 NumericDate), and OB 3.0 §8.2.4 requires the two to be equal; so a credential's times
are truncated to the second before they are signed.
"""

from __future__ import annotations

from datetime import UTC, datetime


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}; credentials work in aware UTC")
    return value.astimezone(UTC)


def whole_seconds(value: datetime) -> datetime:
    return _aware(value).replace(microsecond=0)


def iso(value: datetime) -> str:
    """``2026-11-02T09:00:00Z``: the DateTimeZ form OB 3.0 asks for."""
    return whole_seconds(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def numeric_date(value: datetime) -> int:
    return int(whole_seconds(value).timestamp())


def parse_iso(text: str) -> datetime:
    """An ISO 8601 date-time with its offset (``Z`` included); ValueError otherwise, also
    for an instant whose conversion to UTC leaves the calendar (year 1 at +14:00)."""
    try:
        return _aware(datetime.fromisoformat(text))
    except OverflowError:
        raise ValueError(f"{text!r} is outside the calendar in UTC") from None
