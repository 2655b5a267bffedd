"""A ticket from a customer through the agent's reply, escalation, the business's resolution and
the customer's rating, ending on the agent's public profile (PRODUCT.md §6)."""

from typing import Any

import pytest

from refairn.core import clock
from refairn.programs.models import Agent
from refairn.programs.services import business_create
from refairn.support.models import Rating, Ticket, TicketMessage
from refairn.support.tests.conftest import assign, certify, new_customer
from tests.browser.conftest import DESKTOP, PHONE
from tests.support import T0, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"  # the one make_user gives every test user


def test_a_ticket_from_customer_through_escalation_to_rating(journey: Any, settings: Any) -> None:
    from playwright.sync_api import expect

    # The live server runs in another thread: the stored test clock gives both the same "now".
    settings.REFAIRN_TEST_CLOCK = True
    clock.set_test_clock(T0)
    owner = make_user("olivia@northwind.test", "Olivia Owner")
    business = business_create(user=owner, name="Northwind Support")
    agent = make_user("sam@agents.test", "Sam Agent")
    Agent.objects.create(business=business, user=agent, status="approved")
    certify(business, agent)
    customer_user = make_user("dana@contoso.test", "Dana Customer")
    assign(new_customer(business, "Contoso", user=customer_user), agent)
    page = journey.page

    def log_in(email: str) -> None:
        journey.login(email, PASSWORD)
        page.get_by_role("link", name="Northwind Support").first.click()

    def log_out() -> None:
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/login/")

    # The customer opens a ticket from their portal.
    log_in("dana@contoso.test")
    page.get_by_role("link", name="My tickets").click()
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
    page.get_by_role("link", name="Open a ticket").click()
    page.get_by_label("Subject").fill("Charged for a month I did not use")
    page.get_by_label("How can we help?").fill(
        "My card was charged for October although we paused. Can I get my money back?"
    )
    journey.shot("customer writes a ticket")
    page.get_by_role("button", name="Open ticket").click()
    expect(page.get_by_role("status")).to_contain_text("Your ticket was opened")
    expect(page.get_by_text("Your support agent: Sam Agent")).to_be_visible()
    journey.shot("ticket opened")
    ticket = Ticket.objects.get()
    assert ticket.assigned_agent_id == agent.id
    log_out()

    # The agent finds it in the workspace, with its deadline.
    log_in("sam@agents.test")
    page.get_by_role("link", name="Support", exact=True).click()
    expect(page.get_by_role("heading", name="Support", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Charged for a month I did not use")
    expect(row).to_contain_text("Contoso")
    expect(row).to_contain_text("First reply by Tue 3 Nov 2026, 09:00 UTC")
    journey.shot("agent workspace with the deadline")
    page.set_viewport_size(PHONE)
    journey.shot("agent workspace on a phone")
    page.set_viewport_size(DESKTOP)

    # A draft promising a refund is flagged as they type, and again before sending.
    row.get_by_role("link").click()
    journey.settle()
    reply = page.get_by_label("Your reply")
    reply.fill("So sorry! I will refund October to your card today.")
    warning = page.locator("#scope-warnings")
    expect(warning).to_contain_text("This reply promises a refund: escalate instead.")
    journey.shot("scope warning while typing")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("button", name="Send anyway")).to_be_visible()
    expect(page.get_by_role("link", name="Escalate instead")).to_be_visible()
    journey.settle()
    journey.shot("confirm step before sending")
    assert not TicketMessage.objects.exists()

    # Instead: an acknowledgement, then escalation with the refund category.
    page.get_by_label("Your reply").fill(
        "Thank you for telling us. I have passed this to the Northwind Support team, "
        "who will answer you here shortly."
    )
    page.get_by_role("button", name="Check reply").click()
    expect(warning).not_to_contain_text("escalate instead")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your message was sent.")
    expect(page.get_by_label("Category")).to_have_value("refund")  # suggested by the ticket
    page.get_by_label("Category").select_option(label="Refund")
    page.get_by_label("Note for the business (optional)").fill("Asks for October back.")
    journey.shot("acknowledged and about to escalate")
    page.get_by_role("button", name="Escalate", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Escalated to the business (Refund).")
    expect(page.get_by_role("link", name="Resolve ticket…")).to_have_count(0)
    journey.shot("escalated")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.escalation_category) == ("escalated", "refund")
    assert TicketMessage.objects.get().warnings == []
    log_out()

    # The business resolves it on the ticket page.
    journey.login("olivia@northwind.test", PASSWORD)
    journey.go(f"/tickets/{ticket.id}/")
    expect(page.get_by_text("Asks for October back.")).to_be_visible()
    journey.shot("owner sees the escalation")
    page.get_by_role("link", name="Resolve ticket…").click()
    expect(page.get_by_role("heading", name="Resolve this ticket?")).to_be_visible()
    journey.shot("owner confirms closing")
    page.get_by_role("button", name="Yes, resolve ticket").click()
    expect(page.get_by_role("status")).to_contain_text("Ticket resolved.")
    journey.shot("owner resolved the ticket")
    log_out()

    # The customer rates it, once.
    log_in("dana@contoso.test")
    page.get_by_role("link", name="My tickets").click()
    page.get_by_role("link", name="Charged for a month I did not use").click()
    scores = {"Responsiveness": "5", "Product knowledge": "4", "Professionalism": "5"}
    for aspect, score in {**scores, "Overall satisfaction": "5"}.items():
        page.get_by_role("group", name=aspect).get_by_label(score, exact=True).check()
    page.get_by_label("Comment (optional)").fill("Quick and honest.")
    journey.shot("customer rates the ticket")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for rating this ticket.")
    expect(page.get_by_role("button", name="Send rating")).to_have_count(0)
    journey.shot("rated")
    rating = Rating.objects.get()
    assert (rating.agent_id, rating.overall, rating.product_knowledge) == (agent.id, 5, 4)
    log_out()

    # Anyone sees the rating on the agent's public profile.
    journey.go(f"/agents/{agent.id}/")
    expect(page.get_by_role("heading", name="Sam Agent")).to_be_visible()
    expect(page.get_by_text("1 rating from customers.")).to_be_visible()
    overall = page.get_by_role("row").filter(has_text="Overall satisfaction")
    expect(overall).to_contain_text("5.00")
    expect(page.get_by_text("Quality tier: Unrated")).to_be_visible()
    expect(page.get_by_text("Northwind Support").first).to_be_visible()
    journey.shot("public profile shows the rating")
