"""E-mail modes and the mail retry schedule (no database)."""

from datetime import UTC, datetime, timedelta

from refairn.notifications.domain.catalogue import Family
from refairn.notifications.domain.delivery import (
    EmailMode,
    EmailStatus,
    email_retry_at,
    preferences_with_defaults,
    status_for,
)

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


def test_unset_families_default_to_immediate_mail() -> None:
    modes = preferences_with_defaults({Family.SUPPORT: EmailMode.OFF})
    assert modes == {
        Family.CERTIFICATION: EmailMode.IMMEDIATE,
        Family.SUPPORT: EmailMode.OFF,
        Family.COMMISSIONS: EmailMode.IMMEDIATE,
        Family.PROGRAM: EmailMode.IMMEDIATE,
    }


def test_each_mode_routes_a_pending_mail() -> None:
    assert status_for(EmailMode.IMMEDIATE) == EmailStatus.SENT
    assert status_for(EmailMode.DAILY_DIGEST) == EmailStatus.DIGEST
    assert status_for(EmailMode.OFF) == EmailStatus.SKIPPED


def test_a_refused_mail_is_retried_four_times_then_failed() -> None:
    delays = [email_retry_at(n, NOW) for n in range(1, 6)]
    assert delays == [
        NOW + timedelta(minutes=1),
        NOW + timedelta(minutes=5),
        NOW + timedelta(minutes=30),
        NOW + timedelta(hours=2),
        None,
    ]
