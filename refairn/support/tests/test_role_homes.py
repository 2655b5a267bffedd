"""Role homes (issue 12 item 4): the program home of an agent shows their path and workload,
a customer's their tickets and their agent's badges and tier; creating a business is offered
from the account menu only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business, Customer
from refairn.support.models import Ticket
from refairn.support.tests.conftest import assign, certify
from refairn.training.tests.pathway import build_pathway
from tests.support import T0, make_user, set_support_access

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home(user: User, business: Business) -> str:
    response = client_for(user).get(f"/b/{business.id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_agent_sees_their_next_step_progress_and_workload(
    alice: User, bob: User, business_a: Business
) -> None:
    pathway = build_pathway(alice, business_a)
    set_support_access(bob, "requested", business=business_a)
    page = home(bob, business_a)
    assert "Your next step" in page
    assert "Continue your training in <strong>Product Fundamentals</strong>" in page
    assert f"“{pathway.video.title}”" in page
    assert "0 of 5 required modules done" in page
    assert "Certified in 0 of 1 required track." in page
    assert "0 open tickets; 0 assigned customers." in page
    assert 'id="work-queue"' not in page  # the staff's queue is not theirs


def test_a_certified_agent_sees_the_expiry_and_their_tickets(
    bob: User, business_a: Business, dana: User, northwind: Customer
) -> None:
    certify(business_a, bob, expires_in=timedelta(days=200))
    assign(northwind, bob)
    Ticket.objects.create(
        business=business_a,
        customer=northwind,
        subject="Late",
        body="…",
        assigned_agent=bob,
        first_response_due_at=T0 - timedelta(hours=1),
        resolution_due_at=T0 + timedelta(hours=20),
    )
    page = home(bob, business_a)
    expiry = (T0 + timedelta(days=200)).strftime("%-d %b %Y")
    assert "You hold every certification open to you." in page
    assert f"{expiry}: Support Fundamentals expires" in page
    assert "<strong>1 overdue</strong>; 1 assigned customer." in page
    assert "awaiting_manual_review" not in page and "not_started" not in page


def test_a_customer_sees_their_tickets_and_their_agents_badges(
    bob: User, business_a: Business, dana: User, northwind: Customer
) -> None:
    certify(business_a, bob)
    assign(northwind, bob)
    ticket = Ticket.objects.create(
        business=business_a,
        customer=northwind,
        subject="Export help",
        body="…",
        assigned_agent=bob,
        first_response_due_at=T0 + timedelta(hours=4),
        resolution_due_at=T0 + timedelta(hours=24),
    )
    page = home(dana, business_a)
    assert f'href="/tickets/{ticket.id}/"' in page
    assert f'href="/agents/{bob.id}/">Bob Agent</a>' in page
    assert "quality tier <strong>Unrated</strong>" in page
    assert '<span class="badge">Support Pro</span>' in page


def test_a_customer_without_an_agent_sees_only_their_tickets(
    business_a: Business, dana: User, northwind: Customer
) -> None:
    page = home(dana, business_a)
    assert "You have not opened any tickets yet." in page
    assert "Your support agent" not in page


def test_create_business_is_offered_from_the_account_menu_only(alice: User) -> None:
    client = client_for(make_user("newbie@x.test", "Newbie"))
    home_page = client.get("/").content.decode()
    assert 'name="name"' not in home_page  # no creation form on the home
    assert '<details class="account-menu">' in home_page
    assert 'href="/businesses/new/">Create business</a>' in home_page
    response = client.post("/businesses/new/", {"name": "Fabrikam"})
    assert response.status_code == 302
    assert Business.objects.filter(name="Fabrikam").exists()


def test_creating_a_business_without_a_name_is_refused(db: Any) -> None:
    client = client_for(make_user("newbie@x.test", "Newbie"))
    response = client.post("/businesses/new/", {"name": ""})
    assert response.status_code == 422
    assert not Business.objects.exists()
