"""The customer portal (their tickets, opening one) and the public agent profile (PRODUCT.md
§5–§6)."""

from typing import Any

import pytest

from refairn.programs.models import Agent
from refairn.support.models import Rating, Ticket
from refairn.support.tests.conftest import new_customer, support_track
from refairn.support.tests.pages import browser, text, ticket_for
from tests.support import T0, make_user

pytestmark = pytest.mark.django_db


def portal(business: Any) -> str:
    return f"/b/{business.id}/portal/"


def new_ticket(business: Any) -> str:
    return f"/b/{business.id}/portal/new/"


# The portal


def test_the_customer_sees_only_their_own_tickets(
    dana: Any, bobs_customer: Any, business_a: Any, alice: Any
) -> None:
    mine = ticket_for(bobs_customer, dana, subject="My export question")
    other = new_customer(business_a, "Contoso")
    ticket_for(other, alice, subject="Contoso's billing question")
    response = browser(dana).get(portal(business_a))
    assert response.status_code == 200
    assert [t.id for t in response.context["tickets"]] == [mine.id]
    page = text(response)
    assert "My export question" in page and "Contoso" not in page
    assert f'href="/b/{business_a.id}/portal/new/"' in page


def test_a_closed_unrated_ticket_invites_a_rating(
    dana: Any, bobs_customer: Any, business_a: Any
) -> None:
    ticket = ticket_for(bobs_customer, dana)
    Ticket.objects.filter(pk=ticket.pk).update(status="closed", resolved_at=T0)
    assert "rate it" in text(browser(dana).get(portal(business_a)))
    Rating.objects.create(
        business=business_a,
        ticket=ticket,
        customer=bobs_customer,
        responsiveness=5,
        product_knowledge=5,
        professionalism=5,
        overall=5,
    )
    assert "rate it" not in text(browser(dana).get(portal(business_a)))


def test_people_who_are_not_customers_have_no_portal(bob: Any, business_a: Any) -> None:
    assert browser(bob).get(portal(business_a)).status_code == 403
    assert browser(bob).get(new_ticket(business_a)).status_code == 403


def test_another_tenant_gets_404(charlie: Any, business_a: Any, business_b: Any) -> None:
    assert browser(charlie).get(portal(business_a)).status_code == 404
    assert browser(charlie).post(new_ticket(business_a), {"subject": "x"}).status_code == 404
    assert not Ticket.objects.exists()


def ticket_data(customer: Any, **changes: str) -> dict[str, str]:
    return {
        "customer_id": str(customer.id),
        "subject": "Refund please",
        "body": "I was charged for a month I did not use.",
        "priority": "P3",
        **changes,
    }


def test_the_customer_opens_a_ticket(
    dana: Any, bobs_customer: Any, business_a: Any, certified_bob: Any
) -> None:
    client = browser(dana)
    form_page = client.get(new_ticket(business_a))
    assert form_page.status_code == 200
    assert 'type="hidden" name="customer_id"' in text(form_page)  # one account: nothing to pick
    response = client.post(new_ticket(business_a), ticket_data(bobs_customer))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.id}/"
    assert (ticket.customer_id, ticket.assigned_agent_id, ticket.created_by_id) == (
        bobs_customer.id,
        certified_bob.id,
        dana.id,
    )
    assert ticket.suggested_escalation == "refund"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"subject": ""}, "subject"), ({"body": " "}, "body"), ({"priority": "P9"}, "priority")],
)
def test_a_bad_ticket_is_shown_at_its_field_and_nothing_written(
    dana: Any, northwind: Any, business_a: Any, changes: Any, field: str
) -> None:
    response = browser(dana).post(new_ticket(business_a), ticket_data(northwind, **changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_customer_cannot_open_a_ticket_for_another_customer(
    dana: Any, northwind: Any, business_a: Any
) -> None:
    other = new_customer(business_a, "Contoso")
    response = browser(dana).post(new_ticket(business_a), ticket_data(other))
    assert response.status_code == 422
    assert not Ticket.objects.exists()


# The public profile


def test_anyone_sees_an_agents_badges_partnerships_and_ratings(
    certified_bob: Any, business_a: Any, bobs_customer: Any, dana: Any
) -> None:
    for n in range(5):
        ticket = ticket_for(bobs_customer, dana, subject=f"Question {n}")
        Rating.objects.create(
            business=business_a,
            ticket=ticket,
            customer=bobs_customer,
            agent=certified_bob,
            responsiveness=5,
            product_knowledge=4,
            professionalism=5,
            overall=5 if n else 4,
        )
    support_track(business_a)
    response = browser(None).get(f"/agents/{certified_bob.id}/")
    assert response.status_code == 200
    page = text(response)
    assert "Bob Agent" in page
    assert "Support Pro" in page and "Business A" in page
    assert response.context["partners"] == ["Business A"]
    assert "Quality tier: <strong>Gold</strong>" in page
    assert "5 ratings" in page and "4.80" in page
    assert "bob@a.test" not in page


def test_an_unrated_agent_shows_no_tier(bob: Any) -> None:
    page = text(browser(None).get(f"/agents/{bob.id}/"))
    assert "Quality tier: <strong>Unrated</strong>" in page
    assert "No ratings yet." in page
    assert "Not a Certified Support Partner" in page


@pytest.mark.parametrize("agent", ["nope", "00000000-0000-0000-0000-000000000000", "pending"])
def test_no_profile_for_unknown_or_unapproved_agents(business_a: Any, agent: str) -> None:
    if agent == "pending":
        user = make_user("pat@a.test")
        Agent.objects.create(business=business_a, user=user, status="pending")
        agent = str(user.id)
    assert browser(None).get(f"/agents/{agent}/").status_code == 404
