"""How an outbox row is delivered: e-mail modes and statuses, leases and the retry schedule.

Workers claim a row with a compare-and-set that sets a lease; a worker killed mid-delivery
leaves the lease behind, and the row is claimed again once the lease has run out (crash
safety without a coordinator).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum

from refairn.notifications.domain.catalogue import Family


class EmailMode(StrEnum):
    """Issue 13: per family, immediate e-mail, a daily digest, or none (in-app is always on)."""

    IMMEDIATE = "immediate"
    DAILY_DIGEST = "daily_digest"
    OFF = "off"


DEFAULT_MODE = EmailMode.IMMEDIATE


class EmailStatus(StrEnum):
    PENDING = "pending"  # to send now (or to route to the digest, per the preference)
    DIGEST = "digest"  # waits for the next daily digest
    SENT = "sent"
    SKIPPED = "skipped"  # the recipient turned e-mail off for the family
    FAILED = "failed"  # the mail server refused it every time


def preferences_with_defaults(stored: Mapping[Family, EmailMode]) -> dict[Family, EmailMode]:
    """Every family's mode: the stored choice, else the default."""
    return {family: stored.get(family, DEFAULT_MODE) for family in Family}


def status_for(mode: EmailMode) -> EmailStatus:
    """Where a pending mail goes, decided when it is delivered (a preference changed since the
    event counts)."""
    return {
        EmailMode.IMMEDIATE: EmailStatus.SENT,
        EmailMode.DAILY_DIGEST: EmailStatus.DIGEST,
        EmailMode.OFF: EmailStatus.SKIPPED,
    }[mode]


# Long enough for the slowest mail server or receiver to answer (timeouts are shorter).
LEASE = timedelta(minutes=2)

# A mail server that refuses is tried again after these delays, then the mail is failed.
EMAIL_RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)


def email_retry_at(failures: int, now: datetime) -> datetime | None:
    """After ``failures`` failed sends, when to try again; None: give up."""
    if failures < 1 or failures > len(EMAIL_RETRY_DELAYS):
        return None
    return now + EMAIL_RETRY_DELAYS[failures - 1]
