"""Issue 12 item 1: a business gets people in from the browser alone: the agent invite link,
staff invitations by e-mail (the address needs no account yet) and customer-portal invitations.
E-mail goes through Django's mail outbox."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from refairn.accounts.models import User
from refairn.core import clock
from refairn.programs.models import Agent, Business, Customer, Invitation, StaffMembership
from tests.support import T0

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mailed_path(settings: Any, index: int = -1) -> str:
    found = re.search(r"https?://\S+", mail.outbox[index].body)
    assert found, mail.outbox[index].body
    return found.group(0).removeprefix(settings.REFAIRN_PUBLIC_URL)


def test_an_agent_applies_through_the_invite_link(
    alice: User, business_a: Business, charlie: User
) -> None:
    link = _client(alice).get(f"/b/{business_a.id}/people/").content.decode()
    path = f"/join/{business_a.join_token}/"
    assert path in link
    page = Client().get(path).content.decode()  # public: a stranger sees how to apply
    assert "Create an account to apply" in page and business_a.name in page
    response = _client(charlie).post(path)
    assert response.status_code == 302
    assert Agent.objects.get(business=business_a, user=charlie).status == "pending"
    people = _client(alice).get(f"/b/{business_a.id}/people/").content.decode()
    assert charlie.email in people  # waiting in the queue


def test_a_rotated_link_retires_the_old_one(alice: User, business_a: Business) -> None:
    old = business_a.join_token
    _client(alice).post(f"/b/{business_a.id}/people/join-link/rotate/")
    business_a.refresh_from_db()
    assert business_a.join_token != old
    assert Client().get(f"/join/{old}/").status_code == 404
    assert Client().get(f"/join/{business_a.join_token}/").status_code == 200


def test_only_owners_and_managers_open_the_people_page(
    business_a: Business, bob: User, reviewer: User, charlie: User, manager: User
) -> None:
    assert _client(manager).get(f"/b/{business_a.id}/people/").status_code == 200
    assert _client(reviewer).get(f"/b/{business_a.id}/people/").status_code == 403
    assert _client(charlie).get(f"/b/{business_a.id}/people/").status_code == 404
    assert _client(reviewer).post(f"/b/{business_a.id}/people/join-link/rotate/").status_code == 403


def test_a_staff_invitation_to_an_address_without_an_account(
    settings: Any, alice: User, business_a: Business, commits: Any
) -> None:
    owner = _client(alice)
    response = commits(
        owner.post,
        f"/b/{business_a.id}/people/",
        {"invite": "staff", "staff-email": "Rita@Example.com", "staff-role": "reviewer"},
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["rita@example.com"]]
    invitation_path = _mailed_path(settings)
    assert "rita@example.com" in owner.get(f"/b/{business_a.id}/people/").content.decode()

    rita = Client()
    page = rita.get(invitation_path).content.decode()
    assert "Create an account to accept" in page
    main = page.split("<main")[1]  # the header's Sign up leads back here too, without the address
    signup_url = re.search(r'href="(/signup/\?[^"]+)"', main).group(1).replace("&amp;", "&")
    assert "email=rita%40example.com" in signup_url
    commits(
        rita.post,
        signup_url,
        {
            "name": "Rita",
            "email": "rita@example.com",
            "password": PASSWORD,
            "next": invitation_path,
        },
    )
    accepted = rita.post(invitation_path)
    assert accepted.status_code == 302 and accepted["Location"] == f"/b/{business_a.id}/"
    user = User.objects.get(email="rita@example.com")
    assert StaffMembership.objects.filter(business=business_a, user=user, role="reviewer").exists()
    assert user.email_verified_at is not None  # the mailed token proved the address
    assert "This invitation is accepted" in rita.get(invitation_path, follow=True).content.decode()
    assert rita.post(invitation_path, follow=True).status_code == 200  # a second accept: a notice


def test_staff_invitations_are_the_owners(
    business_a: Business, manager: User, commits: Any
) -> None:
    response = commits(
        _client(manager).post,
        f"/b/{business_a.id}/people/",
        {"invite": "staff", "staff-email": "x@example.com", "staff-role": "manager"},
    )
    assert response.status_code == 403
    assert mail.outbox == []


def test_an_invitation_cannot_be_accepted_the_minute_it_expires(
    settings: Any, alice: User, business_a: Business, charlie: User, commits: Any
) -> None:
    commits(
        _client(alice).post,
        f"/b/{business_a.id}/people/",
        {"invite": "staff", "staff-email": charlie.email, "staff-role": "security"},
    )
    path = _mailed_path(settings)
    with clock.frozen(T0 + timedelta(days=14)):
        page = _client(charlie).post(path, follow=True).content.decode()
    assert "This invitation is expired" in page
    assert not StaffMembership.objects.filter(user=charlie, business=business_a).exists()
    with clock.frozen(T0 + timedelta(days=14) - timedelta(minutes=1)):
        _client(charlie).post(path)
    assert StaffMembership.objects.filter(user=charlie, role="security").exists()


def test_a_withdrawn_invitation_stops_working(
    settings: Any, alice: User, business_a: Business, charlie: User, commits: Any
) -> None:
    commits(
        _client(alice).post,
        f"/b/{business_a.id}/people/",
        {"invite": "staff", "staff-email": charlie.email, "staff-role": "manager"},
    )
    path = _mailed_path(settings)
    invitation = Invitation.objects.get()
    _client(alice).post(f"/b/{business_a.id}/people/invitations/{invitation.id}/revoke/")
    assert "This invitation is revoked" in _client(charlie).get(path).content.decode()
    _client(charlie).post(path)
    assert not StaffMembership.objects.filter(user=charlie, business=business_a).exists()


def test_another_business_cannot_withdraw_an_invitation(
    settings: Any,
    alice: User,
    business_a: Business,
    charlie: User,
    business_b: Business,
    commits: Any,
) -> None:
    commits(
        _client(alice).post,
        f"/b/{business_a.id}/people/",
        {"invite": "staff", "staff-email": "x@example.com", "staff-role": "manager"},
    )
    invitation = Invitation.objects.get()
    response = _client(charlie).post(
        f"/b/{business_b.id}/people/invitations/{invitation.id}/revoke/"
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_unknown_invitation_token_is_404() -> None:
    assert Client().get("/invitations/not-a-token/").status_code == 404


def test_a_customer_is_invited_to_the_portal(
    settings: Any, alice: User, business_a: Business, commits: Any
) -> None:
    customer = Customer.objects.create(
        business=business_a,
        name="Bakery",
        email="dana@bakery.test",
        monthly_value=Decimal("50.00"),
        subscribed_at=T0,
    )
    owner = _client(alice)
    unknown = commits(
        owner.post,
        f"/b/{business_a.id}/people/",
        {"invite": "customer", "customer-email": "nobody@bakery.test"},
    )
    assert unknown.status_code == 422
    assert "no customer of this business has this address" in unknown.content.decode()
    commits(
        owner.post,
        f"/b/{business_a.id}/people/",
        {"invite": "customer", "customer-email": "dana@bakery.test"},
    )
    path = _mailed_path(settings)
    dana = Client()
    commits(
        dana.post,
        "/signup/",
        {"name": "Dana", "email": "dana@bakery.test", "password": PASSWORD, "next": path},
    )
    dana.post(path)
    customer.refresh_from_db()
    assert customer.user == User.objects.get(email="dana@bakery.test")
    again = commits(
        owner.post,
        f"/b/{business_a.id}/people/",
        {"invite": "customer", "customer-email": "dana@bakery.test"},
    )
    assert "already uses the customer portal" in again.content.decode()


def test_sign_up_never_redirects_off_site() -> None:
    response = Client().post(
        "/signup/?next=https://evil.example/",
        {"name": "Eve", "email": "eve@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_public_program_page_lists_the_tracks_and_takes_applications(
    alice: User, business_a: Business, charlie: User, as_alice: Any
) -> None:
    made = as_alice.post(
        f"/businesses/{business_a.id}/tracks",
        {
            "name": "Product Fundamentals",
            "description": "Core features",
            "requirement": "required",
            "prerequisite_ids": [],
            "passing_score": 80,
            "recertification_months": 12,
            "security_critical": False,
            "badge": {"name": "Fundamentals", "icon": "*"},
            "assessment": {"mode": "fixed", "question_count": 5, "time_limit_minutes": 30},
        },
    )
    assert made.status_code == 201, made.body
    path = f"/programs/{business_a.slug}/"
    page = Client().get(path).content.decode()
    assert "Product Fundamentals" in page and "Create an account to apply" in page
    assert business_a.join_token not in page  # the invite link stays the admins'
    assert Client().post(f"{path}apply/").status_code == 302  # to the login page
    assert not Agent.objects.filter(business=business_a).exists()
    _client(charlie).post(f"{path}apply/")
    assert Agent.objects.get(business=business_a, user=charlie).status == "pending"
    assert Client().get("/programs/no-such-business/").status_code == 404
