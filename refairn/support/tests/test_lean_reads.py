"""Issue 17: the staff's ticket list and the agent's workspace answer from plain rows, built
without validating them again; each answer is byte for byte the one its schema's validation
gives, and the workspace pages like every other list."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from refairn.accounts.models import User
from refairn.core import clock
from refairn.programs.models import Business, Customer
from refairn.programs.selectors import actor_for
from refairn.support import selectors
from refairn.support.models import Ticket
from refairn.support.schemas import TicketOut, WorkspaceOut
from refairn.support.services import overdue_flags_raise
from refairn.support.tests.conftest import assign, new_customer, open_ticket
from tests.support import T0, ApiClient, assert_problem

pytestmark = pytest.mark.django_db

LATER = T0 + timedelta(hours=30)


def _rendered(data: Any) -> bytes:
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


@pytest.fixture
def tickets(
    as_dana: ApiClient, as_bob: ApiClient, as_alice: ApiClient, bobs_customer: Customer
) -> list[str]:
    """Tickets in every state the list shows: overdue and flagged, escalated, pending,
    closed, queued, suggested for escalation, flagged for review, with sub-millisecond times."""
    overdue = open_ticket(as_dana, bobs_customer, subject="Old question")
    queued = open_ticket(as_alice, new_customer(bobs_customer.business, "Queue Ltd"))
    with clock.frozen(LATER):
        overdue_flags_raise()
        refund = open_ticket(as_dana, bobs_customer, subject="Refund", body="I want a refund")
        escalated = open_ticket(as_dana, bobs_customer, subject="Escalated", tags=["billing"])
        as_bob.post(f"/tickets/{escalated['id']}/escalate", {"category": "refund", "note": "n"})
        pending = open_ticket(as_dana, bobs_customer, subject="Pending")
        as_bob.post(f"/tickets/{pending['id']}/pending")
        done = open_ticket(as_dana, bobs_customer, subject="Answered")
        as_bob.post(f"/tickets/{done['id']}/resolve")
    Ticket.objects.filter(pk=queued["id"]).update(
        routing={"rule": "Billing", "pool_size": 3, "fallback": "flag_for_review", "extra": 1},
        created_at=T0 + timedelta(microseconds=123_456),
    )
    return [t["id"] for t in (overdue, queued, refund, escalated, pending, done)]


def test_the_ticket_list_answers_as_its_schema_would(
    as_alice: ApiClient, alice: User, business_a: Business, tickets: list[str]
) -> None:
    with clock.frozen(LATER):
        answer = as_alice.get(f"/businesses/{business_a.id}/tickets")
        page = selectors.tickets_list_for(actor_for(alice, business_a.id))
    assert answer.status_code == 200, answer.body
    assert sorted(t["id"] for t in answer.body) == sorted(tickets)
    assert {t["flagged_for_review"] for t in answer.body} == {True, False}
    assert {t["overdue"] for t in answer.body} == {True, False}
    assert answer.content == _rendered(
        [TicketOut.model_validate(t).model_dump() for t in page.items]
    )


def test_the_ticket_list_pages_with_filters_as_before(
    as_alice: ApiClient, alice: User, business_a: Business, tickets: list[str]
) -> None:
    path = f"/businesses/{business_a.id}/tickets?status=open&limit=1"
    seen, cursor = [], ""
    with clock.frozen(LATER):
        for _ in range(len(tickets)):
            answer = as_alice.get(path + cursor)
            seen += [t["id"] for t in answer.body]
            if "X-Next-Cursor" not in answer:
                break
            cursor = f"&cursor={answer['X-Next-Cursor']}"
        whole = selectors.tickets_list_for(actor_for(alice, business_a.id), status="open")
    assert seen == [str(t.id) for t in whole.items]
    assert len(seen) == 3


def test_the_ticket_list_takes_the_same_queries_however_many_tickets(
    as_alice: ApiClient, as_dana: ApiClient, business_a: Business, bobs_customer: Customer
) -> None:
    open_ticket(as_dana, bobs_customer)
    with CaptureQueriesContext(connection) as few:
        as_alice.get(f"/businesses/{business_a.id}/tickets")
    for _ in range(5):
        open_ticket(as_dana, bobs_customer)
    with CaptureQueriesContext(connection) as many:
        as_alice.get(f"/businesses/{business_a.id}/tickets")
    assert len(many) == len(few)


def _workspace_of_models(business: Business, agent: User) -> dict[str, Any]:
    """The workspace as model instances, the way the schema validates them (what the rows
    must equal)."""
    mine = selectors.with_overdue(
        Ticket.objects.filter(business=business, assigned_agent=agent).select_related("customer")
    )
    active = list(mine.exclude(status="closed").order_by("created_at", "id"))
    customers = Customer.objects.filter(
        business=business, assignments__agent=agent, assignments__ended_at__isnull=True
    ).order_by("name", "id")
    return {
        "assigned_customers": [
            {
                "customer_id": c.id,
                "name": c.name,
                "subscription_status": c.subscription_status,
                "tenure_days": max(((c.cancelled_at or clock.now()) - c.subscribed_at).days, 0),
            }
            for c in customers
        ],
        "open_tickets": [t for t in active if not t.overdue],
        "overdue_tickets": [t for t in active if t.overdue],
        "closed_tickets": list(mine.filter(status="closed").order_by("-resolved_at", "-id")),
    }


def test_the_workspace_answers_as_its_schema_would(
    as_bob: ApiClient, bob: User, business_a: Business, tickets: list[str]
) -> None:
    with clock.frozen(LATER):
        answer = as_bob.get(f"/businesses/{business_a.id}/support/workspace")
        whole = _workspace_of_models(business_a, bob)
    assert answer.status_code == 200, answer.body
    assert [len(answer.body[k]) for k in sorted(answer.body)] == [1, 1, 3, 2]
    assert "X-Next-Cursor" not in answer
    assert answer.content == _rendered(WorkspaceOut.model_validate(whole).model_dump())


def _walk_workspace(client: ApiClient, business: Business, limit: int) -> list[dict[str, Any]]:
    pages, cursor = [], ""
    for _ in range(20):
        answer = client.get(f"/businesses/{business.id}/support/workspace?limit={limit}{cursor}")
        assert answer.status_code == 200, answer.body
        assert all(len(rows) <= limit for rows in answer.body.values())
        pages.append(answer.body)
        if "X-Next-Cursor" not in answer:
            return pages
        cursor = f"&cursor={answer['X-Next-Cursor']}"
    raise AssertionError("the workspace never ended")


def test_the_workspace_pages_every_row_once(
    as_bob: ApiClient, certified_bob: User, business_a: Business, tickets: list[str]
) -> None:
    for n in range(4):
        assign(new_customer(business_a, f"Customer {n}"), certified_bob)
    with clock.frozen(LATER):
        whole = as_bob.get(f"/businesses/{business_a.id}/support/workspace").body
        pages = _walk_workspace(as_bob, business_a, 2)
    assert len(pages) == 3  # five customers, two at a time
    for name, rows in whole.items():
        assert [row for page in pages for row in page[name]] == rows, name


def test_a_bad_workspace_page_is_422(as_bob: ApiClient, bobs_customer: Customer) -> None:
    path = f"/businesses/{bobs_customer.business_id}/support/workspace"
    assert_problem(as_bob.get(f"{path}?cursor=x"), 422, "invalid_cursor")
    assert_problem(as_bob.get(f"{path}?limit=0"), 422, "validation_error")
    assert_problem(as_bob.get(f"{path}?limit=101"), 422, "validation_error")
