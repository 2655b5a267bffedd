"""A pending ticket pauses its SLA (issue 12 item 7): the agent asks the customer for more and
waits on them; days pass on the test clock with no overdue flag; the customer's reply resumes
the ticket with its resolution deadline moved by the wait. Screenshots at 1366×900 and
390×844; the accessibility checks pass on every page of the journey."""

from datetime import timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.programs.models import Agent
from refairn.programs.services import business_create
from refairn.support.models import OverdueFlag, Ticket
from refairn.support.services import overdue_flags_raise
from refairn.support.tests.conftest import assign, certify, new_customer
from refairn.support.tests.pages import ticket_for
from tests.browser.conftest import JOURNEY_DESKTOP as DESKTOP
from tests.browser.conftest import JOURNEY_PHONE as PHONE
from tests.browser.test_accessibility import problems_on
from tests.support import T0, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"  # the one make_user gives every test user


def test_a_pending_ticket_pauses_its_sla(journey: Any, settings: Any) -> None:
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
    customer = new_customer(business, "Contoso", user=customer_user)
    assign(customer, agent)
    ticket = ticket_for(customer, customer_user, subject="Export misses last week's rows")
    page = journey.page
    page.set_viewport_size(DESKTOP)
    checked: dict[str, list[str]] = {}

    def check(label: str, path: str) -> None:
        page.set_viewport_size(PHONE)
        if problems := problems_on(journey, label, path):
            checked[label] = problems
        page.set_viewport_size(DESKTOP)

    def log_out() -> None:
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/login/")

    # The agent asks for the export settings and waits on the customer.
    journey.login("sam@agents.test", PASSWORD)
    journey.go(f"/tickets/{ticket.id}/")
    page.get_by_label("Your reply").fill("Which date range did you pick in the export dialog?")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your message was sent.")
    clock.set_test_clock(T0 + timedelta(hours=1))
    page.get_by_role("button", name="Wait on customer").click()
    expect(page.get_by_role("status")).to_contain_text("the SLA clock is paused")
    expect(page.get_by_text("Waiting on customer", exact=True)).to_be_visible()
    expect(page.get_by_text("paused since Mon 2 Nov 2026, 10:00 UTC")).to_be_visible()
    journey.both_sizes("agent waits on the customer")
    check("pending ticket for its agent", f"/tickets/{ticket.id}/")

    # Four days pass: the resolution deadline (Thu 5 Nov) goes by on the wall clock, but the
    # sweep flags nothing and the ticket is not overdue.
    clock.set_test_clock(T0 + timedelta(days=4, hours=1))
    overdue_flags_raise()
    assert not OverdueFlag.objects.exists()
    page.get_by_role("link", name="Support", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Export misses last week's rows")
    expect(row).to_contain_text("Waiting on customer")
    expect(row).to_contain_text("Paused while waiting on the customer")
    expect(page.get_by_text("Overdue", exact=True)).to_have_count(0)
    journey.both_sizes("workspace four days later, nothing overdue")
    check("agent workspace with a pending ticket", f"/b/{business.id}/support/")
    log_out()

    # The customer replies; the ticket is open again, its deadline moved by the 96 h wait.
    journey.login("dana@contoso.test", PASSWORD)
    journey.go(f"/tickets/{ticket.id}/")
    expect(page.get_by_text("Waiting for your reply", exact=True)).to_be_visible()
    journey.both_sizes("customer sees the ticket waits for them")
    check("pending ticket for its customer", f"/tickets/{ticket.id}/")
    page.get_by_label("Your reply").fill("Last 7 days, but it stops at Friday.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your message was sent.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.paused_at) == ("open", None)
    assert ticket.resolution_due_at == T0 + timedelta(hours=72 + 96)
    log_out()

    journey.login("sam@agents.test", PASSWORD)
    journey.go(f"/b/{business.id}/support/")
    row = page.get_by_role("row").filter(has_text="Export misses last week's rows")
    expect(row).to_contain_text("Resolve by Mon 9 Nov 2026, 09:00 UTC")
    journey.both_sizes("resumed with the deadline moved")
    row.get_by_role("link").click()
    page.get_by_role("link", name="Resolve ticket…").click()
    expect(page.get_by_role("heading", name="Resolve this ticket?")).to_be_visible()
    journey.both_sizes("confirm before closing")
    check("confirm before closing", f"/tickets/{ticket.id}/resolve/")
    assert Ticket.objects.get(pk=ticket.pk).status == "open"
    report = "\n".join(f"{label}: {problems}" for label, problems in checked.items())
    assert not checked, report
