"""Expiry, renewal and reminders (PRODUCT.md §5).

Decisions where the product text is silent:

- Intervals are calendar months from the certification time (Jan 31 + 1 month = Feb 28/29).
- A certification whose ``expires_at`` has been reached counts as expired even before the
  expiry job has flipped its status, so eligibility never depends on when the sweep ran.
- Renewal extends from the old expiry. When the agent renews so late that old expiry + one
  interval is already past, whole intervals are added until the date is in the future: the
  anniversary stays fixed and a fresh certification never starts out expired.
- The 30-day reminder is due once, inside the renewal window and before the expiry itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from refairn.certification.domain.status import Status

RENEWAL_WINDOW = timedelta(days=30)


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}; the domain works in aware UTC")


def _require_months(months: int) -> None:
    if months < 1:
        raise ValueError(f"a recertification interval must be at least one month, not {months}")


def expiry_from(start: datetime, months: int) -> datetime:
    """PRODUCT.md §3: a certification lasts the track's recertification interval in months."""
    _require_aware(start)
    _require_months(months)
    return start + relativedelta(months=months)


def is_expired(expires_at: datetime | None, now: datetime) -> bool:
    """PRODUCT.md §5: the interval has run out (``None`` never expires)."""
    return expires_at is not None and expires_at <= now


def is_currently_certified(status: Status, expires_at: datetime | None, now: datetime) -> bool:
    """PRODUCT.md §5: certified, not expired, not revoked — what badges and levels count."""
    return status == Status.CERTIFIED and not is_expired(expires_at, now)


def expiry_due(status: Status, expires_at: datetime | None, now: datetime) -> bool:
    """PRODUCT.md §5: the expiry job should apply ``expire`` to this certification now."""
    return status == Status.CERTIFIED and is_expired(expires_at, now)


def renewal_open(expires_at: datetime | None, now: datetime) -> bool:
    """PRODUCT.md §5: the agent may retake the assessment from 30 days before expiry on."""
    return expires_at is not None and now >= expires_at - RENEWAL_WINDOW


def renewed_expiry(old_expires_at: datetime, months: int, now: datetime) -> datetime:
    """PRODUCT.md §5: passing renews from the old expiry date, not from today.

    The result is the first ``old_expires_at + k * months`` (k >= 1) that lies after ``now``;
    each candidate is computed from the old date so month ends do not drift.
    """
    _require_aware(old_expires_at)
    _require_months(months)
    intervals = 1
    while (candidate := old_expires_at + relativedelta(months=intervals * months)) <= now:
        intervals += 1
    return candidate


def certification_expiry(
    *, previous_expires_at: datetime | None, months: int, now: datetime
) -> datetime:
    """PRODUCT.md §5: the expiry set when a certification becomes (or stays) certified.

    ``previous_expires_at`` is the expiry of the certification being renewed (still certified,
    or expired and retaken), or ``None`` for a first certification in this cycle.
    """
    if previous_expires_at is None:
        return expiry_from(now, months)
    return renewed_expiry(previous_expires_at, months, now)


def reminder_due(expires_at: datetime | None, now: datetime, already_sent: bool) -> bool:
    """PRODUCT.md §5/§8: the 30-day expiry reminder is due (once per expiry date)."""
    if already_sent or expires_at is None:
        return False
    return expires_at - RENEWAL_WINDOW <= now < expires_at
