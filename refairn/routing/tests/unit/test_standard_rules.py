"""The third seed's six routing rules, end to end through ``route``."""

from datetime import UTC, datetime, timedelta

import pytest

from refairn.programs.domain import Tier
from refairn.routing.domain import (
    BUSINESS_QUEUE,
    PRIORITIES,
    ROUTED_TRACK_NAMES,
    TIERS,
    Candidate,
    TicketFacts,
    parse_rules,
    route,
    rules_to_json,
    support_standard_rules,
)
from refairn.training.standard_tracks import SUPPORT_STANDARD

NOW = datetime(2026, 1, 15, 9, tzinfo=UTC)
IDS = {
    "Product Fundamentals": "fund",
    "Advanced Troubleshooting": "adv",
    "Billing & Accounts": "bill",
    "Security & Compliance": "sec",
    "Customer Success": "cs",
    "De-escalation & Conflict Resolution": "deesc",
}
ALL_TRACKS = frozenset(IDS.values())
RULES = parse_rules(support_standard_rules(IDS), known_track_ids=set(ALL_TRACKS))


def agent(agent_id, tracks, workload=0, routed_ago=None, eligible=True):
    routed = None if routed_ago is None else NOW - timedelta(hours=routed_ago)
    return Candidate(agent_id, frozenset(tracks), eligible, workload, routed)


def facts(tags=(), tier="standard", priority="P3", escalation_flag=False):
    return TicketFacts(frozenset(tags), tier, priority, escalation_flag)


def routed(ticket, team, preferred=None):
    return route(RULES, ticket, team, preferred_agent_id=preferred)


# (ticket, rule it lands on, tracks that meet that rule's requirement)
SEED_TICKETS = [
    pytest.param(facts({"API"}), "API Issues", {"fund", "adv"}, id="1-api"),
    pytest.param(facts({"invoice"}), "Billing Issues", {"fund", "bill"}, id="2-billing"),
    pytest.param(facts(tier="enterprise"), "VIP Customer Tickets", {"fund", "cs"}, id="3-vip"),
    pytest.param(
        facts({"phishing"}, priority="P2"), "Security Issues", {"fund", "sec"}, id="4-sec"
    ),
    pytest.param(
        facts(priority="P1"), "Escalation Tickets: P1", {"fund", "sec", "deesc"}, id="5-p1"
    ),
    pytest.param(
        facts(tier="premium", escalation_flag=True),
        "Escalation Tickets: needs escalation",
        {"fund", "sec", "deesc"},
        id="5-flagged",
    ),
    pytest.param(facts(priority="P4"), "Standard Tickets", {"fund"}, id="6-standard"),
]


def test_the_seed_rules_in_order() -> None:
    assert [rule.name for rule in RULES] == [
        "API Issues",
        "Billing Issues",
        "VIP Customer Tickets",
        "Security Issues",
        "Escalation Tickets: P1",
        "Escalation Tickets: needs escalation",
        "Standard Tickets",
    ]
    assert [rule.name for rule in RULES if rule.escalate_to_security] == ["Security Issues"]


def test_the_api_rule_in_json() -> None:
    assert support_standard_rules(IDS)[0] == {
        "name": "API Issues",
        "match": {
            "tags_any": ["api", "integration", "rate-limit", "webhook"],
            "tiers": [],
            "priorities": [],
            "escalation_flag": None,
        },
        "require": {"track_id": "adv"},
        "fallback": {"action": "base_track_and_notify", "base_track_id": "fund"},
        "escalate_to_security": False,
    }


def test_the_seed_rules_are_already_normalized() -> None:
    assert rules_to_json(RULES) == support_standard_rules(IDS)


def test_the_seed_rules_need_their_tracks() -> None:
    with pytest.raises(ValueError, match="missing tracks: Billing & Accounts, Customer Success"):
        support_standard_rules(
            {k: v for k, v in IDS.items() if k not in {"Billing & Accounts", "Customer Success"}}
        )


def test_track_names_and_tiers_match_the_other_apps() -> None:
    template_names = {t.name for t in SUPPORT_STANDARD}
    assert template_names == set(IDS)
    assert set(ROUTED_TRACK_NAMES) < template_names
    assert tuple(tier.value for tier in Tier) == TIERS
    assert PRIORITIES == ("P1", "P2", "P3", "P4")


@pytest.mark.parametrize(("ticket", "rule_name", "qualifying"), SEED_TICKETS)
def test_a_seed_rule_routes_within_its_pool(ticket, rule_name, qualifying) -> None:
    # Ana meets the rule and is busy; Ben holds Fundamentals only and is free.
    team = [agent("ana", qualifying, workload=6), agent("ben", {"fund"}, workload=1)]
    decision = routed(ticket, team)
    expected = ("ben", 2) if rule_name == "Standard Tickets" else ("ana", 1)
    assert (decision.agent_id, decision.pool_size) == expected
    assert decision.rule_name == rule_name
    assert decision.fallback_used is None
    assert not (decision.notify_managers or decision.flag_for_review or decision.route_to_manager)
    assert decision.escalate_to_security == (rule_name == "Security Issues")


# (ticket, fallback, notify, flag, manager); Rule 4 and 6 have no fallback.
SEED_FALLBACKS = [
    pytest.param(facts({"webhook"}), "base_track_and_notify", True, False, False, id="1-api"),
    pytest.param(facts({"refund"}), "flag_for_review", False, True, False, id="2-billing"),
    pytest.param(facts(tier="strategic"), "highest_certified", True, False, False, id="3-vip"),
    pytest.param(facts(priority="P1"), "route_to_manager", True, False, True, id="5-p1"),
    pytest.param(
        facts(escalation_flag=True), "route_to_manager", True, False, True, id="5-flagged"
    ),
]


@pytest.mark.parametrize(("ticket", "fallback", "notify", "flag", "manager"), SEED_FALLBACKS)
def test_a_seed_rule_falls_back_to_fundamentals_agents(ticket, fallback, notify, flag, manager):
    # The only agent certified in everything is unavailable.
    team = [
        agent("ben", {"fund"}, workload=1),
        agent("cal", {"fund"}, workload=0, routed_ago=1),
        agent("dee", ALL_TRACKS, eligible=False),
    ]
    decision = routed(ticket, team)
    assert (decision.agent_id, decision.pool_size, decision.fallback_used) == ("cal", 2, fallback)
    assert (decision.notify_managers, decision.flag_for_review, decision.route_to_manager) == (
        notify,
        flag,
        manager,
    )


def test_the_security_rule_without_a_pool_queues_and_escalates() -> None:
    team = [agent("ben", {"fund"}), agent("dee", ALL_TRACKS, eligible=False)]
    decision = routed(facts({"Breach"}), team)
    assert decision.as_json() == {
        "rule": "Security Issues",
        "pool_size": 0,
        "fallback": "business_queue",
    }
    assert decision.agent_id is None
    assert decision.notify_managers and decision.escalate_to_security


def test_the_standard_rule_without_a_pool_queues() -> None:
    team = [agent("eve", {"sec"}), agent("dee", ALL_TRACKS, eligible=False)]
    decision = routed(facts(priority="P2"), team)
    assert (decision.rule_name, decision.agent_id, decision.fallback_used) == (
        "Standard Tickets",
        None,
        BUSINESS_QUEUE,
    )
    assert decision.notify_managers


def test_a_fallback_without_fundamentals_agents_queues() -> None:
    decision = routed(facts({"api"}), [agent("eve", {"sec"})])
    assert (decision.agent_id, decision.pool_size, decision.fallback_used) == (
        None,
        0,
        "base_track_and_notify",
    )
    assert decision.notify_managers


@pytest.mark.parametrize(("ticket", "rule_name", "qualifying"), SEED_TICKETS)
def test_an_unavailable_assigned_agent_is_passed_over(ticket, rule_name, qualifying) -> None:
    team = [agent("own", ALL_TRACKS, eligible=False), agent("ana", qualifying, workload=9)]
    decision = routed(ticket, team, preferred="own")
    assert (decision.rule_name, decision.agent_id, decision.pool_size) == (rule_name, "ana", 1)
    back = [agent("own", ALL_TRACKS, workload=20), agent("ana", qualifying, workload=9)]
    assert routed(ticket, back, preferred="own").agent_id == "own"


@pytest.mark.parametrize(("ticket", "rule_name", "qualifying"), SEED_TICKETS)
def test_a_workload_tie_goes_to_the_least_recently_routed(ticket, rule_name, qualifying) -> None:
    team = [
        agent("xia", ALL_TRACKS, workload=2, routed_ago=1),
        agent("yan", ALL_TRACKS, workload=2, routed_ago=3),
        agent("zed", ALL_TRACKS, workload=3),
    ]
    decision = routed(ticket, team)
    assert (decision.rule_name, decision.agent_id, decision.pool_size) == (rule_name, "yan", 3)


def test_a_p1_api_ticket_follows_the_seed_order_to_the_api_rule() -> None:
    decision = routed(facts({"api"}, priority="P1"), [agent("ana", {"fund", "adv"})])
    assert (decision.rule_name, decision.agent_id) == ("API Issues", "ana")


def test_an_api_ticket_about_an_invoice_prefers_an_api_agent_who_knows_billing() -> None:
    team = [
        agent("ana", {"fund", "adv"}, workload=0),
        agent("bob", {"fund", "adv", "bill"}, workload=4),
        agent("cy", {"fund", "bill"}, workload=0),
    ]
    decision = routed(facts({"api", "invoice"}, priority="P2"), team)
    assert (decision.rule_name, decision.agent_id, decision.pool_size) == ("API Issues", "bob", 2)
    assert routed(facts({"api"}, priority="P2"), team).agent_id == "ana"
