"""Issue 18: sign-in is throttled per account at an address, per address and per account, on
``POST /auth/token``, ``POST /auth/signup`` and the login page, with a clear 429."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings

from refairn.accounts.models import User
from refairn.core import clock
from tests.support import T0, assert_problem, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests.support.make_user's
HERE, THERE = "198.51.100.7", "203.0.113.9"
LIMIT = 5  # the default per account at one address
COOL_OFF = timedelta(minutes=15)


def token(anon: Any, email: str, password: str, address: str = HERE) -> Any:
    return anon.post("/auth/token", {"email": email, "password": password}, REMOTE_ADDR=address)


def fail(anon: Any, email: str, times: int, address: str = HERE) -> None:
    for _ in range(times):
        assert_problem(token(anon, email, "wrong password!", address), 401, "invalid_credentials")


def test_after_the_limit_of_bad_passwords_even_the_right_one_is_429(anon: Any, alice: User) -> None:
    fail(anon, alice.email, LIMIT)
    response = token(anon, alice.email, PASSWORD)
    assert_problem(response, 429, "too_many_attempts")
    assert token(anon, alice.email, "wrong password!").status_code == 429


def test_the_429_says_when_to_come_back(anon: Any, alice: User) -> None:
    fail(anon, alice.email, LIMIT)
    with clock.frozen(T0 + timedelta(minutes=5)):
        response = token(anon, alice.email, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == str(10 * 60)  # a cool-off after the last failure
    assert response.body["retry_after"] == 600
    assert "10 minutes" in response.body["detail"]


def test_refused_attempts_do_not_restart_the_cool_off(anon: Any, alice: User) -> None:
    fail(anon, alice.email, LIMIT)
    with clock.frozen(T0 + timedelta(minutes=14)):
        assert token(anon, alice.email, "wrong password!").status_code == 429
    with clock.frozen(T0 + COOL_OFF + timedelta(seconds=1)):
        assert token(anon, alice.email, PASSWORD).status_code == 200


def test_another_account_at_the_same_address_is_not_affected(
    anon: Any, alice: User, charlie: User
) -> None:
    fail(anon, alice.email, LIMIT)
    assert token(anon, charlie.email, PASSWORD).status_code == 200


def test_the_same_account_from_another_address_is_not_affected(anon: Any, alice: User) -> None:
    fail(anon, alice.email, LIMIT)
    assert token(anon, alice.email, PASSWORD, address=THERE).status_code == 200


def test_the_lock_lifts_after_the_cool_off(anon: Any, alice: User) -> None:
    fail(anon, alice.email, LIMIT)
    with clock.frozen(T0 + COOL_OFF - timedelta(seconds=1)):
        assert token(anon, alice.email, PASSWORD).status_code == 429
    with clock.frozen(T0 + COOL_OFF + timedelta(seconds=1)):
        assert token(anon, alice.email, PASSWORD).status_code == 200


def test_failures_a_cool_off_apart_never_add_up(anon: Any, alice: User) -> None:
    for n in range(LIMIT + 2):
        with clock.frozen(T0 + n * (COOL_OFF + timedelta(seconds=1))):
            fail(anon, alice.email, 1)


def test_the_email_is_counted_whatever_its_case(anon: Any, alice: User) -> None:
    for n in range(LIMIT):
        fail(anon, alice.email.upper() if n % 2 else f"  {alice.email}", 1)
    assert token(anon, alice.email, PASSWORD).status_code == 429


def test_a_success_clears_that_accounts_failures_at_that_address(anon: Any, alice: User) -> None:
    fail(anon, alice.email, LIMIT - 1)
    assert token(anon, alice.email, PASSWORD).status_code == 200
    fail(anon, alice.email, LIMIT - 1)
    assert token(anon, alice.email, PASSWORD).status_code == 200


@override_settings(REFAIRN_SIGNIN_LIMITS={"account_at_address": 5, "address": 8, "account": 0})
def test_an_address_trying_many_accounts_is_locked(anon: Any, alice: User) -> None:
    for n in range(8):
        fail(anon, f"nobody{n}@x.test", 1)
    assert_problem(token(anon, alice.email, PASSWORD), 429, "too_many_attempts")
    assert token(anon, alice.email, PASSWORD, address=THERE).status_code == 200


@override_settings(REFAIRN_SIGNIN_LIMITS={"account_at_address": 3, "address": 20, "account": 6})
def test_an_account_tried_from_many_addresses_is_locked_everywhere(anon: Any, alice: User) -> None:
    fail(anon, alice.email, 3, address="192.0.2.1")
    fail(anon, alice.email, 3, address="192.0.2.2")
    assert token(anon, alice.email, PASSWORD, address="192.0.2.3").status_code == 429


def test_a_success_does_not_clear_the_addresses_failures_on_other_accounts(
    anon: Any, alice: User, charlie: User
) -> None:
    with override_settings(
        REFAIRN_SIGNIN_LIMITS={"account_at_address": 5, "address": 4, "account": 0}
    ):
        fail(anon, alice.email, 3)
        assert token(anon, charlie.email, PASSWORD).status_code == 200  # the attacker's own
        fail(anon, "someone@x.test", 1)
        assert token(anon, charlie.email, PASSWORD).status_code == 429


def test_failures_are_stamped_with_the_platform_clock(anon: Any, alice: User) -> None:
    fail(anon, alice.email, 2)
    assert set(AccessAttempt.objects.values_list("attempt_time", flat=True)) == {T0}


@override_settings(AXES_ENABLED=False)
def test_the_throttle_can_be_turned_off(anon: Any, alice: User) -> None:
    fail(anon, alice.email, LIMIT + 1)
    assert token(anon, alice.email, PASSWORD).status_code == 200


# --- behind a reverse proxy -------------------------------------------------------------------


@override_settings(REFAIRN_TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_client_is_counted_apart(anon: Any, alice: User) -> None:
    proxy = "10.0.0.2"
    for _ in range(LIMIT):
        response = anon.post(
            "/auth/token",
            {"email": alice.email, "password": "wrong password!"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"1.2.3.{_}, {HERE}",  # the left part is the client's own word
        )
        assert response.status_code == 401
    locked = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": HERE}
    other = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": THERE}
    body = {"email": alice.email, "password": PASSWORD}
    assert anon.post("/auth/token", body, **locked).status_code == 429
    assert anon.post("/auth/token", body, **other).status_code == 200


# --- sign-up ----------------------------------------------------------------------------------


def signup(anon: Any, email: str, address: str = HERE) -> Any:
    body = {"email": email, "password": "correct horse battery", "name": "N"}
    return anon.post("/auth/signup", body, REMOTE_ADDR=address)


def test_signing_up_for_taken_addresses_is_throttled(anon: Any, alice: User) -> None:
    for _ in range(LIMIT):
        assert_problem(signup(anon, alice.email), 409, "email_taken")
    assert_problem(signup(anon, alice.email), 429, "too_many_attempts")
    assert token(anon, alice.email, PASSWORD).status_code == 429  # the same account, here


@override_settings(REFAIRN_SIGNIN_LIMITS={"account_at_address": 5, "address": 3, "account": 0})
def test_a_locked_address_cannot_sign_up_and_nothing_is_created(anon: Any) -> None:
    for n in range(3):
        make_user(f"taken{n}@x.test")
        assert signup(anon, f"taken{n}@x.test").status_code == 409
    assert_problem(signup(anon, "new@x.test"), 429, "too_many_attempts")
    assert not User.objects.filter(email="new@x.test").exists()
    assert signup(anon, "new@x.test", address=THERE).status_code == 201


def test_a_successful_signup_counts_nothing(anon: Any) -> None:
    for n in range(LIMIT + 1):
        assert signup(anon, f"new{n}@x.test").status_code == 201
    assert not AccessAttempt.objects.exists()


# --- the login page ---------------------------------------------------------------------------


def page_login(client: Client, email: str, password: str) -> Any:
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=HERE)


def test_the_login_page_shows_a_lockout_notice(alice: User) -> None:
    client = Client()
    for _ in range(LIMIT):
        response = page_login(client, alice.email, "nope")
        assert response.status_code == 200
        assert b"Please enter a correct" in response.content
    response = page_login(client, alice.email, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert b"Too many attempts" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_the_login_page_and_the_api_count_together(anon: Any, alice: User) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        page_login(client, alice.email, "nope")
    fail(anon, alice.email, 1)
    assert page_login(client, alice.email, PASSWORD).status_code == 429


def test_the_login_page_lock_lifts_after_the_cool_off(alice: User) -> None:
    client = Client()
    for _ in range(LIMIT):
        page_login(client, alice.email, "nope")
    with clock.frozen(T0 + COOL_OFF + timedelta(seconds=1)):
        response = page_login(client, alice.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_the_signup_page_is_throttled_like_the_api(alice: User) -> None:
    client = Client()
    body = {"name": "Eve", "email": alice.email, "password": "correct horse battery"}
    for _ in range(LIMIT):
        assert client.post("/signup/", body, REMOTE_ADDR=HERE).status_code == 200
    response = client.post("/signup/", body, REMOTE_ADDR=HERE)
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
