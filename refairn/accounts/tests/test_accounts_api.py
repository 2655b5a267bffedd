from typing import Any

import pytest

from refairn import settings as production_settings
from refairn.accounts.models import ApiToken, User
from refairn.accounts.services import hash_token
from refairn.programs.models import Agent
from tests.support import api_as, assert_problem

pytestmark = pytest.mark.django_db

GOOD = {"email": "Dana@Example.com", "password": "correct horse battery", "name": "Dana"}


def test_signup_creates_a_user_and_a_working_token(anon: Any) -> None:
    response = anon.post("/auth/signup", GOOD)
    assert response.status_code == 201
    assert response.body["user"]["email"] == "dana@example.com"
    anon.token = response.body["token"]
    assert anon.get("/me").body["email"] == "dana@example.com"


def test_tokens_are_stored_hashed(anon: Any) -> None:
    token = anon.post("/auth/signup", GOOD).body["token"]
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_token(token)
    assert token not in stored.key_hash


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_signup_twice_is_email_taken_and_writes_nothing(anon: Any) -> None:
    anon.post("/auth/signup", GOOD)
    response = anon.post("/auth/signup", {**GOOD, "email": "dana@EXAMPLE.com"})
    assert_problem(response, 409, "email_taken")
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", ["short", "1234567890123", "password123"])
def test_weak_password_is_422_naming_the_field(anon: Any, password: str) -> None:
    response = anon.post("/auth/signup", {**GOOD, "password": password})
    assert_problem(response, 422, "weak_password")
    assert response.body["errors"][0]["field"] == "password"
    assert not User.objects.exists()


def test_signup_with_a_bad_email_names_the_field(anon: Any) -> None:
    response = anon.post("/auth/signup", {**GOOD, "email": "not-an-email"})
    assert_problem(response, 422, "validation_error")
    assert [e["field"] for e in response.body["errors"]] == ["email"]
    assert not User.objects.exists()


def test_token_for_good_credentials(anon: Any) -> None:
    anon.post("/auth/signup", GOOD)
    response = anon.post("/auth/token", {"email": "dana@example.com", "password": GOOD["password"]})
    assert response.status_code == 200
    assert len(response.body["token"]) > 30


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "dana@example.com", "password": "wrong password!"},
        {"email": "nobody@example.com", "password": "correct horse battery"},
    ],
)
def test_token_for_bad_credentials_is_401(anon: Any, credentials: dict[str, str]) -> None:
    anon.post("/auth/signup", GOOD)
    assert_problem(anon.post("/auth/token", credentials), 401, "invalid_credentials")


def test_me_lists_every_membership(as_alice: Any, business_a: Any, bob: User) -> None:
    me = as_alice.get("/me").body
    assert me["memberships"] == [
        {"business_id": str(business_a.id), "role": "owner", "status": None}
    ]
    bob_me = api_as(bob).get("/me").body
    assert bob_me["memberships"] == [
        {"business_id": str(business_a.id), "role": "agent", "status": "approved"}
    ]


def test_me_needs_a_token(anon: Any) -> None:
    assert_problem(anon.get("/me"), 401, "not_authenticated")


def test_a_bad_token_is_401(anon: Any) -> None:
    anon.token = "not-a-real-token"
    assert_problem(anon.get("/me"), 401, "not_authenticated")


def test_a_deactivated_user_token_stops_working(as_bob: Any, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(is_active=False)
    assert_problem(as_bob.get("/me"), 401, "not_authenticated")
    assert Agent.objects.filter(user=bob).exists()  # nothing else changed
