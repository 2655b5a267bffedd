"""The business's support pages: customers, assignment and the ticket list (PRODUCT.md §6)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from refairn.accounts.models import User
from refairn.programs.models import Business, Customer
from refairn.support.models import Assignment, OverdueFlag
from refairn.support.tests.conftest import approved_agent, assign, new_customer, open_ticket
from tests.support import ApiClient

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(alice: User, business_a: Business) -> Client:
    return client_for(alice)


def customers_url(business: Business) -> str:
    return f"/b/{business.id}/customers/"


def customer_url(customer: Customer, rest: str = "") -> str:
    return f"/b/{customer.business_id}/customers/{customer.id}/{rest}"


# -- customers ------------------------------------------------------------------------------


def test_the_customer_list_shows_each_support_agent(
    owner: Client, business_a: Business, bobs_customer: Customer
) -> None:
    new_customer(business_a, "Contoso")
    response = owner.get(customers_url(business_a))
    assert response.status_code == 200
    rows = {r["customer"].name: r["assignment"] for r in response.context["customers"]}
    assert rows["Northwind"].agent.name == "Bob Agent"
    assert rows["Contoso"] is None


def test_adding_a_customer(owner: Client, business_a: Business, bob: User) -> None:
    data = {
        "name": "Fabrikam",
        "email": "ops@fabrikam.test",
        "tier": "premium",
        "monthly_value": "250.00",
        "referred_by": str(bob.id),
        "subscribed_at": "2026-10-01",
    }
    response = owner.post(customers_url(business_a), data)
    customer = Customer.objects.get(name="Fabrikam")
    assert response.status_code == 302
    assert (customer.tier, customer.monthly_value, customer.referred_by) == (
        "premium",
        Decimal("250.00"),
        bob,
    )
    assert customer.subscribed_at.isoformat() == "2026-10-01T00:00:00+00:00"


def test_a_future_subscription_date_is_refused_at_its_field(
    owner: Client, business_a: Business
) -> None:
    data = {
        "name": "Later",
        "tier": "standard",
        "monthly_value": "10",
        "subscribed_at": "2027-01-01",
    }
    response = owner.post(customers_url(business_a), data)
    assert response.status_code == 422
    assert "future" in response.context["form"].errors["subscribed_at"][0]
    assert not Customer.objects.exists()


def test_agents_and_other_tenants_cannot_see_customers(
    bob: User, charlie: User, business_a: Business, business_b: Business
) -> None:
    assert client_for(bob).get(customers_url(business_a)).status_code == 403
    assert client_for(charlie).get(customers_url(business_a)).status_code == 404
    response = client_for(charlie).post(
        customers_url(business_a), {"name": "X", "tier": "standard", "monthly_value": "1"}
    )
    assert response.status_code == 404
    assert not Customer.objects.exists()


def test_the_customer_page_lists_eligible_agents_first(
    owner: Client, northwind: Customer, certified_bob: User, business_a: Business
) -> None:
    approved_agent(business_a, "nina@a.test", "Nina New")
    response = owner.get(customer_url(northwind))
    assert response.status_code == 200
    choices = response.context["assign_form"].fields["agent_id"].choices
    eligible, ineligible = choices[1][1], choices[2][1]
    assert eligible == [(str(certified_bob.id), "Bob Agent")]
    assert "not certified" in ineligible[0][1]


def test_assigning_and_unassigning(owner: Client, northwind: Customer, certified_bob: User) -> None:
    response = owner.post(customer_url(northwind, "assign/"), {"agent_id": str(certified_bob.id)})
    assert response.status_code == 302
    assert Assignment.objects.get(customer=northwind, ended_at__isnull=True).agent == certified_bob
    owner.post(customer_url(northwind, "unassign/"))
    assert not Assignment.objects.filter(customer=northwind, ended_at__isnull=True).exists()
    history = owner.get(customer_url(northwind)).context["history"]
    assert history[0].end_reason == "unassigned"


def test_an_ineligible_agent_is_refused_with_the_reason(
    owner: Client, northwind: Customer, business_a: Business
) -> None:
    nina = approved_agent(business_a, "nina@a.test", "Nina New")
    response = owner.post(customer_url(northwind, "assign/"), {"agent_id": str(nina.id)})
    assert response.status_code == 409
    message = response.context["assign_form"].errors["agent_id"][0]
    assert "cannot be assigned new customers" in message
    assert "support access is not active" in message
    assert not Assignment.objects.exists()


def test_a_reviewer_may_not_assign(
    reviewer: User, northwind: Customer, certified_bob: User
) -> None:
    response = client_for(reviewer).post(
        customer_url(northwind, "assign/"), {"agent_id": str(certified_bob.id)}
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_a_customer_of_another_business_is_not_found(
    owner: Client, business_a: Business, business_b: Business
) -> None:
    theirs = new_customer(business_b, "Theirs")
    assert owner.get(f"/b/{business_a.id}/customers/{theirs.id}/").status_code == 404
    response = owner.post(f"/b/{business_a.id}/customers/{theirs.id}/cancel/", {})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.cancelled_at is None


def test_cancelling_a_subscription(owner: Client, northwind: Customer) -> None:
    response = owner.post(customer_url(northwind, "cancel/"), {"at": ""})
    assert response.status_code == 302
    northwind.refresh_from_db()
    assert northwind.cancelled_at is not None


def test_a_cancellation_before_the_subscription_is_refused(
    owner: Client, northwind: Customer
) -> None:
    response = owner.post(customer_url(northwind, "cancel/"), {"at": "2020-01-01"})
    assert response.status_code == 422
    assert "before the subscription" in response.context["cancel_form"].errors["at"][0]
    northwind.refresh_from_db()
    assert northwind.cancelled_at is None


# -- tickets --------------------------------------------------------------------------------


@pytest.fixture
def tickets(as_alice: ApiClient, bobs_customer: Customer, business_a: Business) -> dict[str, Any]:
    plain = open_ticket(as_alice, bobs_customer, subject="Export question")
    late = open_ticket(as_alice, bobs_customer, subject="Late answer")
    contoso = new_customer(business_a, "Contoso")
    escalated = open_ticket(as_alice, contoso, subject="Refund please")
    OverdueFlag.objects.create(
        business=business_a,
        ticket_id=late["id"],
        agent_id=late["assigned_agent_id"],
        kind="first_response",
        at=late["first_response_due_at"],
    )
    as_alice.post(f"/tickets/{escalated['id']}/escalate", {"category": "refund", "note": "x"})
    return {"plain": plain, "late": late, "escalated": escalated}


def subjects(response: Any) -> list[str]:
    return [row["ticket"].subject for row in response.context["tickets"]]


def test_the_ticket_list_and_its_views(owner: Client, business_a: Business, tickets: Any) -> None:
    url = f"/b/{business_a.id}/tickets/"
    everything = owner.get(url)
    assert everything.status_code == 200
    assert sorted(subjects(everything)) == ["Export question", "Late answer", "Refund please"]
    overdue = owner.get(url, {"overdue": "yes"})
    assert subjects(overdue) == ["Late answer"]
    assert overdue.context["active_view"] == "overdue"
    assert 'class="overdue"' in overdue.content.decode()
    assert subjects(owner.get(url, {"status": "escalated"})) == ["Refund please"]


def test_filtering_tickets_by_agent(
    owner: Client, business_a: Business, tickets: Any, certified_bob: User
) -> None:
    url = f"/b/{business_a.id}/tickets/"
    nina = approved_agent(business_a, "nina@a.test", "Nina New")
    assert len(subjects(owner.get(url, {"agent_id": str(certified_bob.id)}))) == 3
    assert subjects(owner.get(url, {"agent_id": str(nina.id)})) == []


def test_a_bad_filter_is_shown_as_a_form_error(
    owner: Client, business_a: Business, tickets: Any
) -> None:
    response = owner.get(f"/b/{business_a.id}/tickets/", {"status": "lost"})
    assert response.status_code == 422
    assert "status" in response.context["form"].errors
    broken = owner.get(f"/b/{business_a.id}/tickets/", {"cursor": "%%%"})
    assert broken.status_code == 422


def test_agents_and_other_tenants_cannot_list_tickets(
    bob: User, charlie: User, business_a: Business, business_b: Business
) -> None:
    assert client_for(bob).get(f"/b/{business_a.id}/tickets/").status_code == 403
    assert client_for(charlie).get(f"/b/{business_a.id}/tickets/").status_code == 404


def test_the_assignment_is_kept_when_the_page_is_only_read(
    owner: Client, northwind: Customer, certified_bob: User
) -> None:
    assign(northwind, certified_bob)
    owner.get(customer_url(northwind))
    assert Assignment.objects.filter(ended_at__isnull=True).count() == 1


def test_the_lists_cost_the_same_queries_for_more_rows(
    owner: Client,
    as_alice: ApiClient,
    business_a: Business,
    certified_bob: User,
    django_assert_max_num_queries: Any,
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            customer = new_customer(business_a, f"Customer {Customer.objects.count()}")
            assign(customer, certified_bob)
            open_ticket(as_alice, customer)

    add(2)
    pages = (customers_url(business_a), f"/b/{business_a.id}/tickets/")
    counts = []
    for page in pages:
        with CaptureQueriesContext(connection) as few:
            owner.get(page)
        counts.append(len(few.captured_queries))
    add(5)
    for page, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            owner.get(page)


def _columns(html: str) -> dict[str, bool]:
    """Each header of the page's first table: whether it hides on a phone."""
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return {
        name: "col-optional" in attrs
        for attrs, name in re.findall(r'<th scope="col"([^>]*)>([^<]+)<', head)
    }


def test_on_a_phone_the_ticket_list_keeps_its_key_columns(
    owner: Client, business_a: Business, tickets: Any
) -> None:
    """Issue 12 item 11: under 40rem the secondary columns hide; the subject (the link to act
    on), the status and both deadlines stay, in every row as in the header."""
    html = owner.get(f"/b/{business_a.id}/tickets/").content.decode()
    assert _columns(html) == {
        "Subject": False,
        "Customer": True,
        "Status": False,
        "Priority": True,
        "Agent": True,
        "Submitted": True,
        "First response due": False,
        "Resolution due": False,
    }
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count('<td class="col-optional">') == 4 * 3
    css = Path(finders.find("refairn/site.css")).read_text()
    assert "@media (max-width: 40rem) { .col-optional { display: none; } }" in css
