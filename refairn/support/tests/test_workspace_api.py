from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.core import clock
from refairn.support.services import overdue_flags_raise
from refairn.support.tests.conftest import assign, new_customer, open_ticket
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db

TICKET_FIELDS = {
    "id",
    "customer_name",
    "subject",
    "submitted_at",
    "first_response_due_at",
    "resolution_due_at",
    "overdue",
    "status",
}


def workspace(client: Any, business: Any) -> Any:
    return client.get(f"/businesses/{business.id}/support/workspace")


def test_the_agent_sees_customers_and_tickets_by_state(
    as_bob: Any, as_dana: Any, business_a: Any, bobs_customer: Any
) -> None:
    overdue = open_ticket(as_dana, bobs_customer, subject="Old question")
    with clock.frozen(T0 + timedelta(hours=30)):
        overdue_flags_raise()
        fresh = open_ticket(as_dana, bobs_customer, subject="New question")
        done = open_ticket(as_dana, bobs_customer, subject="Answered")
        as_bob.post(f"/tickets/{done['id']}/resolve")
        response = workspace(as_bob, business_a)
    assert response.status_code == 200, response.body
    body = response.body
    assert body["assigned_customers"] == [
        {
            "customer_id": str(bobs_customer.id),
            "name": "Northwind",
            "subscription_status": "active",
            "tenure_days": 41,
        }
    ]
    assert [t["id"] for t in body["open_tickets"]] == [fresh["id"]]
    assert [t["id"] for t in body["overdue_tickets"]] == [overdue["id"]]
    assert [t["id"] for t in body["closed_tickets"]] == [done["id"]]
    row = body["overdue_tickets"][0]
    assert set(row) == TICKET_FIELDS
    assert row == {
        "id": overdue["id"],
        "customer_name": "Northwind",
        "subject": "Old question",
        "submitted_at": "2026-11-02T09:00:00Z",
        "first_response_due_at": "2026-11-03T09:00:00Z",
        "resolution_due_at": "2026-11-05T09:00:00Z",
        "overdue": True,
        "status": "open",
    }


def test_an_agent_never_sees_another_agents_customer_or_ticket_nor_monthly_value(
    as_alice: Any,
    as_bob: Any,
    as_erin: Any,
    as_dana: Any,
    business_a: Any,
    bobs_customer: Any,
    erin: Any,
) -> None:
    erins = new_customer(business_a, "Erin's Customer", monthly_value="5000.00")
    assign(erins, erin)
    erins_ticket = open_ticket(as_alice, erins)
    bobs_ticket = open_ticket(as_dana, bobs_customer)

    bob_view = workspace(as_bob, business_a).body
    erin_view = workspace(as_erin, business_a).body
    assert [c["name"] for c in bob_view["assigned_customers"]] == ["Northwind"]
    assert [c["name"] for c in erin_view["assigned_customers"]] == ["Erin's Customer"]
    assert [t["id"] for t in bob_view["open_tickets"]] == [bobs_ticket["id"]]
    assert [t["id"] for t in erin_view["open_tickets"]] == [erins_ticket["id"]]
    assert_problem(as_erin.get(f"/tickets/{bobs_ticket['id']}"), 404, "not_found")
    assert_problem(as_bob.get(f"/tickets/{erins_ticket['id']}"), 404, "not_found")
    assert_problem(as_erin.get(f"/customers/{bobs_customer.id}"), 404, "not_found")
    for view in (bob_view, erin_view):
        text = str(view)
        assert "monthly_value" not in text
        assert "5000" not in text and "99.00" not in text


def test_a_cancelled_customers_tenure_stops_at_cancellation(
    as_bob: Any, business_a: Any, bobs_customer: Any
) -> None:
    bobs_customer.cancelled_at = T0 - timedelta(days=10)
    bobs_customer.save(update_fields=["cancelled_at"])
    customer = workspace(as_bob, business_a).body["assigned_customers"][0]
    assert customer["subscription_status"] == "cancelled"
    assert customer["tenure_days"] == 30


def test_the_workspace_takes_the_same_queries_however_many_tickets(
    as_bob: Any, as_dana: Any, business_a: Any, bobs_customer: Any, certified_bob: Any
) -> None:
    open_ticket(as_dana, bobs_customer)
    with CaptureQueriesContext(connection) as few:
        workspace(as_bob, business_a)
    for i in range(5):
        assign(new_customer(business_a, f"Customer {i}"), certified_bob)
        open_ticket(as_dana, bobs_customer)
    with CaptureQueriesContext(connection) as many:
        workspace(as_bob, business_a)
    assert len(many) == len(few)


def test_staff_and_customers_have_no_workspace(
    as_alice: Any, as_dana: Any, business_a: Any
) -> None:
    assert_problem(workspace(as_alice, business_a), 403, "forbidden")
    assert_problem(workspace(as_dana, business_a), 403, "forbidden")


def test_other_tenant_gets_404(as_charlie: Any, business_a: Any) -> None:
    assert_problem(workspace(as_charlie, business_a), 404, "not_found")
