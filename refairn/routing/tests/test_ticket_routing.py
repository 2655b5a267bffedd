"""Routing at ticket creation and reopen (PRODUCT.md §7): who is a candidate, what is recorded,
who is told, and how many queries it takes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.certification.models import Certification
from refairn.core import clock
from refairn.notifications.models import Notification
from refairn.routing.models import RoutingDecision
from refairn.routing.tests.conftest import Program
from refairn.support.models import SupportPolicy
from refairn.support.selectors import route_ticket
from refairn.support.tests.conftest import open_ticket
from tests.support import ApiClient, api_as, make_user

pytestmark = pytest.mark.django_db


def test_without_rules_any_eligible_agent_by_workload(
    as_alice: ApiClient, program: Program
) -> None:
    busy = program.agent("fund", name="Busy")
    free = program.agent("fund", name="Free")
    program.agent("fund", "adv", "sec", name="Suspended", eligible=False)
    program.busy(busy)
    ticket = open_ticket(as_alice, program.customer(), tags=["api"], priority="P1")
    assert ticket["assigned_agent_id"] == str(free.id)
    assert ticket["routing"] == {
        "rule": None,
        "pool_size": 2,
        "fallback": None,
        "reason": "no rule matched; any eligible agent: best of 2 by skill match (0), "
        "workload (0) and last routing",
    }
    decision = RoutingDecision.objects.get(ticket_id=ticket["id"])
    assert decision.rule_name is None
    assert not decision.by_certification


def test_every_ticket_says_why_it_went_to_whom(
    as_alice: ApiClient, program: Program, standard_rules: Any
) -> None:
    specialist = program.agent("fund", "bill", name="Bill")
    customer = program.customer()
    ticket = open_ticket(as_alice, customer, tags=["refund"])
    shown = as_alice.get(f"/tickets/{ticket['id']}").body
    assert shown["assigned_agent_id"] == str(specialist.id)
    assert shown["routing"] == {
        "rule": "Billing Issues",
        "pool_size": 1,
        "fallback": None,
        "reason": "rule 'Billing Issues': best of 1 by skill match (1), workload (0) and "
        "last routing",
    }
    decision = RoutingDecision.objects.get(ticket_id=ticket["id"])
    assert (decision.business, decision.agent, decision.at) == (
        program.business,
        specialist,
        clock.now(),
    )
    assert decision.by_certification
    assert not (decision.notify_managers or decision.flag_for_review or decision.route_to_manager)


def test_the_customer_agent_is_preferred_only_from_the_rule_pool(
    as_alice: ApiClient, program: Program, standard_rules: Any
) -> None:
    own = program.agent("fund", name="Own")
    specialist = program.agent("fund", "adv", name="Spec")
    customer = program.customer(agent=own)
    assert open_ticket(as_alice, customer)["assigned_agent_id"] == str(own.id)
    api = open_ticket(as_alice, customer, tags=["webhook"])
    assert api["assigned_agent_id"] == str(specialist.id)


def test_the_reassign_stand_in_is_preferred_within_the_rule_pool(
    as_alice: ApiClient, program: Program, standard_rules: Any
) -> None:
    away = program.agent("fund", "bill", name="Away")
    stand_in = program.agent("fund", "bill", name="Stand-in")
    other = program.agent("fund", "bill", name="Other")
    generalist = program.agent("fund", name="Generalist")
    program.busy(stand_in, tickets=3)
    program.away(away)
    customer = program.customer(agent=away)
    SupportPolicy.objects.create(
        business=program.business, unavailability_policy="reassign", reassign_to=stand_in
    )
    billing = open_ticket(as_alice, customer, tags=["billing"])
    assert billing["assigned_agent_id"] == str(stand_in.id)
    assert "stand-in for the customer's unavailable agent" in billing["routing"]["reason"]

    SupportPolicy.objects.filter(business=program.business).update(reassign_to=generalist)
    billing = open_ticket(as_alice, customer, tags=["billing"])
    assert billing["assigned_agent_id"] == str(other.id)


def test_expired_and_suspended_agents_are_not_candidates(
    as_alice: ApiClient, program: Program, standard_rules: Any
) -> None:
    lapsed = program.agent("fund", "sec", name="Lapsed")
    Certification.objects.filter(agent=lapsed, track_id=program.track_ids["sec"]).update(
        expires_at=clock.now() - timedelta(days=1)
    )
    program.agent("fund", "sec", name="Suspended", eligible=False)
    ticket = open_ticket(as_alice, program.customer(agent=lapsed), tags=["breach"], priority="P2")
    assert ticket["assigned_agent_id"] is None
    assert ticket["routing"]["rule"] == "Security Issues"
    assert ticket["routing"]["fallback"] == "business_queue"


def test_reopening_routes_again_and_keeps_the_first_decision(
    as_alice: ApiClient, program: Program, standard_rules: Any
) -> None:
    dana = make_user("dana@northwind.test", "Dana Customer")
    first = program.agent("fund", "adv", name="First")
    customer = program.customer()
    customer.user = dana
    customer.save(update_fields=["user"])
    ticket = open_ticket(as_alice, customer, tags=["api"])
    assert ticket["assigned_agent_id"] == str(first.id)
    assert as_alice.post(f"/tickets/{ticket['id']}/resolve").status_code == 200
    program.away(first)
    second = program.agent("fund", "adv", name="Second")
    later = clock.now() + timedelta(hours=2)
    with clock.frozen(later):
        reopened = api_as(dana).post(f"/tickets/{ticket['id']}/reopen")
    assert reopened.status_code == 200, reopened.body
    assert reopened.body["assigned_agent_id"] == str(second.id)
    # Issue 11 item 17: the first decision stays, so past reports keep the routing they had.
    decision, earlier = RoutingDecision.objects.filter(ticket_id=ticket["id"]).order_by("-at")
    assert (decision.agent, decision.at, decision.rule_name) == (second, later, "API Issues")
    assert earlier.agent == first
    assert reopened.body["routing"]["reason"] is None  # the customer's answer (issue 18 item 6)
    assert as_alice.get(f"/tickets/{ticket['id']}").body["routing"]["reason"] == decision.reason


def test_fallback_notices_go_to_owners_and_managers(
    as_alice: ApiClient,
    alice: Any,
    manager: Any,
    reviewer: Any,
    program: Program,
    standard_rules: Any,
) -> None:
    generalist = program.agent("fund", name="Generalist")
    ticket = open_ticket(as_alice, program.customer(), subject="Webhook down", tags=["webhook"])
    assert ticket["routing"]["fallback"] == "base_track_and_notify"
    notices = Notification.objects.filter(kind="routing_fallback")
    assert {n.user_id for n in notices} == {alice.id, manager.id}
    assert all("Webhook down" in n.text and ticket["routing"]["reason"] in n.text for n in notices)
    assert not Notification.objects.filter(user=generalist, kind="routing_fallback").exists()
    assert not Notification.objects.filter(user=reviewer).exists()


def test_security_rules_also_tell_the_security_staff(
    as_alice: ApiClient, alice: Any, security_officer: Any, program: Program, standard_rules: Any
) -> None:
    specialist = program.agent("fund", "sec", name="Sec")
    ticket = open_ticket(as_alice, program.customer(), tags=["compromised"])
    assert ticket["assigned_agent_id"] == str(specialist.id)
    assert ticket["status"] == "open"  # the agent works it; security staff are told
    notices = Notification.objects.filter(kind="routing_security")
    assert [n.user_id for n in notices] == [security_officer.id]
    assert RoutingDecision.objects.get(ticket_id=ticket["id"]).escalate_to_security
    assert not Notification.objects.filter(kind="routing_fallback").exists()


def test_without_security_staff_the_owners_hear_of_security_tickets(
    as_alice: ApiClient, alice: Any, program: Program, standard_rules: Any
) -> None:
    open_ticket(as_alice, program.customer(), tags=["security"])
    assert Notification.objects.filter(user=alice, kind="routing_security").exists()
    # Nobody holds Security & Compliance: the ticket waits in the queue, which is a fallback.
    assert Notification.objects.filter(user=alice, kind="routing_fallback").exists()


def test_routing_takes_the_same_queries_for_thirty_agents(
    as_alice: ApiClient,
    program: Program,
    standard_rules: Any,
    django_assert_max_num_queries: Any,
) -> None:
    def count() -> int:
        customer = program.customer(agent=agents[0])
        with CaptureQueriesContext(connection) as queries:
            route_ticket(
                business=program.business,
                customer=customer,
                tags=["api"],
                priority="P2",
                suggested_escalation=None,
                now=clock.now(),
            )
        return len(queries)

    agents = [program.agent("fund", "adv", name="First")]
    few = count()
    for n in range(29):
        agent = program.agent("fund", "adv", name=f"Agent {n}")
        program.busy(agent, routed_ago=timedelta(minutes=n + 1))
    assert count() == few <= 12
    customer = program.customer()
    # The whole request: authentication, the ticket, its routing and its notices (34 today).
    with django_assert_max_num_queries(40):
        open_ticket(as_alice, customer, tags=["api"])
