"""The helpdesk workflow on the pages (issue 12 item 7): waiting on the customer, internal
notes, reassigning, the customer panel, closing with a confirm step, search and filters, and
a category and tags on the customer's new-ticket form."""

from typing import Any

import pytest

from refairn.notifications.models import Notification
from refairn.support.models import Ticket, TicketMessage
from refairn.support.tests.conftest import approved_agent, new_customer, support_track
from refairn.support.tests.pages import browser, text, ticket_for

pytestmark = pytest.mark.django_db

NOTE = "Customer is on the legacy plan: check billing before answering."


def page(ticket: Ticket, action: str = "") -> str:
    return f"/tickets/{ticket.id}/" + (f"{action}/" if action else "")


@pytest.fixture
def ticket(bobs_customer: Any, dana: Any) -> Ticket:
    return ticket_for(bobs_customer, dana)


def status_of(ticket: Ticket) -> str:
    return Ticket.objects.get(pk=ticket.pk).status


def test_the_agent_waits_on_the_customer_and_the_customer_reply_resumes(
    ticket: Ticket, certified_bob: Any, dana: Any
) -> None:
    agent = browser(certified_bob)
    assert "Wait on customer" in text(agent.get(page(ticket)))
    assert agent.post(page(ticket, "pending")).status_code == 302
    assert status_of(ticket) == "pending"
    agent_page = text(agent.get(page(ticket)))
    assert "Waiting on customer" in agent_page and "paused since" in agent_page
    assert ">Resume</button>" in agent_page
    customer_page = text(browser(dana).get(page(ticket)))
    assert "Waiting for your reply" in customer_page
    assert "paused since" not in customer_page
    browser(dana).post(page(ticket, "reply"), {"body": "Here is the screenshot."})
    assert status_of(ticket) == "open"


def test_the_customer_cannot_pause_their_ticket(ticket: Ticket, dana: Any) -> None:
    assert browser(dana).post(page(ticket, "pending")).status_code == 403
    assert status_of(ticket) == "open"


def test_internal_notes_show_to_the_support_side_only(
    ticket: Ticket, certified_bob: Any, dana: Any, alice: Any
) -> None:
    response = browser(certified_bob).post(page(ticket, "note"), {"note-body": NOTE})
    assert response.status_code == 302
    assert TicketMessage.objects.get().internal
    for reader in (certified_bob, alice):
        shown = text(browser(reader).get(page(ticket)))
        assert NOTE in shown and "Internal note" in shown
    customer_page = text(browser(dana).get(page(ticket)))
    assert "legacy plan" not in customer_page
    assert "Internal note" not in customer_page
    portal = text(browser(dana).get(f"/b/{ticket.business_id}/portal/"))
    assert "legacy plan" not in portal
    assert not Notification.objects.filter(user=dana, text__contains="legacy").exists()
    assert not Notification.objects.filter(user=dana, kind="ticket_reply").exists()


def test_a_blank_note_is_refused_on_the_field(ticket: Ticket, certified_bob: Any) -> None:
    response = browser(certified_bob).post(page(ticket, "note"), {"note-body": " "})
    assert response.status_code == 422
    assert response.context["note"].errors["body"]
    assert not TicketMessage.objects.exists()


def test_closing_asks_first(ticket: Ticket, certified_bob: Any, dana: Any) -> None:
    agent = browser(certified_bob)
    ticket_page = text(agent.get(page(ticket)))
    assert f'href="/tickets/{ticket.id}/resolve/"' in ticket_page
    confirm = agent.get(page(ticket, "resolve"))
    assert confirm.status_code == 200
    assert "Resolve this ticket?" in text(confirm)
    assert "<script>" not in text(confirm)  # the strict CSP allows no inline script
    assert status_of(ticket) == "open"
    assert browser(dana).get(page(ticket, "resolve")).status_code == 403
    assert agent.post(page(ticket, "resolve")).status_code == 302
    assert status_of(ticket) == "closed"


def test_the_customer_panel_shows_tier_tenure_and_earlier_tickets(
    bobs_customer: Any, dana: Any, certified_bob: Any, alice: Any
) -> None:
    earlier = ticket_for(bobs_customer, dana, subject="Weekly digest mail never came")
    ticket = ticket_for(bobs_customer, dana)
    panel = browser(certified_bob).get(page(ticket)).context["panel"]
    assert (panel["tier"], panel["tenure_days"]) == ("standard", 40)
    assert [t.id for t in panel["earlier_tickets"]] == [earlier.id]
    assert "Weekly digest mail never came" in text(browser(alice).get(page(ticket)))
    assert browser(dana).get(page(ticket)).context["panel"] is None


def test_a_manager_reassigns_to_an_eligible_agent_only(
    ticket: Ticket, alice: Any, erin: Any, business_a: Any, certified_bob: Any
) -> None:
    uncertified = approved_agent(business_a, "una@a.test", "Una Agent")
    owner = browser(alice)
    form = owner.get(page(ticket)).context["reassign"]
    offered = [value for value, _ in form.fields["agent_id"].choices]
    assert str(erin.id) in offered
    assert str(uncertified.id) not in offered and str(certified_bob.id) not in offered
    refused = owner.post(page(ticket, "reassign"), {"reassign-agent_id": str(uncertified.id)})
    assert refused.status_code == 422
    assert refused.context["reassign"].errors["agent_id"]
    assert (
        owner.post(page(ticket, "reassign"), {"reassign-agent_id": str(erin.id)}).status_code == 302
    )
    assert Ticket.objects.get(pk=ticket.pk).assigned_agent_id == erin.id


def test_the_agent_is_not_offered_reassignment(ticket: Ticket, certified_bob: Any) -> None:
    agent = browser(certified_bob)
    assert agent.get(page(ticket)).context["reassign"] is None
    assert agent.post(page(ticket, "reassign"), {"agent_id": "x"}).status_code == 403


def test_staff_search_and_filter_the_ticket_list(
    bobs_customer: Any, dana: Any, alice: Any, business_a: Any, certified_bob: Any
) -> None:
    export = ticket_for(bobs_customer, dana)
    invoice = ticket_for(
        new_customer(business_a, "Contoso"), alice, subject="Invoice address", body="Change it."
    )
    browser(certified_bob).post(page(export, "pending"))
    url = f"/b/{business_a.id}/tickets/"
    owner = browser(alice)
    found = owner.get(url, {"q": "contoso"})
    assert found.status_code == 200
    assert [r["ticket"].id for r in found.context["tickets"]] == [invoice.id]
    pending = owner.get(url, {"status": "pending"})
    assert [r["ticket"].id for r in pending.context["tickets"]] == [export.id]
    assert "Waiting on customer" in text(pending)
    assert owner.get(url, {"status": "nonsense"}).status_code == 422


def test_the_new_ticket_form_takes_a_category_and_tags(
    business_a: Any, dana: Any, northwind: Any, as_alice: Any
) -> None:
    url = f"/b/{business_a.id}/portal/new/"
    # Without routing rules there is no category to pick.
    assert "category" not in browser(dana).get(url).context["form"].fields
    billing = {
        "name": "Billing",
        "match": {"tags_any": ["billing", "invoice"]},
        "require": {"track_id": str(support_track(business_a).id)},
    }
    assert as_alice.put(f"/businesses/{business_a.id}/routing-rules", [billing]).status_code == 200
    form = browser(dana).get(url).context["form"]
    categories = [value for value, _ in form.fields["category"].choices]
    assert categories == ["", "billing", "invoice"]
    response = browser(dana).post(
        url,
        {
            "customer_id": str(northwind.id),
            "subject": "Invoice is wrong",
            "category": "billing",
            "tags": "Invoice, march ,",
            "body": "The March invoice counts two seats too many.",
            "priority": "P3",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Ticket.objects.get().tags == ["billing", "invoice", "march"]
    too_many = ",".join(f"t{i}" for i in range(21))
    refused = browser(dana).post(
        url,
        {"customer_id": str(northwind.id), "subject": "S", "body": "B", "tags": too_many},
    )
    assert refused.status_code == 422
    assert refused.context["form"].errors["tags"]
