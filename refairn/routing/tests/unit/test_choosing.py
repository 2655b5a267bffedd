from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.routing.domain import (
    BUSINESS_QUEUE,
    Candidate,
    Fallback,
    FallbackAction,
    Match,
    RequireMinCertifications,
    RequireTrack,
    RoutingDecision,
    Rule,
    TicketFacts,
    choose,
    rank,
    rank_highest_certified,
    route,
    skill_track_ids,
)

NOW = datetime(2026, 1, 15, 9, tzinfo=UTC)

API = Rule(
    "API",
    Match(tags_any=frozenset({"api"})),
    RequireTrack("adv"),
    Fallback(FallbackAction.BASE_TRACK_AND_NOTIFY, "fund"),
)
BILLING = Rule(
    "Billing",
    Match(tags_any=frozenset({"billing"})),
    RequireTrack("bill"),
    Fallback(FallbackAction.FLAG_FOR_REVIEW),
)
URGENT = Rule(
    "Urgent",
    Match(priorities=frozenset({"P1"})),
    RequireMinCertifications(3),
    Fallback(FallbackAction.ROUTE_TO_MANAGER),
)
SECURITY = Rule(
    "Security", Match(tags_any=frozenset({"security"})), RequireTrack("sec"), None, True
)
RULES = [API, BILLING, URGENT, SECURITY]


def agent(agent_id, tracks, workload=0, routed_ago=None, eligible=True):
    routed = None if routed_ago is None else NOW - timedelta(hours=routed_ago)
    return Candidate(agent_id, frozenset(tracks), eligible, workload, routed)


NAMES = {"fund": "Product Fundamentals", "adv": "Advanced Troubleshooting"}


def pick(rule, candidates, preferred=None, tags=()):
    return choose(
        rule,
        candidates,
        preferred_agent_id=preferred,
        ticket_tags=frozenset(tags),
        rules=RULES,
        track_names=NAMES,
    )


def test_the_customers_assigned_agent_is_preferred_when_in_the_pool() -> None:
    team = [agent("ann", {"adv"}, workload=0), agent("own", {"adv"}, workload=9)]
    decision = pick(API, team, preferred="own", tags={"api"})
    assert decision == RoutingDecision(
        agent_id="own",
        rule_name="API",
        pool_size=2,
        fallback_used=None,
        notify_managers=False,
        flag_for_review=False,
        route_to_manager=False,
        escalate_to_security=False,
        reason="rule 'API': the customer's assigned agent, from a pool of 2",
    )


def test_an_ineligible_assigned_agent_is_not_chosen() -> None:
    team = [agent("ann", {"adv"}, workload=5), agent("own", {"adv"}, eligible=False)]
    decision = pick(API, team, preferred="own")
    assert (decision.agent_id, decision.pool_size) == ("ann", 1)


def test_an_assigned_agent_without_the_required_track_is_not_chosen() -> None:
    team = [agent("ann", {"adv"}, workload=5), agent("own", {"fund"})]
    assert pick(API, team, preferred="own").agent_id == "ann"


def test_skill_match_beats_workload() -> None:
    team = [agent("ann", {"adv"}, workload=0), agent("bea", {"adv", "bill"}, workload=7)]
    assert pick(API, team, tags={"api", "billing"}).agent_id == "bea"
    assert pick(API, team, tags={"api"}).agent_id == "ann"


def test_lowest_workload_wins_between_equal_skill() -> None:
    team = [agent("ann", {"adv"}, workload=3, routed_ago=99), agent("bea", {"adv"}, workload=2)]
    assert pick(API, team).agent_id == "bea"


def test_least_recently_routed_wins_a_workload_tie_and_never_routed_comes_first() -> None:
    team = [
        agent("ann", {"adv"}, workload=2, routed_ago=1),
        agent("bea", {"adv"}, workload=2, routed_ago=5),
    ]
    assert pick(API, team).agent_id == "bea"
    assert pick(API, [*team, agent("cid", {"adv"}, workload=2)]).agent_id == "cid"


def test_agent_id_breaks_a_full_tie() -> None:
    team = [agent("bea", {"adv"}, routed_ago=2), agent("ann", {"adv"}, routed_ago=2)]
    assert [c.agent_id for c in rank(team, frozenset({"adv"}))] == ["ann", "bea"]


def test_skill_tracks_are_the_rules_track_and_those_of_rules_sharing_a_tag() -> None:
    assert skill_track_ids(RULES, API, frozenset({"API", "Security"})) == {"adv", "sec"}
    assert skill_track_ids(RULES, URGENT, frozenset({"billing"})) == {"bill"}
    assert skill_track_ids(RULES, URGENT, frozenset()) == frozenset()
    assert skill_track_ids(RULES, None, frozenset({"api"})) == {"adv"}


def test_base_track_fallback_routes_to_base_agents_and_notifies() -> None:
    team = [
        agent("ann", {"fund"}, workload=4),
        agent("bea", {"fund"}, workload=1),
        agent("cid", {"sec"}),
    ]
    decision = pick(API, team, tags={"api"})
    assert decision == RoutingDecision(
        agent_id="bea",
        rule_name="API",
        pool_size=2,
        fallback_used="base_track_and_notify",
        notify_managers=True,
        flag_for_review=False,
        route_to_manager=False,
        escalate_to_security=False,
        reason=(
            "rule 'API' had no eligible agent certified in Advanced Troubleshooting; fallback "
            "base_track_and_notify with base track 'Product Fundamentals': best of 2 by skill "
            "match (0), workload (1) and last routing"
        ),
    )


def test_an_empty_fallback_pool_leaves_the_ticket_in_the_queue() -> None:
    decision = pick(API, [agent("cid", {"sec"}), agent("own", {"adv", "fund"}, eligible=False)])
    assert (decision.agent_id, decision.pool_size, decision.fallback_used) == (
        None,
        0,
        "base_track_and_notify",
    )
    assert decision.notify_managers


def test_flag_for_review_without_base_track_uses_any_eligible_agent() -> None:
    decision = pick(BILLING, [agent("ann", {"sec"}, workload=2), agent("bea", set(), workload=1)])
    assert (decision.agent_id, decision.pool_size, decision.fallback_used) == (
        "bea",
        2,
        "flag_for_review",
    )
    assert decision.flag_for_review
    assert not decision.notify_managers


def test_route_to_manager_without_base_track_assigns_no_agent() -> None:
    decision = pick(URGENT, [agent("ann", {"fund", "sec"})])
    assert (decision.agent_id, decision.pool_size, decision.fallback_used) == (
        None,
        0,
        "route_to_manager",
    )
    assert decision.route_to_manager and decision.notify_managers
    assert (
        decision.reason == "rule 'Urgent' had no eligible agent with 3 certifications; fallback "
        "route_to_manager: a manager takes the ticket"
    )


def test_a_rule_without_fallback_and_an_empty_pool_queues_and_still_escalates() -> None:
    decision = pick(SECURITY, [agent("ann", {"fund"})])
    assert (decision.agent_id, decision.fallback_used) == (None, BUSINESS_QUEUE)
    assert decision.notify_managers and decision.escalate_to_security


def test_no_matching_rule_routes_to_any_eligible_agent_by_workload() -> None:
    team = [
        agent("ann", {"fund"}, workload=3),
        agent("bea", set(), workload=1),
        agent("cid", set(), eligible=False),
    ]
    decision = route(
        RULES, TicketFacts(frozenset(), "standard", "P3"), team, preferred_agent_id=None
    )
    assert (decision.agent_id, decision.rule_name, decision.pool_size, decision.fallback_used) == (
        "bea",
        None,
        2,
        None,
    )
    assert decision.reason.startswith("no rule matched; any eligible agent: best of 2")


def test_no_matching_rule_still_prefers_the_assigned_agent() -> None:
    team = [agent("ann", set(), workload=0), agent("own", set(), workload=8)]
    decision = route(
        RULES, TicketFacts(frozenset(), "premium", "P4"), team, preferred_agent_id="own"
    )
    assert decision.agent_id == "own"


def test_nobody_eligible_queues_and_notifies() -> None:
    decision = pick(None, [agent("ann", {"fund"}, eligible=False)])
    assert decision.as_json() == {"rule": None, "pool_size": 0, "fallback": "business_queue"}
    assert decision.agent_id is None and decision.notify_managers


def test_candidate_rejects_naive_times_and_negative_workload() -> None:
    with pytest.raises(ValueError, match="aware"):
        Candidate("ann", frozenset(), True, 0, datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="negative"):
        Candidate("ann", frozenset(), True, -1)


def test_the_decision_does_not_depend_on_candidate_order() -> None:
    team = [
        agent("ann", {"adv"}, workload=1, routed_ago=3),
        agent("bea", {"adv"}, workload=1, routed_ago=3),
        agent("cid", {"adv"}, workload=1),
    ]
    assert {pick(API, list(order)).agent_id for order in permutations(team)} == {"cid"}


candidates = st.lists(
    st.builds(
        agent,
        agent_id=st.sampled_from(["a", "b", "c", "d", "e", "f"]),
        tracks=st.frozensets(st.sampled_from(["fund", "adv", "bill", "sec"])),
        workload=st.integers(0, 4),
        routed_ago=st.none() | st.integers(0, 3),
        eligible=st.booleans(),
    ),
    unique_by=lambda c: c.agent_id,
    max_size=6,
)


@given(
    candidates,
    st.sampled_from([API, BILLING, URGENT, SECURITY, None]),
    st.none() | st.sampled_from(["a", "b"]),
    st.randoms(use_true_random=False),
)
def test_the_chosen_agent_is_eligible_and_order_does_not_matter(team, rule, preferred, rnd) -> None:
    decision = pick(rule, team, preferred=preferred, tags={"api"})
    shuffled = list(team)
    rnd.shuffle(shuffled)
    assert pick(rule, shuffled, preferred=preferred, tags={"api"}) == decision
    if decision.agent_id is not None:
        chosen = next(c for c in team if c.agent_id == decision.agent_id)
        assert chosen.eligible
        if decision.fallback_used is None and rule is not None:
            assert rule.require.met_by(chosen.certified_track_ids)
    else:
        assert decision.notify_managers


VIP = Rule(
    "VIP",
    Match(tiers=frozenset({"enterprise"})),
    RequireTrack("cs"),
    Fallback(FallbackAction.HIGHEST_CERTIFIED),
)


def test_the_vip_fallback_picks_the_highest_certified_agent_over_the_least_busy() -> None:
    team = [
        agent("ann", {"fund"}, workload=0),
        agent("bea", {"fund", "adv", "bill"}, workload=5),
        agent("cid", {"fund", "adv"}, workload=1),
        agent("dee", {"fund", "adv", "bill", "sec", "cs"}, eligible=False),
    ]
    decision = choose(
        VIP,
        team,
        preferred_agent_id=None,
        ticket_tags=frozenset(),
        rules=[*RULES, VIP],
        track_names={"cs": "Customer Success"},
    )
    assert (decision.agent_id, decision.pool_size, decision.fallback_used) == (
        "bea",
        3,
        "highest_certified",
    )
    assert decision.notify_managers and not decision.flag_for_review
    assert decision.reason == (
        "rule 'VIP' had no eligible agent certified in Customer Success; fallback "
        "highest_certified: highest-certified of 3: skill match (0), "
        "3 certifications, workload (5)"
    )


def test_highest_certified_counts_the_tickets_tracks_first_then_workload_breaks_ties() -> None:
    team = [
        agent("ann", {"fund", "adv", "bill", "sec"}, workload=0),
        agent("bea", {"fund", "bill"}, workload=3),
        agent("cid", {"fund", "bill"}, workload=1),
    ]
    # Tagged "billing": the Billing rule's track counts first, so two-track Billing agents
    # beat a four-track one only if they hold it and she does not; here all three hold it.
    ranked = [c.agent_id for c in rank_highest_certified(team, frozenset({"bill"}))]
    assert ranked == ["ann", "cid", "bea"]
    ranked = [c.agent_id for c in rank_highest_certified(team, frozenset({"cs"}))]
    assert ranked == ["ann", "cid", "bea"]
