"""Webhook URL and address rules, subscriptions, payloads and the retry schedule (no
database)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.webhooks.domain import (
    UrlRefused,
    address_refusal,
    addresses_check,
    events_check,
    parse_url,
    payload_body,
    retry_at,
    subscribed,
)

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1", "10.255.255.254", "172.16.0.1", "172.31.255.1", "192.168.0.1",
        "169.254.169.254", "169.254.0.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "239.1.1.1",  # noqa: S104
        "240.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1",
        "::", "fe80::1", "fd00::1", "fc00::1", "ff02::1", "::ffff:10.0.0.1",
        "::ffff:169.254.169.254", "2002:a00:1::", "64:ff9b::a00:1", "2001:db8::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert address_refusal(address, allow_loopback=True) is not None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_only_in_development(address: str) -> None:
    assert address_refusal(address, allow_loopback=False) == "a loopback address"
    assert address_refusal(address, allow_loopback=True) is None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(address, allow_loopback=False) is None


def test_one_private_address_refuses_the_host() -> None:
    with pytest.raises(UrlRefused) as refused:
        addresses_check("h.example", ["93.184.216.34", "10.0.0.2"], allow_loopback=False)
    assert refused.value.code == "webhook_url_forbidden"
    with pytest.raises(UrlRefused) as unresolved:
        addresses_check("h.example", [], allow_loopback=False)
    assert unresolved.value.code == "webhook_url_unresolvable"


def test_url_parts() -> None:
    target = parse_url("https://Hooks.Example.com./in?x=1", allow_loopback=False)
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "hooks.example.com",
        443,
        "/in?x=1",
    )
    assert parse_url("http://[::1]:8080", allow_loopback=True).host == "::1"


@pytest.mark.parametrize(
    ("url", "loopback", "code"),
    [
        ("http://example.com/", True, "webhook_url_insecure"),
        ("http://127.0.0.1/", False, "webhook_url_insecure"),
        ("http://10.0.0.1/", True, "webhook_url_insecure"),
        ("https://u:p@example.com/", False, "webhook_url_invalid"),
        ("https://example.com/#frag", False, "webhook_url_invalid"),
        ("https://example.com:99999/", False, "webhook_url_invalid"),
        ("gopher://example.com/", False, "webhook_url_invalid"),
        ("https:///nohost", False, "webhook_url_invalid"),
        ("https://exa mple.com/", False, "webhook_url_invalid"),
    ],
)
def test_url_refusals(url: str, loopback: bool, code: str) -> None:
    with pytest.raises(UrlRefused) as refused:
        parse_url(url, allow_loopback=loopback)
    assert refused.value.code == code


def test_subscriptions() -> None:
    known = ["a.b", "c.d"]
    assert events_check(["c.d", "a.b", "c.d"], known) == ["c.d", "a.b"]
    assert events_check(["*"], known) == ["*"]
    for bad in ([], ["x.y"], ["*", "a.b"]):
        with pytest.raises(ValueError):
            events_check(bad, known)
    assert subscribed(["*"], "a.b") and subscribed(["a.b"], "a.b")
    assert not subscribed(["c.d"], "a.b")


def test_the_payload_is_the_standard_envelope() -> None:
    body = payload_body("a.b", NOW, {"x": 1, "é": "ü"})
    assert json.loads(body) == {
        "type": "a.b",
        "timestamp": "2026-11-02T09:00:00+00:00",
        "data": {"x": 1, "é": "ü"},
    }


def test_the_backoff_doubles_to_four_hours_and_stops_after_a_day() -> None:
    at, schedule = NOW, []
    failures = 0
    while True:
        failures += 1
        nxt = retry_at(failures=failures, first_attempt_at=NOW, now=at)
        if nxt is None:
            break
        schedule.append(nxt - at)
        at = nxt
    minutes = [gap.total_seconds() / 60 for gap in schedule]
    assert minutes[:9] == [1, 2, 4, 8, 16, 32, 64, 128, 240]
    assert set(minutes[8:]) == {240}
    assert at <= NOW + timedelta(days=1) < at + timedelta(hours=4)


@given(
    failures=st.integers(min_value=1, max_value=10_000),
    elapsed=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
)
def test_no_retry_is_ever_scheduled_past_the_day(failures: int, elapsed: timedelta) -> None:
    nxt = retry_at(failures=failures, first_attempt_at=NOW, now=NOW + elapsed)
    assert nxt is None or NOW + elapsed < nxt <= NOW + timedelta(days=1)
