"""Issue 12 item 1 over the API: the invite link and invitations by e-mail, with their roles,
tenancy and the minute an invitation expires."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from refairn.accounts.models import User
from refairn.core import clock
from refairn.programs.models import Business, Customer, StaffMembership
from tests.support import T0, ApiClient, api_as, assert_problem

pytestmark = pytest.mark.django_db


def _token() -> str:
    found = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_the_join_link_is_for_admins_and_rotates(
    as_alice: ApiClient, as_bob: ApiClient, as_charlie: ApiClient, business_a: Business
) -> None:
    first = as_alice.get(f"/businesses/{business_a.id}/join-link")
    assert first.status_code == 200 and business_a.join_token in first.body["url"]
    rotated = as_alice.post(f"/businesses/{business_a.id}/join-link/rotate")
    assert rotated.body["url"] != first.body["url"]
    assert_problem(as_bob.get(f"/businesses/{business_a.id}/join-link"), 403, "forbidden")
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/join-link"), 404, "not_found")


def test_a_staff_invitation_is_accepted_by_token(
    as_alice: ApiClient, as_charlie: ApiClient, charlie: User, business_a: Business, commits: Any
) -> None:
    made = commits(
        as_alice.post,
        f"/businesses/{business_a.id}/invitations",
        {"email": charlie.email, "role": "manager"},
    )
    assert made.status_code == 201 and made.body["state"] == "pending"
    assert [i["id"] for i in as_alice.get(f"/businesses/{business_a.id}/invitations").body] == [
        made.body["id"]
    ]
    token = _token()
    accepted = as_charlie.post("/invitations/accept", {"token": token})
    assert accepted.body == {"business_id": str(business_a.id), "role": "manager"}
    assert StaffMembership.objects.filter(
        user=charlie, business=business_a, role="manager"
    ).exists()
    assert_problem(
        as_charlie.post("/invitations/accept", {"token": token}), 409, "invitation_closed"
    )
    assert as_alice.get(f"/businesses/{business_a.id}/invitations").body == []


def test_roles_and_tenancy_of_invitations(
    as_alice: ApiClient, as_charlie: ApiClient, business_a: Business, manager: User, commits: Any
) -> None:
    as_manager = api_as(manager)
    made = commits(
        as_alice.post,
        f"/businesses/{business_a.id}/invitations",
        {"email": "x@example.com", "role": "reviewer"},
    )
    assert_problem(
        as_charlie.delete(f"/businesses/{business_a.id}/invitations/{made.body['id']}"),
        404,
        "not_found",
    )
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/invitations"), 404, "not_found")
    assert_problem(
        as_manager.post(
            f"/businesses/{business_a.id}/invitations",
            {"email": "y@example.com", "role": "manager"},
        ),
        403,
        "forbidden",
    )
    assert (
        as_alice.delete(f"/businesses/{business_a.id}/invitations/{made.body['id']}").status_code
        == 204
    )
    assert_problem(
        as_alice.delete(f"/businesses/{business_a.id}/invitations/{made.body['id']}"),
        409,
        "invitation_closed",
    )


def test_an_invitation_expires_at_its_minute(
    as_alice: ApiClient, as_charlie: ApiClient, charlie: User, business_a: Business, commits: Any
) -> None:
    commits(
        as_alice.post,
        f"/businesses/{business_a.id}/invitations",
        {"email": charlie.email, "role": "security"},
    )
    with clock.frozen(T0 + timedelta(days=14)):
        assert_problem(
            as_charlie.post("/invitations/accept", {"token": _token()}), 409, "invitation_closed"
        )


def test_bad_invitations_are_clear_errors(
    as_alice: ApiClient, as_charlie: ApiClient, business_a: Business, alice: User
) -> None:
    assert_problem(
        as_alice.post(
            f"/businesses/{business_a.id}/invitations", {"email": "z@example.com", "role": "owner"}
        ),
        422,
        "validation_error",
    )
    assert_problem(
        as_alice.post(
            f"/businesses/{business_a.id}/invitations",
            {"email": "nobody@example.com", "role": "customer"},
        ),
        422,
        "validation_error",
    )
    assert_problem(as_charlie.post("/invitations/accept", {"token": "nope"}), 404, "not_found")
    assert_problem(as_charlie.post("/invitations/accept", {"token": ""}), 422, "validation_error")


def test_a_customer_invitation_links_the_record(
    as_alice: ApiClient, business_a: Business, commits: Any, anon: ApiClient
) -> None:
    customer = Customer.objects.create(
        business=business_a,
        name="Bakery",
        email="dana@bakery.test",
        monthly_value=Decimal("50.00"),
        subscribed_at=T0,
    )
    commits(
        as_alice.post,
        f"/businesses/{business_a.id}/invitations",
        {"email": "dana@bakery.test", "role": "customer"},
    )
    token = _token()
    signed = commits(
        anon.post,
        "/auth/signup",
        {"email": "dana@bakery.test", "password": "correct horse battery", "name": "Dana"},
    )
    dana = ApiClient(anon.client, token=signed.body["token"])
    assert dana.post("/invitations/accept", {"token": token}).body["role"] == "customer"
    customer.refresh_from_db()
    assert customer.user is not None and customer.user.email == "dana@bakery.test"
    assert customer.user.email_verified_at is not None
