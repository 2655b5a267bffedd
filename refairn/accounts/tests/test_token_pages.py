"""Issue 18: the account menu's token page lists, creates (shown once) and revokes tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import ApiToken, User
from refairn.accounts.services import token_create
from refairn.core import clock
from tests.support import T0, ApiClient, api_as

pytestmark = pytest.mark.django_db


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_links_to_the_account(alice: User, business_a: Any) -> None:
    home = page_client(alice).get("/")
    assert b'href="/account/tokens/">Account</a>' in home.content


def test_the_page_lists_live_tokens_without_secrets(alice: User) -> None:
    issued = token_create(user=alice, name="nightly export", expires_in_days=30)
    page = page_client(alice).get("/account/tokens/")
    assert page.status_code == 200
    assert b"nightly export" in page.content
    assert issued.secret.encode() not in page.content


def test_a_new_token_is_shown_once_and_works(alice: User) -> None:
    client = page_client(alice)
    response = client.post("/account/tokens/", {"name": "zapier", "expires_in_days": "30"})
    assert response.status_code == 201
    found = re.search(rb'data-testid="new-token">([^<]+)<', response.content)
    assert found is not None
    secret = found.group(1).decode()
    assert ApiClient(Client(), secret).get("/me").body["email"] == alice.email
    assert secret.encode() not in client.get("/account/tokens/").content
    assert ApiToken.objects.get(name="zapier").expires_at is not None


def test_a_token_without_expiry_can_be_made_on_the_page(alice: User) -> None:
    page_client(alice).post("/account/tokens/", {"name": "service", "expires_in_days": ""})
    assert ApiToken.objects.get(name="service").expires_at is None


def test_a_nameless_token_is_refused(alice: User) -> None:
    response = page_client(alice).post("/account/tokens/", {"name": "", "expires_in_days": "30"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page_stops_the_token(alice: User) -> None:
    client = api_as(alice)
    row = ApiToken.objects.get(user=alice)
    response = page_client(alice).post(f"/account/tokens/{row.public_id}/revoke/", follow=True)
    assert b"The token was revoked" in response.content
    assert client.get("/me").status_code == 401


def test_another_users_token_cannot_be_revoked_from_the_page(alice: User, charlie: User) -> None:
    theirs = api_as(charlie)
    row = ApiToken.objects.get(user=charlie)
    assert page_client(alice).post(f"/account/tokens/{row.public_id}/revoke/").status_code == 404
    assert theirs.get("/me").status_code == 200


def test_revoking_needs_a_post_with_csrf(alice: User) -> None:
    row = token_create(user=alice, name="t", expires_in_days=None).row
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(f"/account/tokens/{row.public_id}/revoke/").status_code == 405
    assert client.post(f"/account/tokens/{row.public_id}/revoke/").status_code == 403
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_token_times_read_in_the_viewers_zone(alice: User) -> None:
    """Issue 12 item 7: a viewer in New York reads the token's times in New York."""
    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])
    with clock.frozen(T0):
        token_create(user=alice, name="nightly export", expires_in_days=30)
    page = page_client(alice).get("/account/tokens/").content.decode()
    assert "Mon 2 Nov 2026, 04:00 EST" in page
    assert "Wed 2 Dec 2026, 04:00 EST" in page
    assert "2026-11-02 09:00" not in page
