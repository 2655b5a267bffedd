"""Expiry, renewal and reminders (PRODUCT.md §5).

Decisions where the product text is silent:

- Intervals are calendar months from the certification time (Jan 31 + 1 month = Feb 28/29).
- A certification whose ``expires_at`` has been reached counts as expired even before the
  expiry job has flipped its status, so eligibility never depends on when the sweep ran.
- Renewal while still certified (inside the 30-day window) extends from the old expiry. Once
  the old expiry has passed (a lapse), the agent is certified afresh: a full interval from the
  day they are certified again (issue 11 item 2), so a late renewal never starts out short or
  already inside its own reminder window.
- Expiry reminders are due 30 and 7 days before the expiry (PRODUCT.md §5/§8), each once per
  expiry date, and only while the certification is still current.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import datetime, timedelta

from refairn.certification.domain.status import Status

RENEWAL_WINDOW = timedelta(days=30)
# Days before the expiry an agent is reminded (PRODUCT.md §5/§8, issue 13): when renewal opens,
# and a last call a week before.
EXPIRY_REMINDER_DAYS = (30, 7)


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}; the domain works in aware UTC")


def _require_months(months: int) -> None:
    if months < 1:
        raise ValueError(f"a recertification interval must be at least one month, not {months}")


def plus_months(start: datetime, months: int) -> datetime:
    """``start`` a number of calendar months later, on the month's last day when it is shorter
    (Jan 31 + 1 month = Feb 28/29): ``relativedelta(months=...)``'s rule, at a fraction of its
    cost (the reports replay thousands of expiries per request, issue 17)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = start.day
    # Every month has 28 days: only later days need the month's length (monthrange is slow).
    if day > 28:
        day = min(day, monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def expiry_from(start: datetime, months: int) -> datetime:
    """PRODUCT.md §3: a certification lasts the track's recertification interval in months."""
    _require_aware(start)
    _require_months(months)
    return plus_months(start, months)


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


def renewed_expiry(old_expires_at: datetime, months: int) -> datetime:
    """PRODUCT.md §5: an early renewal extends from the old expiry date, not from today;
    computed from the old date so month ends do not drift."""
    _require_aware(old_expires_at)
    _require_months(months)
    return plus_months(old_expires_at, months)


def certification_expiry(
    *, previous_expires_at: datetime | None, months: int, now: datetime
) -> datetime:
    """PRODUCT.md §5: the expiry set when a certification becomes (or stays) certified.

    ``previous_expires_at`` is the expiry of the certification being renewed (still certified,
    or expired and retaken), or ``None`` for a first certification in this cycle. Only an
    unexpired one is extended; after a lapse the new period runs in full from ``now``.
    """
    if previous_expires_at is None or is_expired(previous_expires_at, now):
        return expiry_from(now, months)
    return renewed_expiry(previous_expires_at, months)


@dataclass(frozen=True)
class Reminder:
    """One expiry reminder: how many days before the expiry it is, and when it fell due."""

    days_before: int
    due_at: datetime


def reminders_due(
    expires_at: datetime | None, certified_at: datetime | None, now: datetime
) -> list[Reminder]:
    """PRODUCT.md §5/§8: the expiry reminders of one expiry date that have fallen due by
    ``now``, each dated when it fell due (never before the certification itself). Whether one
    was already sent is the caller's durable record, not this function's."""
    if expires_at is None:
        return []
    due = []
    for days in EXPIRY_REMINDER_DAYS:
        due_at = expires_at - timedelta(days=days)
        if certified_at is not None:
            due_at = max(due_at, certified_at)
        if due_at <= now and due_at < expires_at:
            due.append(Reminder(days_before=days, due_at=due_at))
    return due
