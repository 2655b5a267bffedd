"""Issue 18: API token lifetimes, pure rules."""

from datetime import UTC, datetime, timedelta

import pytest

from refairn.accounts.domain import tokens

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_a_lifetime_in_days_is_an_expiry_and_none_is_never() -> None:
    assert tokens.expiry(NOW, 90) == NOW + timedelta(days=90)
    assert tokens.expiry(NOW, None) is None


@pytest.mark.parametrize("days", [0, -1, tokens.MAX_LIFETIME_DAYS + 1])
def test_a_lifetime_outside_the_bounds_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="between 1 and"):
        tokens.expiry(NOW, days)


def test_a_token_made_by_a_token_never_outlives_it() -> None:
    maker = NOW + timedelta(days=30)
    assert tokens.capped(NOW + timedelta(days=90), maker) == maker
    assert tokens.capped(None, maker) == maker
    assert tokens.capped(NOW + timedelta(days=7), maker) == NOW + timedelta(days=7)


def test_a_token_made_by_a_person_or_an_unexpiring_token_keeps_its_expiry() -> None:
    assert tokens.capped(None, None) is None
    assert tokens.capped(NOW + timedelta(days=7), None) == NOW + timedelta(days=7)


def test_a_token_is_live_until_it_expires_or_is_revoked() -> None:
    expires = NOW + timedelta(days=1)
    assert tokens.is_live(expires_at=expires, revoked_at=None, now=NOW)
    assert tokens.is_live(expires_at=None, revoked_at=None, now=NOW)
    assert not tokens.is_live(expires_at=expires, revoked_at=None, now=expires)
    assert not tokens.is_live(expires_at=None, revoked_at=NOW, now=NOW)
