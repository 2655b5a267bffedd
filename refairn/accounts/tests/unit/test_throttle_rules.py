"""Issue 18: when a sign-in lock lifts, and the client address behind proxies; pure rules."""

from datetime import UTC, datetime, timedelta

import pytest

from refairn.accounts.domain import throttle

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
COOL_OFF = timedelta(minutes=15)


def lifts(rows: list[tuple[datetime, int]], limit: int = 5) -> datetime | None:
    return throttle.lock_lifts_at(rows, limit=limit, cool_off=COOL_OFF, now=NOW)


def test_below_the_limit_nothing_is_locked() -> None:
    assert lifts([(NOW, 4)]) is None
    assert lifts([]) is None


def test_at_the_limit_the_lock_lifts_a_cool_off_after_the_last_failure() -> None:
    last = NOW - timedelta(minutes=5)
    assert lifts([(last, 5)]) == last + COOL_OFF


def test_rows_together_reach_the_limit_until_the_one_completing_it_ages_out() -> None:
    rows = [(NOW - timedelta(minutes=1), 2), (NOW - timedelta(minutes=10), 3)]
    assert lifts(rows) == NOW - timedelta(minutes=10) + COOL_OFF


def test_failures_older_than_the_cool_off_do_not_count() -> None:
    assert lifts([(NOW - COOL_OFF, 5)]) is None
    assert (
        lifts([(NOW - timedelta(minutes=1), 3), (NOW - COOL_OFF - timedelta(seconds=1), 9)]) is None
    )


def test_a_zero_limit_turns_its_rule_off() -> None:
    assert [r.fields for r in throttle.rules(account_at_address=5, address=0, account=50)] == [
        throttle.ACCOUNT_AT_ADDRESS,
        throttle.ACCOUNT,
    ]


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "client"),
    [
        ("203.0.113.7", None, 0, "203.0.113.7"),
        # Without trusted proxies the header is the client's own word: ignored.
        ("203.0.113.7", "198.51.100.1", 0, "203.0.113.7"),
        ("10.0.0.2", "198.51.100.1", 1, "198.51.100.1"),
        # What the client wrote to the left of the proxies' entries is ignored.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", 1, "198.51.100.1"),
        ("10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.2", 2, "198.51.100.1"),
        # Fewer entries than proxies: the request did not come through them.
        ("203.0.113.7", None, 1, "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", 2, "203.0.113.7"),
        ("10.0.0.2", "not-an-address", 1, "10.0.0.2"),
        ("10.0.0.2", " 2001:DB8::1 ", 1, "2001:db8::1"),
        (None, None, 0, None),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    remote: str | None, forwarded: str | None, proxies: int, client: str | None
) -> None:
    assert throttle.client_address(remote, forwarded, proxies) == client
