"""A ticket's page for its customer, its agent and staff: the conversation, the agent's scope
check with its confirm step, escalation, resolution, reopening and the rating (PRODUCT.md §6)."""

from typing import Any

import pytest
from django.utils.html import escape

from refairn.support.models import EscalationExample, Rating, Ticket, TicketMessage
from refairn.support.tests.conftest import staff
from refairn.support.tests.pages import browser, text, ticket_for
from tests.support import make_user

pytestmark = pytest.mark.django_db

REFUND = "Sure, I will refund your last invoice today."
SCORES = {"responsiveness": "5", "product_knowledge": "4", "professionalism": "5", "overall": "4"}


def page(ticket: Ticket, action: str = "") -> str:
    return f"/tickets/{ticket.id}/" + (f"{action}/" if action else "")


@pytest.fixture
def ticket(bobs_customer: Any, dana: Any) -> Ticket:
    return ticket_for(bobs_customer, dana)


def status_of(ticket: Ticket) -> str:
    return Ticket.objects.get(pk=ticket.pk).status


def close(ticket: Ticket, certified_bob: Any) -> None:
    assert browser(certified_bob).post(page(ticket, "resolve")).status_code == 302
    assert status_of(ticket) == "closed"


# Who sees what


def test_the_customer_sees_the_conversation_and_their_agent(
    ticket: Ticket, dana: Any, certified_bob: Any
) -> None:
    response = browser(dana).get(page(ticket))
    assert response.status_code == 200
    page_text = text(response)
    assert "I cannot find the export button" in page_text
    assert f'href="/agents/{certified_bob.id}/"' in page_text
    assert response.context["party"] == "customer"
    assert not response.context["can_escalate"] and not response.context["can_resolve"]
    assert "First response" not in page_text  # the SLA is the support side's business
    assert 'id="scope-warnings"' not in page_text


def test_the_agent_sees_the_deadlines_and_the_scope_check(
    ticket: Ticket, certified_bob: Any
) -> None:
    response = browser(certified_bob).get(page(ticket))
    assert response.status_code == 200
    page_text = text(response)
    assert "due by <time" in page_text and "Tue 3 Nov 2026, 09:00 UTC" in page_text
    assert f'hx-post="/tickets/{ticket.id}/check/"' in page_text
    assert response.context["can_escalate"] and response.context["can_resolve"]


def test_staff_see_the_routing(ticket: Ticket, alice: Any) -> None:
    response = browser(alice).get(page(ticket))
    assert response.status_code == 200
    assert response.context["party"] == "staff"
    page_text = text(response)
    assert "Bob Agent" in page_text
    reason = Ticket.objects.get(pk=ticket.pk).routing["reason"]
    assert reason and f"<dt>Routing</dt><dd>{escape(reason)}" in page_text


def test_the_agent_and_the_customer_do_not_see_the_routing(
    ticket: Ticket, dana: Any, certified_bob: Any
) -> None:
    for user in (dana, certified_bob):
        assert "<dt>Routing</dt>" not in text(browser(user).get(page(ticket)))


@pytest.mark.parametrize("who", ["charlie", "erin", "stranger"])
def test_anyone_else_gets_404(ticket: Ticket, who: str, request: Any, business_b: Any) -> None:
    user = make_user("x@x.test") if who == "stranger" else request.getfixturevalue(who)
    assert browser(user).get(page(ticket)).status_code == 404


@pytest.mark.parametrize("ticket_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_ticket_is_404(dana: Any, northwind: Any, ticket_id: str) -> None:
    assert browser(dana).get(f"/tickets/{ticket_id}/").status_code == 404


# The agent's reply and its scope check


def test_the_check_warns_about_a_refund_as_the_agent_types(
    ticket: Ticket, certified_bob: Any
) -> None:
    response = browser(certified_bob).post(page(ticket, "check"), {"body": REFUND})
    assert response.status_code == 200
    assert "This reply promises a refund: escalate instead." in text(response)
    calm = browser(certified_bob).post(page(ticket, "check"), {"body": "Click Export."})
    assert "escalate instead" not in text(calm)
    assert not TicketMessage.objects.exists()


def test_only_the_agent_checks_a_draft(ticket: Ticket, dana: Any) -> None:
    assert browser(dana).post(page(ticket, "check"), {"body": REFUND}).status_code == 403


def test_a_reply_touching_a_must_escalate_topic_waits_for_confirmation(
    ticket: Ticket, certified_bob: Any
) -> None:
    client = browser(certified_bob)
    response = client.post(page(ticket, "reply"), {"body": REFUND})
    assert response.status_code == 200
    page_text = text(response)
    assert "This reply promises a refund: escalate instead." in page_text
    assert 'name="acknowledged" value="refund"' in page_text
    assert response.context["escalate"].initial["category"] == "refund"
    assert not TicketMessage.objects.exists()

    sent = client.post(page(ticket, "reply"), {"body": REFUND, "acknowledged": "refund"})
    assert sent.status_code == 302
    message = TicketMessage.objects.get()
    assert message.warnings == [
        {"category": "refund", "reason": "mentions 'refund'", "confidence": 1.0}
    ]


def test_a_confirmation_covers_only_the_warnings_it_saw(ticket: Ticket, certified_bob: Any) -> None:
    body = REFUND + " I also reset your password."
    response = browser(certified_bob).post(
        page(ticket, "reply"), {"body": body, "acknowledged": "refund"}
    )
    assert response.status_code == 200
    assert "This reply touches account security" in text(response)
    assert not TicketMessage.objects.exists()


def test_a_plain_reply_is_sent_and_answers_the_ticket(ticket: Ticket, certified_bob: Any) -> None:
    response = browser(certified_bob).post(page(ticket, "reply"), {"body": "Click Export."})
    assert response.status_code == 302 and response["Location"] == page(ticket)
    assert TicketMessage.objects.get().party == "agent"
    assert Ticket.objects.get(pk=ticket.pk).first_responded_at is not None


def test_an_empty_reply_is_refused_at_the_field(ticket: Ticket, dana: Any) -> None:
    response = browser(dana).post(page(ticket, "reply"), {"body": "  "})
    assert response.status_code == 422
    assert "body" in response.context["reply"].errors
    assert not TicketMessage.objects.exists()


def test_the_customer_replies_without_a_check(ticket: Ticket, dana: Any) -> None:
    response = browser(dana).post(page(ticket, "reply"), {"body": "I want a refund."})
    assert response.status_code == 302
    assert TicketMessage.objects.get().warnings == []


def test_another_tenant_cannot_reply(ticket: Ticket, charlie: Any, business_b: Any) -> None:
    assert browser(charlie).post(page(ticket, "reply"), {"body": "Hi"}).status_code == 404
    assert not TicketMessage.objects.exists()


# Escalation, resolution, reopening


def test_the_agent_escalates_with_a_category(ticket: Ticket, certified_bob: Any) -> None:
    response = browser(certified_bob).post(
        page(ticket, "escalate"), {"category": "refund", "note": "Wants a refund"}
    )
    assert response.status_code == 302
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.status, saved.escalation_category, saved.escalation_note) == (
        "escalated",
        "refund",
        "Wants a refund",
    )
    after = browser(certified_bob).get(page(ticket))
    assert not after.context["can_resolve"]  # escalated: the business resolves it


def test_escalating_without_a_category_is_refused(ticket: Ticket, certified_bob: Any) -> None:
    response = browser(certified_bob).post(page(ticket, "escalate"), {"category": ""})
    assert response.status_code == 422
    assert "category" in response.context["escalate"].errors
    assert status_of(ticket) == "open"


def test_the_customer_cannot_escalate_or_resolve(ticket: Ticket, dana: Any) -> None:
    client = browser(dana)
    assert client.post(page(ticket, "escalate"), {"category": "refund"}).status_code == 403
    assert client.post(page(ticket, "resolve")).status_code == 403
    assert status_of(ticket) == "open"


def test_staff_resolve_an_escalated_ticket(
    ticket: Ticket, certified_bob: Any, business_a: Any
) -> None:
    browser(certified_bob).post(page(ticket, "escalate"), {"category": "refund"})
    assert browser(certified_bob).post(page(ticket, "resolve")).status_code == 403
    manager = staff(business_a, "mia@a.test", "manager")
    assert browser(manager).post(page(ticket, "resolve")).status_code == 302
    assert status_of(ticket) == "closed"


def test_resolving_twice_says_why(ticket: Ticket, certified_bob: Any) -> None:
    close(ticket, certified_bob)
    response = browser(certified_bob).post(page(ticket, "resolve"), follow=True)
    assert "cannot resolve a ticket that is closed" in text(response)


def test_the_customer_reopens_a_closed_ticket(
    ticket: Ticket, dana: Any, certified_bob: Any
) -> None:
    close(ticket, certified_bob)
    assert browser(dana).get(page(ticket)).context["can_reopen"]
    assert browser(certified_bob).post(page(ticket, "reopen")).status_code == 403
    assert browser(dana).post(page(ticket, "reopen")).status_code == 302
    assert status_of(ticket) == "open"


# Rating


def test_the_customer_rates_a_closed_ticket_once(
    ticket: Ticket, dana: Any, certified_bob: Any
) -> None:
    close(ticket, certified_bob)
    client = browser(dana)
    form_page = client.get(page(ticket))
    assert form_page.context["rating"] is not None
    assert text(form_page).count('type="radio"') == 20
    response = client.post(page(ticket, "rate"), {**SCORES, "comment": "Quick and kind"})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.agent_id, rating.overall, rating.comment) == (
        certified_bob.id,
        4,
        "Quick and kind",
    )
    after = client.get(page(ticket))
    assert after.context["rating"] is None
    assert "You rated this ticket" in text(after)
    again = client.post(page(ticket, "rate"), SCORES)
    assert again.status_code == 422
    assert "already been rated" in text(again)
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"overall": ""}, "overall"), ({"responsiveness": "6"}, "responsiveness")],
)
def test_a_bad_rating_is_shown_at_its_field(
    ticket: Ticket, dana: Any, certified_bob: Any, changes: Any, field: str
) -> None:
    close(ticket, certified_bob)
    response = browser(dana).post(page(ticket, "rate"), {**SCORES, **changes})
    assert response.status_code == 422
    assert field in response.context["rating"].errors
    assert 'class="field radios invalid"' in text(response)
    assert not Rating.objects.exists()


def test_an_open_ticket_has_no_rating_form(ticket: Ticket, dana: Any) -> None:
    assert browser(dana).get(page(ticket)).context["rating"] is None
    assert browser(dana).post(page(ticket, "rate"), SCORES).status_code == 422
    assert not Rating.objects.exists()


def test_only_the_customer_rates(ticket: Ticket, certified_bob: Any) -> None:
    close(ticket, certified_bob)
    assert browser(certified_bob).post(page(ticket, "rate"), SCORES).status_code == 403
    assert not Rating.objects.exists()


def test_a_long_conversation_reads_a_fixed_number_of_queries(
    ticket: Ticket, dana: Any, certified_bob: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        browser(dana).post(page(ticket, "reply"), {"body": f"Any news? ({n})"})
        browser(certified_bob).post(page(ticket, "reply"), {"body": f"Working on it ({n})"})
    client = browser(certified_bob)
    # 13 for 1 message as for 12 (the customer panel's earlier tickets are one of them).
    with django_assert_max_num_queries(13):
        response = client.get(page(ticket))
    assert len(response.context["conversation"]) == 12


# The detector's suggestion (issue 14)


def test_the_agent_dismisses_a_suggestion_from_the_page(
    bobs_customer: Any, dana: Any, certified_bob: Any
) -> None:
    suggested = ticket_for(
        bobs_customer,
        dana,
        subject="Connector stopped syncing",
        body="Our Salesforce data has not refreshed since Tuesday. The connector page says 'sync "
        "failed'.",
    )
    agent = browser(certified_bob)
    page_text = text(agent.get(page(suggested)))
    assert "Platform defect (" in page_text
    assert "a suggestion only" in page_text
    assert "Not an escalation" in page_text
    assert "Not an escalation" not in text(browser(dana).get(page(suggested)))
    assert browser(dana).post(page(suggested, "dismiss-suggestion")).status_code == 403
    response = agent.post(page(suggested, "dismiss-suggestion"))
    assert response.status_code == 302
    assert Ticket.objects.get(pk=suggested.pk).suggested_escalation == ""
    assert "Not an escalation" not in text(agent.get(page(suggested)))
    assert EscalationExample.objects.get().label == "none"


def test_a_phrase_suggestion_reads_as_certain(
    ticket: Ticket, alice: Any, bobs_customer: Any
) -> None:
    flagged = ticket_for(bobs_customer, alice, subject="Invoice", body="We were charged twice.")
    page_text = text(browser(alice).get(page(flagged)))
    assert "Billing dispute (100% sure)" in page_text
    # The staff list says how sure the detector is too, so a weak flag reads as one.
    listed = text(browser(alice).get(f"/b/{flagged.business_id}/tickets/"))
    assert "must-escalate topic? Billing dispute (100% sure)" in listed
