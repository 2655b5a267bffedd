"""The helpdesk workflow (issue 12 item 7) through the API and the test clock: pending pauses
the SLA clock, internal notes stay on the support side, staff reassign, search and filters."""

from datetime import timedelta
from typing import Any

import pytest

from refairn.notifications.models import Notification
from refairn.routing.models import RoutingDecision
from refairn.support.models import OverdueFlag, Ticket, TicketEvent
from refairn.support.tests.conftest import approved_agent, new_customer, open_ticket
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def _ticket(client: Any, ticket_id: str) -> Any:
    response = client.get(f"/tickets/{ticket_id}")
    assert response.status_code == 200, response.body
    return response.body


# Pending: the SLA clock pauses


def test_pending_pauses_the_sla_and_resume_moves_the_deadlines(
    test_clock: Any, as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    test_clock(T0)
    ticket = open_ticket(as_dana, bobs_customer)
    test_clock(T0 + 2 * HOUR)
    pending = as_bob.post(f"/tickets/{ticket['id']}/pending")
    assert pending.status_code == 200, pending.body
    assert pending.body["status"] == "pending"
    assert pending.body["paused_at"] == "2026-11-02T11:00:00Z"
    assert "resume" in pending.body["allowed_events"]
    # Ten days waiting: both deadlines pass on the wall clock, but the sweep flags nothing
    # and the ticket does not read overdue.
    test_clock(T0 + 240 * HOUR)
    assert not OverdueFlag.objects.exists()
    assert _ticket(as_bob, ticket["id"])["overdue"] is False
    resumed = as_bob.post(f"/tickets/{ticket['id']}/resume")
    assert resumed.status_code == 200, resumed.body
    body = resumed.body
    assert (body["status"], body["paused_at"], body["overdue"]) == ("open", None, False)
    # Paused 238 h: 24 h and 72 h deadlines move by exactly that.
    assert body["first_response_due_at"] == "2026-11-13T07:00:00Z"
    assert body["resolution_due_at"] == "2026-11-15T07:00:00Z"
    # The hourly sweep at the moved first-response deadline finds it met in time; the next
    # one flags it.
    test_clock(T0 + (24 + 238) * HOUR)
    assert not OverdueFlag.objects.exists()
    test_clock(T0 + (25 + 238) * HOUR)
    flag = OverdueFlag.objects.get()
    assert (flag.kind, flag.at) == ("first_response", T0 + (24 + 238) * HOUR)
    events = list(TicketEvent.objects.values_list("event", flat=True))
    assert events == ["open", "pend", "resume"]


def test_the_customers_reply_resumes_a_pending_ticket(
    test_clock: Any, as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    test_clock(T0)
    ticket = open_ticket(as_dana, bobs_customer)
    as_bob.post(f"/tickets/{ticket['id']}/messages", {"body": "Which browser do you use?"})
    assert as_bob.post(f"/tickets/{ticket['id']}/pending").status_code == 200
    test_clock(T0 + 10 * HOUR)
    response = as_dana.post(f"/tickets/{ticket['id']}/messages", {"body": "Firefox."})
    assert response.status_code == 201, response.body
    body = _ticket(as_dana, ticket["id"])
    assert body["status"] == "open"
    # The first response was met; only the resolution deadline moves, by 10 hours.
    assert body["first_response_due_at"] == "2026-11-03T09:00:00Z"
    assert body["resolution_due_at"] == "2026-11-05T19:00:00Z"
    assert TicketEvent.objects.filter(event="resume").count() == 1


def test_a_deadline_missed_before_the_pause_stays_missed(
    test_clock: Any, as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    test_clock(T0)
    ticket = open_ticket(as_dana, bobs_customer)
    # Pausing a minute after the first-response deadline, without a sweep in between.
    ticket_row = Ticket.objects.get(pk=ticket["id"])
    test_clock(T0 + 24 * HOUR + timedelta(minutes=1))
    OverdueFlag.objects.all().delete()
    assert as_bob.post(f"/tickets/{ticket['id']}/pending").status_code == 200
    assert _ticket(as_bob, ticket["id"])["overdue"] is True
    resumed = as_bob.post(f"/tickets/{ticket['id']}/resume").body
    assert resumed["first_response_due_at"] == "2026-11-03T09:00:00Z"
    assert ticket_row.first_response_due_at == T0 + 24 * HOUR


def test_only_the_support_side_pauses_and_resumes(
    as_dana: Any, as_bob: Any, as_alice: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(as_dana.post(f"/tickets/{ticket['id']}/pending"), 403, "forbidden")
    assert Ticket.objects.get(pk=ticket["id"]).status == "open"
    assert as_alice.post(f"/tickets/{ticket['id']}/pending").status_code == 200
    assert_problem(as_dana.post(f"/tickets/{ticket['id']}/resume"), 403, "forbidden")
    assert Ticket.objects.get(pk=ticket["id"]).status == "pending"


def test_pending_follows_the_transition_table(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(as_bob.post(f"/tickets/{ticket['id']}/resume"), 409, "invalid_transition")
    as_bob.post(f"/tickets/{ticket['id']}/pending")
    assert_problem(as_bob.post(f"/tickets/{ticket['id']}/pending"), 409, "invalid_transition")
    # Resolving a pending ticket closes it; it cannot then be paused.
    assert as_bob.post(f"/tickets/{ticket['id']}/resolve").body["status"] == "closed"
    assert_problem(as_bob.post(f"/tickets/{ticket['id']}/pending"), 409, "invalid_transition")


def test_another_tenant_cannot_pause_a_ticket(
    as_dana: Any, as_charlie: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(as_charlie.post(f"/tickets/{ticket['id']}/pending"), 404, "not_found")
    assert Ticket.objects.get(pk=ticket["id"]).status == "open"


# Internal notes


def test_internal_notes_never_reach_the_customer(
    as_dana: Any, as_bob: Any, as_alice: Any, bobs_customer: Any, dana: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    before = Notification.objects.filter(user=dana).count()
    note = as_bob.post(
        f"/tickets/{ticket['id']}/messages",
        {"body": "Customer is on the legacy plan, check billing.", "internal": True},
    )
    assert note.status_code == 201, note.body
    as_alice.post(f"/tickets/{ticket['id']}/messages", {"body": "Noted.", "internal": True})
    # Not a first response, no notice to the customer.
    assert _ticket(as_bob, ticket["id"])["first_responded_at"] is None
    assert Notification.objects.filter(user=dana).count() == before
    customer_view = _ticket(as_dana, ticket["id"])
    assert customer_view["messages"] == []
    assert "legacy plan" not in str(customer_view)
    agent_view = _ticket(as_bob, ticket["id"])
    # Both written at the same frozen instant: their order is the ids'.
    assert sorted((m["body"], m["internal"]) for m in agent_view["messages"]) == [
        ("Customer is on the legacy plan, check billing.", True),
        ("Noted.", True),
    ]


def test_the_customer_cannot_write_an_internal_note(as_dana: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    response = as_dana.post(
        f"/tickets/{ticket['id']}/messages", {"body": "secret", "internal": True}
    )
    assert_problem(response, 403, "forbidden")
    assert _ticket(as_dana, ticket["id"])["messages"] == []


def test_a_note_on_a_closed_ticket_is_allowed_and_blank_is_refused(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    as_bob.post(f"/tickets/{ticket['id']}/resolve")
    url = f"/tickets/{ticket['id']}/messages"
    assert as_bob.post(url, {"body": "Closed after a call.", "internal": True}).status_code == 201
    assert_problem(as_bob.post(url, {"body": "  ", "internal": True}), 422, "validation_error")


# Reassignment


def test_staff_reassign_to_an_eligible_agent_and_the_decision_is_recorded(
    as_dana: Any, as_alice: Any, bobs_customer: Any, erin: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    response = as_alice.post(
        f"/tickets/{ticket['id']}/reassign", {"agent_id": str(erin.id), "note": "Bob is busy"}
    )
    assert response.status_code == 200, response.body
    assert response.body["assigned_agent_id"] == str(erin.id)
    decision = RoutingDecision.objects.filter(ticket_id=ticket["id"]).latest("at")
    assert decision.agent_id == erin.id
    assert decision.reason == "Reassigned by staff to Erin Agent: Bob is busy"
    assert TicketEvent.objects.filter(event="reassign").exists()
    assert Notification.objects.filter(user=erin, kind="ticket_reassigned").exists()


def test_reassigning_to_an_agent_who_cannot_take_tickets_is_refused(
    as_dana: Any, as_alice: Any, bobs_customer: Any, business_a: Any, certified_bob: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    uncertified = approved_agent(business_a, "una@a.test", "Una Agent")
    url = f"/tickets/{ticket['id']}/reassign"
    response = as_alice.post(url, {"agent_id": str(uncertified.id)})
    assert_problem(response, 422, "agent_not_eligible")
    assert [e["field"] for e in response.body["errors"]] == ["agent_id"]
    assert_problem(as_alice.post(url, {"agent_id": str(certified_bob.id)}), 409, "already_assigned")
    assert_problem(as_alice.post(url, {"agent_id": "not-a-uuid"}), 422, "validation_error")
    assert Ticket.objects.get(pk=ticket["id"]).assigned_agent_id == certified_bob.id


def test_only_owners_and_managers_reassign(
    as_dana: Any, as_bob: Any, as_charlie: Any, as_reviewer: Any, bobs_customer: Any, erin: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    url = f"/tickets/{ticket['id']}/reassign"
    assert_problem(as_reviewer.post(url, {"agent_id": str(erin.id)}), 403, "forbidden")
    assert_problem(as_bob.post(url, {"agent_id": str(erin.id)}), 403, "forbidden")
    assert_problem(as_dana.post(url, {"agent_id": str(erin.id)}), 403, "forbidden")
    assert_problem(as_charlie.post(url, {"agent_id": str(erin.id)}), 404, "not_found")
    assert not TicketEvent.objects.filter(event="reassign").exists()


def test_an_escalated_ticket_is_not_reassigned(
    as_dana: Any, as_alice: Any, as_bob: Any, bobs_customer: Any, erin: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "refund"})
    response = as_alice.post(f"/tickets/{ticket['id']}/reassign", {"agent_id": str(erin.id)})
    assert_problem(response, 409, "invalid_transition")


# Search and filters


def test_staff_search_tickets_by_text_and_filter_by_status(
    as_dana: Any, as_alice: Any, as_bob: Any, bobs_customer: Any, business_a: Any
) -> None:
    export = open_ticket(as_dana, bobs_customer)
    invoice = open_ticket(
        as_alice,
        new_customer(business_a, "Contoso"),
        subject="Invoice address",
        body="Please change it.",
    )
    as_bob.post(f"/tickets/{export['id']}/pending")
    url = f"/businesses/{business_a.id}/tickets"

    def ids(query: str) -> list[str]:
        response = as_alice.get(f"{url}?{query}")
        assert response.status_code == 200, response.body
        return [t["id"] for t in response.body]

    assert ids("q=EXPORT") == [export["id"]]
    assert ids("q=contoso") == [invoice["id"]]
    assert ids("q=change+it") == [invoice["id"]]
    assert ids("status=pending") == [export["id"]]
    assert ids("q=nothing-like-this") == []
    assert_problem(as_alice.get(f"{url}?status=waiting"), 422, "validation_error")
