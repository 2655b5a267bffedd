from datetime import UTC, datetime, timedelta

import pytest

from refairn.certification.domain import (
    RENEWAL_WINDOW,
    Reminder,
    Status,
    certification_expiry,
    expiry_due,
    expiry_from,
    is_currently_certified,
    reminders_due,
    renewal_open,
    renewed_expiry,
)


def at(year, month, day, hour=0):
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_one_month_from_january_31_is_february_28():
    assert expiry_from(at(2025, 1, 31, 9), 1) == at(2025, 2, 28, 9)


def test_one_month_from_january_31_in_a_leap_year_is_february_29():
    assert expiry_from(at(2024, 1, 31), 1) == at(2024, 2, 29)


def test_annual_from_leap_day_is_february_28():
    assert expiry_from(at(2024, 2, 29), 12) == at(2025, 2, 28)


def test_biannual_means_six_months():
    assert expiry_from(at(2025, 3, 15, 12), 6) == at(2025, 9, 15, 12)


def test_expiry_refuses_naive_datetimes_and_empty_intervals():
    with pytest.raises(ValueError, match="naive"):
        expiry_from(datetime(2025, 1, 1), 12)
    with pytest.raises(ValueError, match="at least one month"):
        expiry_from(at(2025, 1, 1), 0)


def test_renewal_window_is_thirty_days():
    assert timedelta(days=30) == RENEWAL_WINDOW


def test_renewal_opens_thirty_days_before_expiry():
    expires = at(2025, 6, 30)
    assert not renewal_open(expires, at(2025, 5, 31) - timedelta(seconds=1))
    assert renewal_open(expires, at(2025, 5, 31))
    assert renewal_open(expires, at(2025, 7, 15))
    assert not renewal_open(None, at(2025, 7, 15))


def test_renewal_extends_from_old_expiry_not_from_today():
    assert renewed_expiry(at(2025, 6, 30), 12) == at(2026, 6, 30)


def test_renewal_counts_from_the_old_date_so_month_ends_do_not_drift():
    assert renewed_expiry(at(2025, 1, 31), 1) == at(2025, 2, 28)
    assert renewed_expiry(at(2025, 3, 31), 6) == at(2025, 9, 30)


def test_early_renewal_extends_from_the_old_expiry():
    expires = certification_expiry(
        previous_expires_at=at(2025, 6, 30), months=12, now=at(2025, 6, 10)
    )
    assert expires == at(2026, 6, 30)


def test_renewal_after_a_lapse_gets_a_full_period_from_the_day_certified_again():
    # Issue 11 item 2: a 6-month track renewed two months after lapsing.
    expires = certification_expiry(
        previous_expires_at=at(2025, 3, 1), months=6, now=at(2025, 5, 1, 10)
    )
    assert expires == at(2025, 11, 1, 10)
    # At the expiry instant it has already lapsed.
    assert certification_expiry(
        previous_expires_at=at(2025, 3, 1), months=6, now=at(2025, 3, 1)
    ) == at(2025, 9, 1)


def test_first_certification_expires_one_interval_from_now():
    expires = certification_expiry(previous_expires_at=None, months=12, now=at(2025, 3, 1, 8))
    assert expires == at(2026, 3, 1, 8)


def test_certified_counts_only_until_expires_at():
    expires = at(2025, 6, 30)
    assert is_currently_certified(Status.CERTIFIED, expires, at(2025, 6, 29, 23))
    assert not is_currently_certified(Status.CERTIFIED, expires, expires)
    assert not is_currently_certified(Status.EXPIRED, expires, at(2025, 1, 1))
    assert not is_currently_certified(Status.REVOKED, expires, at(2025, 1, 1))


def test_expiry_is_due_from_the_expiry_instant_for_certified_only():
    expires = at(2025, 6, 30)
    assert not expiry_due(Status.CERTIFIED, expires, expires - timedelta(seconds=1))
    assert expiry_due(Status.CERTIFIED, expires, expires)
    assert not expiry_due(Status.REVOKED, expires, expires)
    assert not expiry_due(Status.CERTIFIED, None, expires)


def test_reminders_fall_due_30_and_7_days_before_the_expiry():
    expires, certified = at(2025, 6, 30), at(2024, 6, 30)
    assert reminders_due(expires, certified, at(2025, 5, 30, 23)) == []
    assert reminders_due(expires, certified, at(2025, 5, 31)) == [Reminder(30, at(2025, 5, 31))]
    assert reminders_due(expires, certified, at(2025, 6, 23)) == [
        Reminder(30, at(2025, 5, 31)),
        Reminder(7, at(2025, 6, 23)),
    ]


def test_a_reminder_is_never_dated_before_the_certification():
    # A one-month track certified 29 days before its expiry: the 30-day one is due at once.
    due = reminders_due(at(2025, 3, 1), at(2025, 1, 31), at(2025, 1, 31))
    assert due == [Reminder(30, at(2025, 1, 31))]
    assert reminders_due(None, None, at(2025, 6, 30)) == []


@pytest.mark.parametrize("months", [1, 2, 11, 12, 13, 24, 25, 120])
def test_month_arithmetic_agrees_with_relativedelta_on_every_day_of_four_years(months):
    from dateutil.relativedelta import relativedelta

    from refairn.certification.domain.expiry import plus_months

    day = at(2023, 1, 1, 9)
    while day < at(2027, 1, 1):
        assert plus_months(day, months) == day + relativedelta(months=months)
        day += timedelta(days=1, minutes=7)
