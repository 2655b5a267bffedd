"""Retry rules: when the next assessment attempt may start (PRODUCT.md §4).

Decisions where the product text is silent:

- Attempts count per certification cycle. A cycle starts with the certification record, and
  again on each event in ``CYCLE_START_EVENTS`` (becoming certified, renewing, reopening after
  a revoke); attempt counters, granted extra attempts and the last fail all reset, so renewal
  attempts count fresh.
- ``attempt_in_progress`` covers an attempt that is open or awaiting review: a renewal attempt
  under review leaves the status ``certified``, so the status alone cannot stop a second one.
- When several blocks apply, the one the agent can do least about is reported: an attempt in
  progress, then the maximum (only the business can lift it), then the retry period.
- The retry period is measured in whole days of 24 hours from the failed attempt's submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from refairn.certification.domain.expiry import renewal_open
from refairn.certification.domain.status import Status

_OPEN_TO_ATTEMPTS = frozenset(
    {Status.NOT_STARTED, Status.IN_PROGRESS, Status.FAILED, Status.EXPIRED}
)


class BlockReason(StrEnum):
    ATTEMPT_IN_PROGRESS = "attempt_in_progress"
    RETRY_PERIOD_ACTIVE = "retry_period_active"
    MAX_ATTEMPTS_REACHED = "max_attempts_reached"


# A year is the longest wait a business may impose, and a hundred attempts the most it may offer:
# beyond either the setting is a typo, not a policy.
MAX_RETRY_PERIOD_DAYS = 365
MAX_ATTEMPTS_LIMIT = 100


class RetryPolicyError(ValueError):
    """A retry policy the rules refuse; ``field`` names the setting."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class RetryPolicy:
    """PRODUCT.md §2: retry period (default 7 days) and maximum attempts (default none)."""

    retry_period_days: int = 7
    max_attempts: int | None = None

    def __post_init__(self) -> None:
        if not _whole(self.retry_period_days) or not (
            0 <= self.retry_period_days <= MAX_RETRY_PERIOD_DAYS
        ):
            raise RetryPolicyError(
                "retry_period_days",
                f"must be a whole number of days from 0 to {MAX_RETRY_PERIOD_DAYS}",
            )
        if self.max_attempts is not None and (
            not _whole(self.max_attempts) or not 1 <= self.max_attempts <= MAX_ATTEMPTS_LIMIT
        ):
            raise RetryPolicyError(
                "max_attempts", f"must be a whole number from 1 to {MAX_ATTEMPTS_LIMIT}, or none"
            )


def next_attempt_at(
    *, last_failed_submitted_at: datetime | None, policy: RetryPolicy
) -> datetime | None:
    """PRODUCT.md §4: after a fail the next attempt opens ``retry period`` days after
    submission. ``None`` when no fail in this cycle holds the agent back."""
    if last_failed_submitted_at is None:
        return None
    return last_failed_submitted_at + timedelta(days=policy.retry_period_days)


def attempts_left(*, attempts_used: int, granted_extra: int, policy: RetryPolicy) -> int | None:
    """PRODUCT.md §4: attempts left in this cycle, counting business-granted extras;
    ``None`` when there is no maximum."""
    if policy.max_attempts is None:
        return None
    return max(0, policy.max_attempts + granted_extra - attempts_used)


def attempt_block(
    *,
    attempts_used: int,
    granted_extra: int,
    policy: RetryPolicy,
    last_failed_submitted_at: datetime | None,
    now: datetime,
    attempt_in_progress: bool,
) -> BlockReason | None:
    """PRODUCT.md §4: why a new attempt may not start now (an API error code), or ``None``."""
    if attempt_in_progress:
        return BlockReason.ATTEMPT_IN_PROGRESS
    if attempts_left(attempts_used=attempts_used, granted_extra=granted_extra, policy=policy) == 0:
        return BlockReason.MAX_ATTEMPTS_REACHED
    opens_at = next_attempt_at(last_failed_submitted_at=last_failed_submitted_at, policy=policy)
    if opens_at is not None and now < opens_at:
        return BlockReason.RETRY_PERIOD_ACTIVE
    return None


def status_allows_attempt(status: Status, expires_at: datetime | None, now: datetime) -> bool:
    """PRODUCT.md §5: the certification status lets an attempt start — before the first
    certification, after a fail, after expiry, or while certified inside the renewal window."""
    if status == Status.CERTIFIED:
        return renewal_open(expires_at, now)
    return status in _OPEN_TO_ATTEMPTS
