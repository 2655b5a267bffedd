"""Issue 18: API tokens have names, an expiry and revocation: ``GET/POST /me/tokens``,
``DELETE /me/tokens/{id}``; tokens from ``/auth/token`` and sign-up expire by default."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import ApiToken, User
from refairn.accounts.services import token_create
from refairn.core import clock
from tests.support import T0, ApiClient, assert_problem

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
FIELDS = {"id", "name", "created_at", "expires_at", "last_used_at"}


def iso(value: Any) -> str:
    return value.isoformat().replace("+00:00", "Z")


def signed_in(user: User, **body: Any) -> ApiClient:
    """A client holding a token from ``POST /auth/token``, as an integrator would."""
    anon = ApiClient(Client())
    response = anon.post("/auth/token", {"email": user.email, "password": PASSWORD, **body})
    assert response.status_code == 200, response.content
    anon.token = response.body["token"]
    return anon


def test_auth_token_names_the_token_and_it_expires_in_90_days(anon: Any, alice: User) -> None:
    body = {"email": alice.email, "password": PASSWORD, "name": "CI deploy"}
    response = anon.post("/auth/token", body)
    assert response.status_code == 200
    assert response.body["name"] == "CI deploy"
    assert response.body["expires_at"] == iso(T0 + timedelta(days=90))
    stored = ApiToken.objects.get(public_id=response.body["id"])
    assert (stored.name, stored.expires_at) == ("CI deploy", T0 + timedelta(days=90))


def test_signup_token_expires_in_90_days_too(anon: Any) -> None:
    body = {"email": "dana@x.test", "password": "correct horse battery", "name": "Dana"}
    assert anon.post("/auth/signup", body).status_code == 201
    assert ApiToken.objects.get().expires_at == T0 + timedelta(days=90)


def test_the_list_shows_live_tokens_and_never_a_secret(alice: User) -> None:
    client = signed_in(alice, name="laptop")
    token_create(user=alice, name="forever", expires_in_days=None)
    listed = client.get("/me/tokens").body
    assert [t["name"] for t in listed] == ["forever", "laptop"]  # newest first
    for item in listed:
        assert set(item) == FIELDS
    assert client.token not in str(listed)
    laptop = next(t for t in listed if t["name"] == "laptop")
    assert laptop["last_used_at"] == iso(T0)  # this very call used it


def test_create_shows_the_token_once_and_it_works(alice: User) -> None:
    client = signed_in(alice)
    response = client.post("/me/tokens", {"name": "reporting", "expires_in_days": 7})
    assert response.status_code == 201
    assert set(response.body) == FIELDS | {"token"}
    assert response.body["expires_at"] == iso(T0 + timedelta(days=7))
    other = ApiClient(Client(), response.body["token"])
    assert other.get("/me").body["email"] == alice.email
    listed = client.get("/me/tokens").body
    assert "token" not in next(t for t in listed if t["id"] == response.body["id"])


def test_create_without_a_lifetime_gets_the_default(alice: User) -> None:
    response = signed_in(alice).post("/me/tokens", {"name": "default"})
    assert response.body["expires_at"] == iso(T0 + timedelta(days=90))


def test_a_token_never_makes_a_token_that_outlives_it(alice: User) -> None:
    client = signed_in(alice)  # expires in 90 days
    longer = client.post("/me/tokens", {"name": "long", "expires_in_days": 365})
    never = client.post("/me/tokens", {"name": "never", "expires_in_days": None})
    assert longer.body["expires_at"] == never.body["expires_at"] == iso(T0 + timedelta(days=90))


def test_a_token_without_expiry_may_make_one_without_expiry(as_alice: Any) -> None:
    response = as_alice.post("/me/tokens", {"name": "service", "expires_in_days": None})
    assert response.status_code == 201
    assert response.body["expires_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "t", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "t", "expires_in_days": 3651}, "expires_in_days"),
        ({"name": "t", "expires_in_days": "soon"}, "expires_in_days"),
        ({"name": "t", "secret": "mine"}, "secret"),
        ({}, "name"),
    ],
)
def test_bad_token_input_is_422_and_creates_nothing(
    as_alice: Any, body: dict[str, Any], field: str
) -> None:
    before = ApiToken.objects.count()
    response = as_alice.post("/me/tokens", body)
    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]]
    assert ApiToken.objects.count() == before


def test_an_expired_token_is_401(alice: User) -> None:
    client = signed_in(alice)
    with clock.frozen(T0 + timedelta(days=90) - timedelta(seconds=1)):
        assert client.get("/me").status_code == 200
    with clock.frozen(T0 + timedelta(days=90)):
        assert_problem(client.get("/me"), 401, "not_authenticated")


def test_a_revoked_token_is_401_and_leaves_the_list(alice: User) -> None:
    client = signed_in(alice)
    doomed = client.post("/me/tokens", {"name": "doomed"}).body
    assert client.delete(f"/me/tokens/{doomed['id']}").status_code == 204
    assert_problem(ApiClient(Client(), doomed["token"]).get("/me"), 401, "not_authenticated")
    assert doomed["id"] not in [t["id"] for t in client.get("/me/tokens").body]
    assert ApiToken.objects.get(public_id=doomed["id"]).revoked_at == T0  # the row stays


def test_revoking_the_calling_token_signs_it_out(alice: User) -> None:
    client = signed_in(alice)
    own = client.get("/me/tokens").body[0]["id"]
    assert client.delete(f"/me/tokens/{own}").status_code == 204
    assert_problem(client.get("/me"), 401, "not_authenticated")


def test_another_users_token_is_404_and_keeps_working(alice: User, charlie: User) -> None:
    theirs = signed_in(charlie)
    their_id = theirs.get("/me/tokens").body[0]["id"]
    mine = signed_in(alice)
    assert_problem(mine.delete(f"/me/tokens/{their_id}"), 404, "not_found")
    assert theirs.get("/me").status_code == 200
    assert their_id not in [t["id"] for t in mine.get("/me/tokens").body]


@pytest.mark.parametrize("token_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1"])
def test_unknown_token_ids_are_404(as_alice: Any, token_id: str) -> None:
    assert_problem(as_alice.delete(f"/me/tokens/{token_id}"), 404, "not_found")


def test_revoking_twice_is_404(alice: User) -> None:
    client = signed_in(alice)
    spare = client.post("/me/tokens", {"name": "spare"}).body["id"]
    assert client.delete(f"/me/tokens/{spare}").status_code == 204
    assert_problem(client.delete(f"/me/tokens/{spare}"), 404, "not_found")


def test_token_endpoints_need_a_token(anon: Any) -> None:
    assert_problem(anon.get("/me/tokens"), 401, "not_authenticated")
    assert_problem(anon.post("/me/tokens", {"name": "x"}), 401, "not_authenticated")
    assert_problem(
        anon.delete("/me/tokens/00000000-0000-0000-0000-000000000000"), 401, "not_authenticated"
    )


def test_tokens_made_before_names_and_expiry_keep_working(alice: User, as_alice: Any) -> None:
    # What migration 0002 leaves for an old token: a name, no expiry.
    legacy = ApiToken.objects.get(user=alice)
    assert legacy.expires_at is None
    with clock.frozen(T0 + timedelta(days=3650)):
        assert as_alice.get("/me").status_code == 200
