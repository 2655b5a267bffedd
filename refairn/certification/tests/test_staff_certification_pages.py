"""The business's page of one agent's certification and the decisions on it (PRODUCT.md §4–§5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client

from refairn.accounts.models import User
from refairn.certification import domain
from refairn.certification.models import Certification
from refairn.certification.tests.journeys import (
    begin,
    cert,
    certify,
    make_track,
    submit,
    to_passed,
)
from refairn.core import clock
from refairn.programs.models import Business
from refairn.training.models import Track

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(alice: User, business_a: Business) -> Client:
    return client_for(alice)


def cert_url(track: Track, agent: User, rest: str = "") -> str:
    return f"/b/{track.business_id}/agents/{agent.id}/certifications/{track.id}/{rest}"


def test_approving_a_pass(owner: Client, bob: User, track: Track) -> None:
    to_passed(track, bob)
    page = owner.get(cert_url(track, bob))
    assert page.status_code == 200
    assert list(page.context["forms"]) == ["approve", "decline", "revoke", "grant"]
    assert owner.post(cert_url(track, bob, "approve/")).status_code == 302
    assert cert(track, bob).status == domain.Status.CERTIFIED
    history = owner.get(cert_url(track, bob)).context["history"]
    assert history[-1]["by_name"] == "Alice Owner"


def test_declining_needs_a_reason(owner: Client, bob: User, track: Track) -> None:
    to_passed(track, bob)
    response = owner.post(cert_url(track, bob, "decline/"), {"decline-reason": ""})
    assert response.status_code == 422
    assert "required" in response.context["forms"]["decline"].errors["reason"][0]
    assert cert(track, bob).status == domain.Status.PASSED
    owner.post(cert_url(track, bob, "decline/"), {"decline-reason": "Wrong refund answer."})
    assert cert(track, bob).status == domain.Status.FAILED


def test_revoking_with_a_reason(owner: Client, alice: User, bob: User, track: Track) -> None:
    certify(track, bob, alice)
    owner.post(cert_url(track, bob, "revoke/"), {"revoke-reason": "Shared answers."})
    certification = cert(track, bob)
    assert certification.status == domain.Status.REVOKED
    assert certification.events.last().reason == "Shared answers."  # type: ignore[union-attr]


def test_an_illegal_decision_is_a_409_form_error(owner: Client, bob: User, track: Track) -> None:
    response = owner.post(cert_url(track, bob, "approve/"))
    assert response.status_code == 409
    assert response.context["forms"]["approve"].non_field_errors()
    assert not Certification.objects.filter(track=track, agent=bob).exists()


def test_a_reviewer_approves_but_may_not_revoke(
    reviewer: User, alice: User, bob: User, track: Track
) -> None:
    to_passed(track, bob)
    client = client_for(reviewer)
    assert list(client.get(cert_url(track, bob)).context["forms"]) == ["approve", "decline"]
    response = client.post(cert_url(track, bob, "revoke/"), {"revoke-reason": "x"})
    assert response.status_code == 403
    assert cert(track, bob).status == domain.Status.PASSED


def test_granting_attempts(owner: Client, bob: User, track: Track) -> None:
    response = owner.post(cert_url(track, bob, "grant/"), {"grant-count": "0"})
    assert response.status_code == 422
    assert not Certification.objects.filter(track=track, agent=bob).exists()
    owner.post(cert_url(track, bob, "grant/"), {"grant-count": "2", "grant-reason": "Ill"})
    assert cert(track, bob).granted_attempts == 2


def test_a_certification_of_another_business_is_not_found(
    owner: Client, business_a: Business, bob: User, charlie: User, business_b: Business
) -> None:
    theirs = make_track(business_b, charlie, name="Theirs")
    url = f"/b/{business_a.id}/agents/{bob.id}/certifications/{theirs.id}/"
    assert owner.get(url).status_code == 404
    assert owner.post(url + "grant/", {"grant-count": "1"}).status_code == 404


def test_a_passed_renewal_waiting_for_approval_is_approved_on_the_page(
    owner: Client, alice: User, bob: User, track: Track
) -> None:
    # Issue 11 item 3: manual final approval; the renewal waits, the certification stays valid.
    certify(track, bob, alice)
    expires = cert(track, bob).expires_at
    assert expires is not None
    with clock.frozen(expires - timedelta(days=10)):
        submit(begin(track, bob.id), earned=100)
        page = owner.get(cert_url(track, bob))
        assert list(page.context["forms"]) == ["approve", "decline", "revoke", "grant"]
        assert "waits for your approval" in page.content.decode()
        assert owner.post(cert_url(track, bob, "approve/")).status_code == 302
    renewed = cert(track, bob)
    assert (renewed.status, renewed.renewal_passed_at) == (domain.Status.CERTIFIED, None)
    assert renewed.expires_at == expires + relativedelta(months=12)
