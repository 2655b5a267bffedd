"""Issue 18: optional TOTP. A user turns it on from the account page (secret and otpauth URI
shown, confirmed with a first code); then the login page asks for a code, and
``POST /auth/token`` wants ``otp`` (422 ``otp_required``, 401 ``invalid_otp``)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.accounts import services
from refairn.accounts.domain import totp
from refairn.accounts.models import TotpDevice, User
from refairn.core import clock
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LATER = T0 + timedelta(seconds=30)  # the next time step: a fresh code


def enable(user: User) -> str:
    """Turn TOTP on for ``user`` through the services; the secret."""
    secret = services.totp_setup_start(user=user).secret
    services.totp_setup_confirm(user=user, code=totp.code_at(secret, clock.now()))
    return secret


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- turning it on and off from the account page ----------------------------------------------


def test_setting_up_shows_the_secret_and_uri_then_a_code_turns_it_on(alice: User) -> None:
    client = page_client(alice)
    page = client.get("/account/two-factor/")
    assert b"Off." in page.content
    assert client.post("/account/two-factor/", {"action": "start"}).status_code == 302
    page = client.get("/account/two-factor/").content.decode()
    uri = re.search(r'data-testid="totp-uri">([^<]+)<', page)
    assert uri is not None and uri.group(1).startswith("otpauth://totp/Refairn:alice%40a.test?")
    secret = re.search(r"secret=([A-Z2-7]+)", uri.group(1))
    assert secret is not None
    grouped = totp.display_secret(secret.group(1))
    assert grouped in page
    assert not services.totp_enabled(alice)  # not before a first code

    response = client.post(
        "/account/two-factor/",
        {"action": "confirm", "code": totp.code_at(secret.group(1), T0)},
        follow=True,
    )
    assert b"Two-factor authentication is on." in response.content
    assert services.totp_enabled(alice)


def test_a_wrong_first_code_leaves_it_off(alice: User) -> None:
    client = page_client(alice)
    client.post("/account/two-factor/", {"action": "start"})
    response = client.post("/account/two-factor/", {"action": "confirm", "code": "000000"})
    assert response.status_code == 422
    assert b"wrong or was already used" in response.content
    assert not services.totp_enabled(alice)


def test_the_secret_is_stored_sealed(alice: User) -> None:
    secret = enable(alice)
    stored = bytes(TotpDevice.objects.get(user=alice).sealed_secret)
    assert secret.encode() not in stored


def test_turning_it_off_needs_a_current_code(alice: User) -> None:
    secret = enable(alice)
    client = page_client(alice)
    wrong = client.post("/account/two-factor/", {"action": "disable", "code": "123456"})
    assert wrong.status_code == 422
    assert services.totp_enabled(alice)
    with clock.frozen(LATER):
        code = totp.code_at(secret, LATER)
        client.post("/account/two-factor/", {"action": "disable", "code": code})
    assert not services.totp_enabled(alice)


def test_the_account_pages_need_a_login() -> None:
    for path in ("/account/two-factor/", "/account/tokens/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


# --- the API ---------------------------------------------------------------------------------


def test_token_without_otp_is_422_otp_required(anon: Any, alice: User) -> None:
    enable(alice)
    response = anon.post("/auth/token", {"email": alice.email, "password": PASSWORD})
    assert_problem(response, 422, "otp_required")
    assert response.body["errors"][0]["field"] == "otp"


def test_token_with_a_wrong_otp_is_401_invalid_otp(anon: Any, alice: User) -> None:
    enable(alice)
    body = {"email": alice.email, "password": PASSWORD, "otp": "000000"}
    assert_problem(anon.post("/auth/token", body), 401, "invalid_otp")


def test_token_with_the_right_otp_and_never_twice(anon: Any, alice: User) -> None:
    secret = enable(alice)
    with clock.frozen(LATER):
        body = {"email": alice.email, "password": PASSWORD, "otp": totp.code_at(secret, LATER)}
        assert anon.post("/auth/token", body).status_code == 200
        assert_problem(anon.post("/auth/token", body), 401, "invalid_otp")


def test_a_wrong_password_is_still_invalid_credentials(anon: Any, alice: User) -> None:
    secret = enable(alice)
    body = {"email": alice.email, "password": "wrong one!", "otp": totp.code_at(secret, T0)}
    assert_problem(anon.post("/auth/token", body), 401, "invalid_credentials")


def test_wrong_codes_count_towards_the_lockout(anon: Any, alice: User) -> None:
    secret = enable(alice)
    body = {"email": alice.email, "password": PASSWORD, "otp": "000000"}
    for _ in range(5):
        assert_problem(anon.post("/auth/token", body), 401, "invalid_otp")
    with clock.frozen(LATER):
        body["otp"] = totp.code_at(secret, LATER)
        assert_problem(anon.post("/auth/token", body), 429, "too_many_attempts")


def test_users_without_totp_are_not_asked(anon: Any, alice: User) -> None:
    body = {"email": alice.email, "password": PASSWORD, "otp": "000000"}
    assert anon.post("/auth/token", body).status_code == 200


# --- the login page ---------------------------------------------------------------------------


def login(client: Client, user: User) -> Any:
    return client.post("/login/", {"username": user.email, "password": PASSWORD, "next": "/"})


def test_the_login_page_asks_for_the_code_before_signing_in(alice: User, business_a: Any) -> None:
    secret = enable(alice)
    client = Client()
    response = login(client, alice)
    assert response.status_code == 302
    assert response["Location"] == "/login/code/"
    assert "_auth_user_id" not in client.session
    assert b"Authentication code" in client.get("/login/code/").content
    with clock.frozen(LATER):
        response = client.post("/login/code/", {"code": totp.code_at(secret, LATER)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_wrong_code_on_the_page_is_an_error_and_no_session(alice: User) -> None:
    enable(alice)
    client = Client()
    login(client, alice)
    response = client.post("/login/code/", {"code": "000000"})
    assert response.status_code == 422
    assert b"wrong or was already used" in response.content
    assert "_auth_user_id" not in client.session


def test_the_code_page_locks_out_after_repeated_wrong_codes(alice: User) -> None:
    secret = enable(alice)
    client = Client()
    login(client, alice)
    for _ in range(5):
        client.post("/login/code/", {"code": "000000"})
    with clock.frozen(LATER):
        response = client.post("/login/code/", {"code": totp.code_at(secret, LATER)})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_the_code_step_expires(alice: User) -> None:
    secret = enable(alice)
    client = Client()
    login(client, alice)
    later = T0 + timedelta(minutes=6)
    with clock.frozen(later):
        response = client.post("/login/code/", {"code": totp.code_at(secret, later)})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_first_goes_back_to_login() -> None:
    response = Client().get("/login/code/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_setting_up_again_while_on_changes_nothing(alice: User) -> None:
    secret = enable(alice)
    response = page_client(alice).post("/account/two-factor/", {"action": "start"}, follow=True)
    assert b"already on" in response.content
    with clock.frozen(LATER):
        assert services.totp_verify(user=alice, code=totp.code_at(secret, LATER))


def test_pages_showing_secrets_are_never_cached(alice: User) -> None:
    client = page_client(alice)
    for path in ("/account/tokens/", "/account/two-factor/"):
        assert "no-store" in client.get(path)["Cache-Control"]
