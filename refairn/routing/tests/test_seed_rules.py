"""The third seed's six routing rules (issue 6), applied through the API over the
``support-standard`` tracks: each with an eligible pool, an empty pool (its fallback), an
unavailable preferred agent, and a workload tie."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from refairn.notifications.models import Notification
from refairn.routing.models import RoutingDecision
from refairn.routing.tests.conftest import Program
from refairn.support.tests.conftest import open_ticket
from tests.support import ApiClient

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Seed:
    rule: str
    # Certifications that meet the rule's requirement.
    specialist: tuple[str, ...]
    fallback: str
    # Who the fallback routes to: the Fundamentals-only generalist, or nobody (the queue).
    fallback_to_generalist: bool
    ticket: dict[str, Any] = field(default_factory=dict)
    tier: str = "standard"


REFUND = {"subject": "Refund please", "body": "I'd like my money back."}
SEEDS = [
    pytest.param(
        Seed("API Issues", ("fund", "adv"), "base_track_and_notify", True, {"tags": ["api"]}),
        id="1-api",
    ),
    pytest.param(
        Seed("Billing Issues", ("fund", "bill"), "flag_for_review", True, {"tags": ["invoice"]}),
        id="2-billing",
    ),
    pytest.param(
        Seed(
            "VIP Customer Tickets",
            ("fund", "cs"),
            "highest_certified",
            True,
            {},
            "strategic",
        ),
        id="3-vip",
    ),
    pytest.param(
        Seed(
            "Security Issues",
            ("fund", "sec"),
            "business_queue",
            False,
            {"tags": ["phishing"], "priority": "P2"},
        ),
        id="4-security",
    ),
    pytest.param(
        Seed(
            "Escalation Tickets: P1",
            ("fund", "sec", "deesc"),
            "route_to_manager",
            True,
            {"priority": "P1"},
        ),
        id="5-p1",
    ),
    pytest.param(
        Seed(
            "Escalation Tickets: needs escalation",
            ("fund", "adv", "cs"),
            "route_to_manager",
            True,
            REFUND,
        ),
        id="5-needs-escalation",
    ),
    pytest.param(
        Seed("Standard Tickets", ("fund",), "business_queue", False, {"priority": "P4"}),
        id="6-standard",
    ),
]


def routed(client: ApiClient, program: Program, seed: Seed, **customer: Any) -> dict[str, Any]:
    ticket = open_ticket(client, program.customer(tier=seed.tier, **customer), **seed.ticket)
    decision = RoutingDecision.objects.get(ticket_id=ticket["id"])
    assert decision.rule_name == ticket["routing"]["rule"] == seed.rule
    assert decision.reason == ticket["routing"]["reason"]
    assert decision.pool_size == ticket["routing"]["pool_size"]
    assert decision.fallback_used == ticket["routing"]["fallback"]
    assert (str(decision.agent_id) if decision.agent_id else None) == ticket["assigned_agent_id"]
    return ticket


def generalist(program: Program, seed: Seed) -> Any:
    """An agent holding only the support track. Every eligible agent meets the standard rule,
    so there the bystander is suspended: that rule's pool is empty only when nobody is
    eligible."""
    return program.agent("fund", name="Gene", eligible=seed.rule != "Standard Tickets")


@pytest.mark.parametrize("seed", SEEDS)
def test_a_seed_rule_routes_to_its_certified_pool(
    as_alice: ApiClient, program: Program, standard_rules: Any, seed: Seed
) -> None:
    generalist(program, seed)
    specialist = program.agent(*seed.specialist, name="Spec")
    ticket = routed(as_alice, program, seed)
    assert ticket["assigned_agent_id"] == str(specialist.id)
    assert ticket["routing"]["pool_size"] == 1
    assert ticket["routing"]["fallback"] is None
    assert ticket["routing"]["reason"].startswith(f"rule {seed.rule!r}: best of 1")
    assert RoutingDecision.objects.get(ticket_id=ticket["id"]).by_certification
    assert not Notification.objects.filter(kind="routing_fallback").exists()


@pytest.mark.parametrize("seed", SEEDS)
def test_a_seed_rule_with_an_empty_pool_falls_back(
    as_alice: ApiClient, alice: Any, program: Program, standard_rules: Any, seed: Seed
) -> None:
    gene = generalist(program, seed)
    ticket = routed(as_alice, program, seed)
    decision = RoutingDecision.objects.get(ticket_id=ticket["id"])
    assert ticket["routing"]["fallback"] == seed.fallback
    assert not decision.by_certification
    if seed.fallback_to_generalist:
        assert ticket["assigned_agent_id"] == str(gene.id)
        assert ticket["routing"]["pool_size"] == 1
    else:
        assert ticket["assigned_agent_id"] is None
        assert ticket["routing"]["pool_size"] == 0
        assert ticket["routing"]["reason"].endswith("left in the business queue")
    assert decision.flag_for_review == (seed.fallback == "flag_for_review")
    assert decision.route_to_manager == (seed.fallback == "route_to_manager")
    # Flagging for specialist review is the one fallback that sends no notice.
    told = Notification.objects.filter(user=alice, kind="routing_fallback")
    assert told.exists() == (seed.fallback != "flag_for_review")


@pytest.mark.parametrize("seed", SEEDS)
def test_an_unavailable_preferred_agent_is_passed_over(
    as_alice: ApiClient, program: Program, standard_rules: Any, seed: Seed
) -> None:
    preferred = program.agent(*seed.specialist, name="Preferred")
    other = program.agent(*seed.specialist, name="Other")
    # With more work, the assigned agent would still win while available.
    program.busy(preferred, tickets=2)
    available = routed(as_alice, program, seed, agent=preferred)
    assert available["assigned_agent_id"] == str(preferred.id)
    assert "the customer's assigned agent" in available["routing"]["reason"]

    program.away(preferred)
    ticket = routed(as_alice, program, seed, agent=preferred)
    assert ticket["assigned_agent_id"] == str(other.id)
    assert ticket["routing"]["pool_size"] == 1
    assert ticket["routing"]["fallback"] is None
    assert "assigned agent" not in ticket["routing"]["reason"]


@pytest.mark.parametrize("seed", SEEDS)
def test_a_workload_tie_goes_to_the_least_recently_routed(
    as_alice: ApiClient, program: Program, standard_rules: Any, seed: Seed
) -> None:
    recent = program.agent(*seed.specialist, name="Recent")
    earlier = program.agent(*seed.specialist, name="Earlier")
    program.busy(recent, routed_ago=timedelta(hours=1))
    program.busy(earlier, routed_ago=timedelta(hours=5))
    ticket = routed(as_alice, program, seed)
    assert ticket["assigned_agent_id"] == str(earlier.id)
    assert ticket["routing"]["pool_size"] == 2
    assert ticket["routing"]["reason"] == (
        f"rule {seed.rule!r}: best of 2 by skill match "
        f"({len(set(seed.specialist) & _skills(seed))}), workload (1) and last routing"
    )


def _skills(seed: Seed) -> set[str]:
    """The seed rules' tracks that count toward skill match for these tickets: the matched
    rule's own required track (none for a number of certifications)."""
    return {
        "API Issues": {"adv"},
        "Billing Issues": {"bill"},
        "VIP Customer Tickets": {"cs"},
        "Security Issues": {"sec"},
        "Standard Tickets": {"fund"},
    }.get(seed.rule, set())


@pytest.mark.parametrize("seed", SEEDS)
def test_lower_workload_beats_a_less_recent_routing(
    as_alice: ApiClient, program: Program, standard_rules: Any, seed: Seed
) -> None:
    idle = program.agent(*seed.specialist, name="Idle")
    loaded = program.agent(*seed.specialist, name="Loaded")
    program.busy(idle, tickets=1, routed_ago=timedelta(minutes=5))
    program.busy(loaded, tickets=2, routed_ago=timedelta(days=2))
    assert routed(as_alice, program, seed)["assigned_agent_id"] == str(idle.id)
