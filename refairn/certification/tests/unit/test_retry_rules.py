from datetime import UTC, datetime, timedelta

import pytest

from refairn.certification.domain import (
    BlockReason,
    RetryPolicy,
    Status,
    attempt_block,
    attempts_left,
    next_attempt_at,
    status_allows_attempt,
)

FAILED_AT = datetime(2025, 3, 10, 14, 30, tzinfo=UTC)


def block(**overrides):
    args = {
        "attempts_used": 1,
        "granted_extra": 0,
        "policy": RetryPolicy(),
        "last_failed_submitted_at": FAILED_AT,
        "now": FAILED_AT + timedelta(days=8),
        "attempt_in_progress": False,
    }
    args.update(overrides)
    return attempt_block(**args)


def test_block_reasons_are_the_api_error_codes():
    assert {r.value for r in BlockReason} == {
        "attempt_in_progress",
        "retry_period_active",
        "max_attempts_reached",
    }


def test_default_policy_is_seven_days_and_no_maximum():
    assert RetryPolicy() == RetryPolicy(retry_period_days=7, max_attempts=None)


def test_next_attempt_opens_retry_period_after_the_failed_submission():
    policy = RetryPolicy(retry_period_days=7)
    expected = datetime(2025, 3, 17, 14, 30, tzinfo=UTC)
    assert next_attempt_at(last_failed_submitted_at=FAILED_AT, policy=policy) == expected


def test_no_fail_means_no_waiting():
    assert next_attempt_at(last_failed_submitted_at=None, policy=RetryPolicy()) is None
    assert block(last_failed_submitted_at=None, now=FAILED_AT) is None


def test_retry_period_blocks_until_the_exact_instant():
    opens = FAILED_AT + timedelta(days=7)
    assert block(now=opens - timedelta(seconds=1)) is BlockReason.RETRY_PERIOD_ACTIVE
    assert block(now=opens) is None


def test_zero_day_retry_period_allows_an_immediate_retry():
    assert block(policy=RetryPolicy(retry_period_days=0), now=FAILED_AT) is None


def test_max_attempts_blocks_once_used_up():
    policy = RetryPolicy(max_attempts=3)
    assert block(policy=policy, attempts_used=2) is None
    assert block(policy=policy, attempts_used=3) is BlockReason.MAX_ATTEMPTS_REACHED


def test_granted_attempts_lift_the_maximum():
    policy = RetryPolicy(max_attempts=3)
    assert block(policy=policy, attempts_used=3, granted_extra=1) is None
    assert block(policy=policy, attempts_used=4, granted_extra=1) is (
        BlockReason.MAX_ATTEMPTS_REACHED
    )


def test_attempts_left_counts_grants_and_is_none_without_maximum():
    assert attempts_left(attempts_used=2, granted_extra=2, policy=RetryPolicy(max_attempts=3)) == 3
    assert attempts_left(attempts_used=9, granted_extra=0, policy=RetryPolicy()) is None


def test_attempt_in_progress_is_reported_before_anything_else():
    assert (
        block(
            attempt_in_progress=True,
            policy=RetryPolicy(max_attempts=1),
            now=FAILED_AT,
        )
        is BlockReason.ATTEMPT_IN_PROGRESS
    )


def test_maximum_is_reported_before_the_retry_period():
    assert block(policy=RetryPolicy(max_attempts=1), now=FAILED_AT) is (
        BlockReason.MAX_ATTEMPTS_REACHED
    )


def test_policy_refuses_impossible_settings():
    with pytest.raises(ValueError):
        RetryPolicy(retry_period_days=-1)
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Status.NOT_STARTED, True),
        (Status.IN_PROGRESS, True),
        (Status.FAILED, True),
        (Status.EXPIRED, True),
        (Status.SUBMITTED, False),
        (Status.AWAITING_MANUAL_REVIEW, False),
        (Status.PASSED, False),
        (Status.REVOKED, False),
    ],
)
def test_status_decides_whether_an_attempt_may_start(status, allowed):
    assert status_allows_attempt(status, None, FAILED_AT) is allowed


def test_certified_agent_may_attempt_only_inside_the_renewal_window():
    expires = FAILED_AT + timedelta(days=30)
    assert status_allows_attempt(Status.CERTIFIED, expires, FAILED_AT)
    assert not status_allows_attempt(Status.CERTIFIED, expires, FAILED_AT - timedelta(seconds=1))
