"""Issue 18 item 6: a ticket's customer never reads the internal escalation note nor the
routing rule that placed the ticket (its name, or the reason that names it); its agent and
the staff do."""

from typing import Any

import pytest

from refairn.support.tests.conftest import open_ticket
from tests.support import api_as

pytestmark = pytest.mark.django_db

NOTE = "Internal: the customer threatens a chargeback"
HIDDEN_ROUTING = {"rule": None, "pool_size": 1, "fallback": None, "reason": None}


@pytest.fixture
def ruled(as_alice: Any, business_a: Any) -> Any:
    rules = [{"name": "Whales first", "require": {"min_certifications": 1}}]
    assert as_alice.put(f"/businesses/{business_a.id}/routing-rules", rules).status_code == 200
    return business_a


@pytest.fixture
def escalated(as_dana: Any, as_bob: Any, bobs_customer: Any, ruled: Any) -> str:
    ticket = open_ticket(as_dana, bobs_customer, body="I want a refund for last month.")
    body = {"category": "refund", "note": NOTE}
    assert as_bob.post(f"/tickets/{ticket['id']}/escalate", body).status_code == 200
    return str(ticket["id"])


def test_the_customer_opening_a_ticket_is_not_told_how_it_was_routed(
    as_dana: Any, as_alice: Any, bobs_customer: Any, ruled: Any
) -> None:
    by_customer = open_ticket(as_dana, bobs_customer, body="I want a refund.")
    assert by_customer["routing"] == HIDDEN_ROUTING
    by_staff = open_ticket(as_alice, bobs_customer, body="I want a refund.")
    assert by_staff["routing"]["rule"] == "Whales first"
    assert "Whales first" in by_staff["routing"]["reason"]


def test_the_customer_reads_the_conversation_without_the_internals(
    as_dana: Any, escalated: str
) -> None:
    response = as_dana.get(f"/tickets/{escalated}")
    assert response.status_code == 200
    body = response.body
    assert body["escalation_note"] == ""
    assert body["routing"] == HIDDEN_ROUTING
    assert NOTE not in response.content.decode()
    assert "Whales first" not in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob", "reviewer"])
def test_its_agent_and_the_staff_read_them(who: str, escalated: str, request: Any) -> None:
    body = api_as(request.getfixturevalue(who)).get(f"/tickets/{escalated}").body
    assert body["escalation_note"] == NOTE
    assert body["routing"]["rule"] == "Whales first"


def test_the_customer_reopening_the_ticket_gets_it_without_the_internals(
    as_dana: Any, as_alice: Any, escalated: str
) -> None:
    assert as_alice.post(f"/tickets/{escalated}/resolve").body["routing"]["rule"] == "Whales first"
    reopened = as_dana.post(f"/tickets/{escalated}/reopen")
    assert reopened.status_code == 200, reopened.body
    assert reopened.body["routing"] == HIDDEN_ROUTING
    assert NOTE not in reopened.content.decode()
