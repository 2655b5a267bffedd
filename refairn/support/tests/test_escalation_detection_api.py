"""Issue 14 wired in: tickets and agents' replies go through the business's phrases and its
measured detector; the API says how sure it is; human decisions feed the business's examples."""

from typing import Any

import pytest

from refairn.notifications.models import Notification, OutboxEvent
from refairn.support.models import EscalationExample, TicketEvent
from refairn.support.tests.conftest import open_ticket
from tests.support import assert_problem

pytestmark = pytest.mark.django_db


def reply(client: Any, ticket: Any, body: str) -> Any:
    response = client.post(f"/tickets/{ticket['id']}/messages", {"body": body})
    assert response.status_code == 201, response.body
    return response.body


def test_a_customer_message_the_phrases_miss_is_suggested_with_the_models_confidence(
    as_dana: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(
        as_dana,
        bobs_customer,
        subject="Charge on my card",
        body="I don't recognise this charge on my card",
    )
    assert ticket["suggested_escalation"] == "billing_dispute"
    assert 0 < ticket["suggested_escalation_confidence"] < 1


def test_a_phrase_hit_is_certain_and_a_plain_question_carries_no_confidence(
    as_dana: Any, bobs_customer: Any
) -> None:
    hit = open_ticket(as_dana, bobs_customer, subject="Refund", body="I want a refund please")
    assert (hit["suggested_escalation"], hit["suggested_escalation_confidence"]) == ("refund", 1.0)
    plain = open_ticket(as_dana, bobs_customer)
    assert (plain["suggested_escalation"], plain["suggested_escalation_confidence"]) == (
        None,
        None,
    )


@pytest.mark.parametrize(
    ("body", "category"),
    [
        ("Yes, that charge is correct, you were billed properly", "billing_dispute"),
        ("Try resetting your password via this workaround", "account_security"),
    ],
)
def test_an_agents_reply_the_phrases_miss_warns_with_a_confidence(
    as_dana: Any, as_bob: Any, bobs_customer: Any, body: str, category: str
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    check = as_bob.post(f"/tickets/{ticket['id']}/messages/check", {"body": body}).body
    assert [w["category"] for w in check["warnings"]] == [category]
    assert check["warnings"][0]["source"] == "model"
    assert 0 < check["warnings"][0]["confidence"] < 1
    sent = reply(as_bob, ticket, body)
    assert sent["warnings"] == check["warnings"]
    stored = as_bob.get(f"/tickets/{ticket['id']}").body["messages"][0]["warnings"]
    assert stored == check["warnings"]


def test_the_businesss_own_phrase_still_flags_alongside_the_model(
    as_alice: Any, as_dana: Any, as_bob: Any, business_a: Any, bobs_customer: Any
) -> None:
    response = as_alice.put(
        f"/businesses/{business_a.id}/escalation-topics", {"categories": {"refund": ["Hendrix"]}}
    )
    assert response.status_code == 200, response.body
    ticket = open_ticket(as_dana, bobs_customer, subject="Hendrix", body="Please do the Hendrix")
    assert (ticket["suggested_escalation"], ticket["suggested_escalation_confidence"]) == (
        "refund",
        1.0,
    )
    warnings = as_bob.post(
        f"/tickets/{ticket['id']}/messages/check", {"body": "Sure, I'll do the Hendrix today"}
    ).body["warnings"]
    assert warnings[0] == {
        "category": "refund",
        "reason": "mentions 'hendrix'",
        "confidence": 1.0,
        "source": "phrase",
    }


def test_escalating_an_unflagged_ticket_keeps_it_as_a_labelled_example(
    as_dana: Any, as_bob: Any, business_a: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert ticket["suggested_escalation"] is None
    response = as_bob.post(
        f"/tickets/{ticket['id']}/escalate", {"category": "platform_defect", "note": "bug"}
    )
    assert response.status_code == 200, response.body
    example = EscalationExample.objects.get()
    assert (example.business_id, example.kind, example.label) == (
        business_a.id,
        "customer",
        "platform_defect",
    )
    assert example.text == f"{ticket['subject']} {ticket['body']}"


def test_escalating_as_suggested_adds_no_example(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer, subject="Refund", body="I want a refund please")
    as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "refund", "note": ""})
    assert not EscalationExample.objects.exists()


def test_dismissing_a_suggestion_keeps_a_no_escalation_example(
    as_dana: Any, as_bob: Any, as_alice: Any, business_a: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer, subject="Refund", body="I want a refund please")
    path = f"/tickets/{ticket['id']}/suggestion/dismiss"
    assert_problem(as_dana.post(path), 403, "forbidden")
    response = as_bob.post(path)
    assert response.status_code == 200, response.body
    assert response.body["suggested_escalation"] is None
    assert response.body["suggested_escalation_confidence"] is None
    example = EscalationExample.objects.get()
    assert (example.business_id, example.label) == (business_a.id, "none")
    assert TicketEvent.objects.filter(event="dismiss").count() == 1
    assert_problem(as_alice.post(path), 409, "no_suggestion")


def test_another_business_cannot_dismiss(as_dana: Any, as_charlie: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer, subject="Refund", body="I want a refund please")
    assert_problem(as_charlie.post(f"/tickets/{ticket['id']}/suggestion/dismiss"), 404, "not_found")
    assert not EscalationExample.objects.exists()


# Issue 11 item 11: security tickets go to the security team whoever the agent is.


def test_a_detected_security_ticket_is_created_escalated_and_security_staff_told(
    as_dana: Any, bob: Any, security_officer: Any, alice: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(
        as_dana, bobs_customer, subject="Hacked", body="Someone logged into my account from abroad"
    )
    assert ticket["suggested_escalation"] == "account_security"
    assert (ticket["status"], ticket["escalation_category"]) == ("escalated", "account_security")
    assert ticket["escalated_at"] is not None
    told = Notification.objects.filter(kind="ticket_escalated_security")
    assert [n.user_id for n in told] == [security_officer.id]
    assert not Notification.objects.filter(user=bob, kind="ticket_opened").exists()
    event = OutboxEvent.objects.get(type="ticket.escalated_security")
    assert event.data["ticket_id"] == ticket["id"]
    assert event.data["category"] == "account_security"


def test_without_security_staff_the_owners_are_told(
    as_dana: Any, alice: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer, subject="Hacked", body="My account was hacked")
    assert ticket["status"] == "escalated"
    assert Notification.objects.filter(user=alice, kind="ticket_escalated_security").exists()


def test_another_topic_stays_with_the_agent(as_dana: Any, bob: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer, subject="Refund", body="I want a refund please")
    assert (ticket["status"], ticket["assigned_agent_id"]) == ("open", str(bob.id))
    event = OutboxEvent.objects.get(type="ticket.opened")
    assert (event.data["ticket_id"], event.data["customer_id"]) == (
        ticket["id"],
        str(bobs_customer.id),
    )
