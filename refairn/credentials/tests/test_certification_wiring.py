"""Issue 16 wired in: certification's announcements issue and revoke credentials
(``credentials.reactions``), checked through the API as a verifier outside the app would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse

from refairn.certification.tests.api_journeys import pass_assessment, track_with_questions
from refairn.core import clock
from refairn.credentials import links
from refairn.credentials.models import Credential
from refairn.credentials.tests.independent import (
    numeric_date,
    status_bit,
    unverified_payload,
    verify_with_pyjwt,
)
from refairn.programs.models import Business
from tests.support import T0, ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_clock(settings: Any, anon: ApiClient) -> Any:
    settings.REFAIRN_TEST_CLOCK = True
    token = clock._override.set(None)

    def move(to: Any) -> None:
        response = anon.put("/test-clock", {"now": to.isoformat()})
        assert response.status_code == 200, response.content

    move(T0)
    yield move
    clock._override.reset(token)


@pytest.fixture
def certified(as_alice: ApiClient, as_bob: ApiClient, bob: Any, business_a: Business) -> str:
    """Bob passes and Alice approves, through the API; returns the certification's path."""
    track_id = track_with_questions(as_alice, business_a)
    assert as_bob.post(f"/businesses/{business_a.id}/support-access/request").status_code == 201
    assert pass_assessment(as_bob, track_id)["certification_status"] == "passed"
    path = f"/businesses/{business_a.id}/agents/{bob.id}/certifications/{track_id}"
    approved = as_alice.post(f"{path}/approve")
    assert approved.status_code == 200, approved.content
    return path


def test_certifying_issues_a_credential_that_verifies_against_the_published_keys(
    as_bob: ApiClient, anon: ApiClient, business_a: Business, bob: Any, certified: str
) -> None:
    # Issued by the approval itself, not on first download.
    credential = Credential.objects.get()
    assert credential.agent_id == bob.id

    response = as_bob.get(f"{certified}/credential")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    jwks = anon.get(f"/businesses/{business_a.id}/jwks.json").body
    claims = verify_with_pyjwt(token, jwks)
    assert claims["jti"].endswith(f"/credentials/{credential.id}/")
    certification = as_bob.get(f"/businesses/{business_a.id}/certifications/me").body[0]
    assert claims["exp"] == numeric_date(certification["expires_at"])
    vc = claims.get("vc", claims)
    assert vc["credentialSubject"]["achievement"]["name"] == "Billing Basics"
    status = anon.get(f"/credentials/{credential.id}/status").body
    assert (status["valid"], status["status"]) == (True, "active")


def test_revoking_the_certification_revokes_its_credential(
    as_alice: ApiClient, anon: ApiClient, business_a: Business, certified: str
) -> None:
    credential = Credential.objects.get()
    revoked = as_alice.post(f"{certified}/revoke", {"reason": "Shared exam answers."})
    assert revoked.status_code == 200, revoked.content

    status = anon.get(f"/credentials/{credential.id}/status").body
    assert (status["valid"], status["status"]) == (False, "revoked")
    entry = unverified_payload(credential.jwt)
    entry = entry.get("vc", entry)["credentialStatus"]
    listed = anon.get(entry["statusListCredential"].split("/api/v1", 1)[1])
    assert listed.status_code == 200
    document = unverified_payload(listed.content.decode())
    encoded = document.get("vc", document)["credentialSubject"]["encodedList"]
    assert status_bit(encoded, int(entry["statusListIndex"])) is True


def test_expiry_by_the_test_clock_shows_expired(
    test_clock: Any, anon: ApiClient, as_bob: ApiClient, business_a: Business, certified: str
) -> None:
    credential = Credential.objects.get()
    test_clock(credential.valid_until - timedelta(minutes=1))
    assert anon.get(f"/credentials/{credential.id}/status").body["status"] == "active"
    test_clock(credential.valid_until + timedelta(minutes=1))
    status = anon.get(f"/credentials/{credential.id}/status").body
    assert (status["valid"], status["status"]) == (False, "expired")
    mine = as_bob.get(f"/businesses/{business_a.id}/certifications/me").body
    assert mine[0]["status"] == "expired"


def test_each_renewal_issues_a_new_credential(
    test_clock: Any,
    as_alice: ApiClient,
    as_bob: ApiClient,
    anon: ApiClient,
    business_a: Business,
    certified: str,
) -> None:
    first = Credential.objects.get()
    as_alice.patch(f"/businesses/{business_a.id}/settings", {"final_approval": "automatic"})
    test_clock(first.valid_until - timedelta(days=10))
    track_id = certified.rsplit("/", 1)[1]
    assert pass_assessment(as_bob, track_id)["certification_status"] == "certified"

    renewed = Credential.objects.exclude(pk=first.pk).get()
    assert renewed.valid_until == first.valid_until + relativedelta(months=6)
    token = as_bob.get(f"{certified}/credential").content.decode()
    assert token == renewed.jwt
    verify_with_pyjwt(token, anon.get(f"/businesses/{business_a.id}/jwks.json").body)


def test_the_agent_and_the_public_profile_link_to_the_credential(
    bob: Any, business_a: Business, certified: str
) -> None:
    credential = Credential.objects.get()
    client = Client()
    client.force_login(bob)
    track_id = certified.rsplit("/", 1)[1]
    page = client.get(reverse("certification:agent", args=[business_a.id])).content.decode()
    for link in (
        reverse("credentials:download", args=[business_a.id, track_id, "jwt"]),
        reverse("credentials:download", args=[business_a.id, track_id, "json"]),
        reverse("credentials:agent", args=[business_a.id, track_id]),
    ):
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200

    profile = Client().get(reverse("support:profile", args=[bob.id])).content.decode()
    assert f'href="{links.credential_page(credential.id)}"' in profile
