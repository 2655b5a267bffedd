from datetime import timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.notifications.models import Notification, OutboxEvent
from refairn.support.models import Ticket, TicketEvent, TicketMessage
from refairn.support.tests.conftest import assign, new_customer, open_ticket, staff
from tests.support import T0, api_as, assert_problem

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {
    "id",
    "status",
    "assigned_agent_id",
    "first_response_due_at",
    "resolution_due_at",
    "routing",
    "suggested_escalation",
}


# Opening a ticket


def test_customer_opens_a_ticket_routed_to_their_agent(
    as_dana: Any, bobs_customer: Any, certified_bob: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer, tags=["Export", " export ", "reports"])
    assert ticket.keys() >= CONTRACT_FIELDS
    assert ticket["status"] == "open"
    assert ticket["assigned_agent_id"] == str(certified_bob.id)
    # How the ticket was routed, in words, is the business's to read (issue 18 item 6).
    assert ticket["routing"] == {"rule": None, "pool_size": 1, "fallback": None, "reason": None}
    assert Ticket.objects.get(pk=ticket["id"]).routing["reason"] == (
        "no rule matched; any eligible agent: the customer's assigned agent, from a pool of 1"
    )
    assert ticket["suggested_escalation"] is None
    assert ticket["priority"] == "P3"
    assert ticket["tags"] == ["export", "reports"]
    # Standard tier, calendar hours: 24 / 72.
    assert ticket["first_response_due_at"] == "2026-11-03T09:00:00Z"
    assert ticket["resolution_due_at"] == "2026-11-05T09:00:00Z"
    assert Notification.objects.filter(user=certified_bob, kind="ticket_opened").exists()
    event = OutboxEvent.objects.get(type="ticket.opened")
    assert {k: event.data[k] for k in ("ticket_id", "subject", "customer_id")} == {
        "ticket_id": ticket["id"],
        "subject": Ticket.objects.get(pk=ticket["id"]).subject,
        "customer_id": str(bobs_customer.id),
    }
    assert event.data["customer_name"] == bobs_customer.name


def test_a_customer_without_an_agent_lands_in_the_business_queue(
    as_dana: Any, northwind: Any
) -> None:
    ticket = open_ticket(as_dana, northwind)
    assert ticket["assigned_agent_id"] is None
    assert ticket["routing"] == {
        "rule": None,
        "pool_size": 0,
        "fallback": "business_queue",
        "reason": None,
    }
    assert Ticket.objects.get(pk=ticket["id"]).routing["reason"] == (
        "no rule matched; any eligible agent: no agent available, left in the business queue"
    )


def test_staff_open_tickets_for_any_customer(as_alice: Any, northwind: Any) -> None:
    ticket = open_ticket(as_alice, northwind, priority="P1")
    assert ticket["priority"] == "P1"


def test_a_refund_request_suggests_an_escalation(as_dana: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(
        as_dana, bobs_customer, subject="Refund please", body="I'd like my money back."
    )
    assert ticket["suggested_escalation"] == "refund"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"body": ""}, "body"),
        ({"priority": "P5"}, "priority"),
        ({"tags": ["x" * 41]}, "tags.0"),
        ({"tags": "billing"}, "tags"),
        ({"customer_id": "00000000-0000-0000-0000-000000000000"}, "customer_id"),
        ({"color": "red"}, "color"),
    ],
)
def test_bad_ticket_input_names_the_field_and_writes_nothing(
    as_dana: Any, northwind: Any, overrides: dict[str, Any], field: str
) -> None:
    body = {"customer_id": str(northwind.id), "subject": "Hi", "body": "Help", **overrides}
    response = as_dana.post(f"/businesses/{northwind.business_id}/tickets", body)
    assert response.status_code == 422, response.body
    assert field in [e["field"] for e in response.body["errors"]]
    assert not Ticket.objects.exists()


def test_a_customer_cannot_open_a_ticket_for_another_customer(
    as_dana: Any, northwind: Any, business_a: Any
) -> None:
    other = new_customer(business_a, "Contoso")
    response = as_dana.post(
        f"/businesses/{business_a.id}/tickets",
        {"customer_id": str(other.id), "subject": "Hi", "body": "Help"},
    )
    assert_problem(response, 422, "unknown_customer")
    assert not Ticket.objects.exists()


def test_agents_cannot_open_tickets(as_bob: Any, northwind: Any) -> None:
    response = as_bob.post(
        f"/businesses/{northwind.business_id}/tickets",
        {"customer_id": str(northwind.id), "subject": "Hi", "body": "Help"},
    )
    assert_problem(response, 403, "forbidden")
    assert not Ticket.objects.exists()


def test_other_tenant_cannot_open_tickets(as_charlie: Any, northwind: Any) -> None:
    response = as_charlie.post(
        f"/businesses/{northwind.business_id}/tickets",
        {"customer_id": str(northwind.id), "subject": "Hi", "body": "Help"},
    )
    assert_problem(response, 404, "not_found")
    assert not Ticket.objects.exists()


# Reading


def test_its_customer_its_agent_and_staff_read_a_ticket(
    as_dana: Any, as_bob: Any, as_reviewer: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    for client in (as_dana, as_bob, as_reviewer):
        response = client.get(f"/tickets/{ticket['id']}")
        assert response.status_code == 200
        assert response.body["messages"] == []
        assert response.body["customer_name"] == "Northwind"
        assert "monthly_value" not in response.body


def test_another_agent_and_another_tenant_get_404(
    as_dana: Any, as_erin: Any, as_charlie: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(as_erin.get(f"/tickets/{ticket['id']}"), 404, "not_found")
    assert_problem(as_charlie.get(f"/tickets/{ticket['id']}"), 404, "not_found")
    assert_problem(as_charlie.get("/tickets/not-an-id"), 404, "not_found")


# Messages


def test_agents_first_message_is_the_first_response(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    with clock.frozen(T0 + timedelta(hours=1)):
        assert (
            as_dana.post(f"/tickets/{ticket['id']}/messages", {"body": "Any news?"}).status_code
            == 201
        )
        assert Ticket.objects.get().first_responded_at is None
    with clock.frozen(T0 + timedelta(hours=2)):
        response = as_bob.post(
            f"/tickets/{ticket['id']}/messages", {"body": "Use Reports > Export."}
        )
    assert response.status_code == 201
    assert response.body["warnings"] == []
    with clock.frozen(T0 + timedelta(hours=3)):
        as_bob.post(f"/tickets/{ticket['id']}/messages", {"body": "Did that work?"})
    assert Ticket.objects.get().first_responded_at == T0 + timedelta(hours=2)
    detail = as_dana.get(f"/tickets/{ticket['id']}").body
    assert [m["party"] for m in detail["messages"]] == ["customer", "agent", "agent"]


def test_an_agent_reply_promising_a_refund_is_warned_about(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    response = as_bob.post(f"/tickets/{ticket['id']}/messages", {"body": "I'll refund you today."})
    assert response.body["warnings"] == [
        {"category": "refund", "reason": "mentions 'refund'", "confidence": 1.0}
    ]
    assert TicketMessage.objects.get().warnings == response.body["warnings"]


def test_customer_messages_carry_no_warnings(as_dana: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    response = as_dana.post(f"/tickets/{ticket['id']}/messages", {"body": "I want a refund"})
    assert response.body["warnings"] == []


def test_check_warns_without_storing(as_dana: Any, as_bob: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    response = as_bob.post(
        f"/tickets/{ticket['id']}/messages/check", {"body": "I have reset your password."}
    )
    assert response.status_code == 200
    assert response.body["warnings"][0]["category"] == "account_security"
    assert not TicketMessage.objects.exists()


def test_only_its_agent_checks_drafts(
    as_dana: Any, as_alice: Any, as_erin: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    path = f"/tickets/{ticket['id']}/messages/check"
    assert_problem(as_dana.post(path, {"body": "refund"}), 403, "forbidden")
    assert_problem(as_alice.post(path, {"body": "refund"}), 403, "forbidden")
    assert_problem(as_erin.post(path, {"body": "refund"}), 404, "not_found")
    assert_problem(as_dana.post(path, {"body": ""}), 422, "validation_error")


def test_bad_messages_write_nothing(as_dana: Any, as_bob: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    for body in ({"body": ""}, {"body": "   "}, {}, {"body": "x" * 10_001}):
        response = as_bob.post(f"/tickets/{ticket['id']}/messages", body)
        assert response.status_code == 422, body
    assert not TicketMessage.objects.exists()
    assert Ticket.objects.get().first_responded_at is None


def test_outsiders_cannot_post_messages(
    as_erin: Any, as_charlie: Any, as_dana: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(
        as_erin.post(f"/tickets/{ticket['id']}/messages", {"body": "hi"}), 404, "not_found"
    )
    assert_problem(
        as_charlie.post(f"/tickets/{ticket['id']}/messages", {"body": "hi"}), 404, "not_found"
    )
    assert not TicketMessage.objects.exists()


# Escalation


def test_escalation_acknowledges_and_moves_the_ticket_to_the_business(
    as_dana: Any, as_bob: Any, bobs_customer: Any, alice: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer, subject="Refund", body="I want my money back")
    with clock.frozen(T0 + timedelta(hours=1)):
        response = as_bob.post(
            f"/tickets/{ticket['id']}/escalate", {"category": "refund", "note": "asked for refund"}
        )
    assert response.status_code == 200, response.body
    assert response.body["status"] == "escalated"
    assert response.body["escalation_category"] == "refund"
    assert response.body["first_responded_at"] == "2026-11-02T10:00:00Z"
    assert Notification.objects.filter(user=alice, kind="ticket_escalated").exists()
    assert TicketEvent.objects.filter(event="escalate", by__isnull=False).count() == 1


def test_account_security_goes_to_the_security_staff(
    as_dana: Any, as_bob: Any, bobs_customer: Any, business_a: Any, alice: Any
) -> None:
    sam = staff(business_a, "sam@a.test", "security")
    # Nothing here is a security topic for the detector; the agent sees that it is.
    ticket = open_ticket(
        as_dana, bobs_customer, subject="Hello", body="A question about the people on our team"
    )
    assert ticket["suggested_escalation"] is None
    as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "account_security"})
    assert Notification.objects.filter(user=sam, kind="ticket_escalated_security").exists()
    assert not Notification.objects.filter(user=alice, kind__startswith="ticket_escalated").exists()


def test_escalation_needs_one_of_the_six_categories(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    response = as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "shipping"})
    assert_problem(response, 422, "validation_error")
    assert Ticket.objects.get().status == "open"


def test_an_escalated_ticket_cannot_be_escalated_again(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "refund"})
    response = as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "refund"})
    assert_problem(response, 409, "invalid_transition")


def test_customers_cannot_escalate(as_dana: Any, as_charlie: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    path = f"/tickets/{ticket['id']}/escalate"
    assert_problem(as_dana.post(path, {"category": "refund"}), 403, "forbidden")
    assert_problem(as_charlie.post(path, {"category": "refund"}), 404, "not_found")
    assert Ticket.objects.get().status == "open"


# Resolve, reopen


def test_resolve_and_reopen(as_dana: Any, as_bob: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    with clock.frozen(T0 + timedelta(hours=5)):
        closed = as_bob.post(f"/tickets/{ticket['id']}/resolve").body
    assert closed["status"] == "closed"
    assert closed["resolved_at"] == "2026-11-02T14:00:00Z"
    assert closed["first_responded_at"] == "2026-11-02T14:00:00Z"
    assert closed["allowed_events"] == ["reopen"]
    with clock.frozen(T0 + timedelta(days=2)):
        reopened = as_dana.post(f"/tickets/{ticket['id']}/reopen").body
    assert reopened["status"] == "open"
    assert reopened["resolved_at"] is None
    # The resolution clock restarts at the reopening: 72 calendar hours.
    assert reopened["resolution_due_at"] == "2026-11-07T09:00:00Z"
    events = list(TicketEvent.objects.values_list("event", flat=True))
    assert events == ["open", "resolve", "reopen"]


def test_only_its_customer_reopens(
    as_dana: Any, as_bob: Any, as_alice: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    as_bob.post(f"/tickets/{ticket['id']}/resolve")
    assert_problem(as_bob.post(f"/tickets/{ticket['id']}/reopen"), 403, "forbidden")
    assert_problem(as_alice.post(f"/tickets/{ticket['id']}/reopen"), 403, "forbidden")
    assert Ticket.objects.get().status == "closed"


def test_reopen_an_open_ticket_is_a_conflict(as_dana: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(as_dana.post(f"/tickets/{ticket['id']}/reopen"), 409, "invalid_transition")


def test_customers_cannot_resolve_and_outsiders_get_404(
    as_dana: Any, as_erin: Any, as_charlie: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(as_dana.post(f"/tickets/{ticket['id']}/resolve"), 403, "forbidden")
    assert_problem(as_erin.post(f"/tickets/{ticket['id']}/resolve"), 404, "not_found")
    assert_problem(as_charlie.post(f"/tickets/{ticket['id']}/reopen"), 404, "not_found")
    assert Ticket.objects.get().status == "open"


def test_a_closed_ticket_takes_no_messages(as_dana: Any, as_bob: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    as_bob.post(f"/tickets/{ticket['id']}/resolve")
    response = as_dana.post(f"/tickets/{ticket['id']}/messages", {"body": "One more thing"})
    assert_problem(response, 409, "invalid_transition")


def test_after_escalation_only_staff_resolve(
    as_dana: Any, as_bob: Any, as_alice: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "platform_defect"})
    assert_problem(as_bob.post(f"/tickets/{ticket['id']}/resolve"), 403, "forbidden")
    assert as_alice.post(f"/tickets/{ticket['id']}/resolve").body["status"] == "closed"


# Staff list


def _many(client: Any, customer: Any, n: int) -> list[str]:
    ids = []
    for i in range(n):
        with clock.frozen(T0 + timedelta(minutes=i)):
            ids.append(open_ticket(client, customer, subject=f"Question {i}")["id"])
    return ids


def test_staff_page_through_tickets_newest_first(as_alice: Any, northwind: Any) -> None:
    ids = _many(as_alice, northwind, 5)
    first = as_alice.get(f"/businesses/{northwind.business_id}/tickets?limit=2")
    assert [t["id"] for t in first.body] == ids[::-1][:2]
    cursor = first["X-Next-Cursor"]
    second = as_alice.get(f"/businesses/{northwind.business_id}/tickets?limit=2&cursor={cursor}")
    third = as_alice.get(
        f"/businesses/{northwind.business_id}/tickets?limit=2&cursor={second['X-Next-Cursor']}"
    )
    assert [t["id"] for t in second.body + third.body] == ids[::-1][2:]
    assert "X-Next-Cursor" not in third


def test_staff_filter_by_status_and_agent(
    as_alice: Any,
    as_bob: Any,
    bobs_customer: Any,
    business_a: Any,
    certified_bob: Any,
    erin: Any,
) -> None:
    mine = open_ticket(as_alice, bobs_customer)
    contoso = new_customer(business_a, "Contoso")
    assign(contoso, erin)
    erins = open_ticket(as_alice, contoso)
    as_bob.post(f"/tickets/{mine['id']}/resolve")
    path = f"/businesses/{business_a.id}/tickets"
    assert [t["id"] for t in as_alice.get(f"{path}?status=closed").body] == [mine["id"]]
    assert [t["id"] for t in as_alice.get(f"{path}?status=open").body] == [erins["id"]]
    assert [t["id"] for t in as_alice.get(f"{path}?agent_id={certified_bob.id}").body] == [
        mine["id"]
    ]
    assert as_alice.get(f"{path}?overdue=true").body == []


@pytest.mark.parametrize(
    "query", ["status=lost", "limit=0", "limit=101", "cursor=%%%", "agent_id=nope"]
)
def test_bad_list_filters_are_422(as_alice: Any, business_a: Any, query: str) -> None:
    response = as_alice.get(f"/businesses/{business_a.id}/tickets?{query}")
    assert response.status_code == 422, response.body


def test_only_staff_list_tickets(
    as_bob: Any, as_dana: Any, as_charlie: Any, business_a: Any, northwind: Any
) -> None:
    path = f"/businesses/{business_a.id}/tickets"
    assert_problem(as_bob.get(path), 403, "forbidden")
    assert_problem(as_dana.get(path), 403, "forbidden")
    assert_problem(as_charlie.get(path), 404, "not_found")


def test_reassigned_customer_new_tickets_follow_the_new_agent(
    as_dana: Any, northwind: Any, certified_bob: Any, erin: Any
) -> None:
    assign(northwind, erin)
    assert open_ticket(as_dana, northwind)["assigned_agent_id"] == str(erin.id)
    assert api_as(certified_bob).get("/me/notifications").body == []
