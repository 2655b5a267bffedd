import pytest

from refairn.routing.domain import (
    Match,
    RequireMinCertifications,
    RequireTrack,
    Rule,
    TicketFacts,
    first_matching,
)


def facts(tags=(), tier="standard", priority="P3", escalation_flag=False):
    return TicketFacts(frozenset(tags), tier, priority, escalation_flag)


API = Rule("API", Match(tags_any=frozenset({"API", "webhook"})), RequireTrack("adv"))
VIP = Rule("VIP", Match(tiers=frozenset({"enterprise", "strategic"})), RequireTrack("cs"))
URGENT_API = Rule(
    "Urgent API",
    Match(tags_any=frozenset({"api"}), priorities=frozenset({"P1"})),
    RequireMinCertifications(3),
)
FLAGGED = Rule("Flagged", Match(escalation_flag=True), RequireMinCertifications(3))
REST = Rule("Rest", Match(), RequireTrack("fund"))


def test_the_first_matching_rule_decides() -> None:
    ticket = facts(tags={"api"}, tier="enterprise")
    assert first_matching([API, VIP], ticket) is API
    assert first_matching([VIP, API], ticket) is VIP


def test_tags_match_any_of_and_ignore_case() -> None:
    assert first_matching([API], facts(tags={" WebHook ", "other"})) is API
    assert first_matching([API], facts(tags={"billing"})) is None
    assert first_matching([API], facts()) is None


def test_every_criterion_a_rule_sets_must_match() -> None:
    assert first_matching([URGENT_API], facts(tags={"api"}, priority="P1")) is URGENT_API
    assert first_matching([URGENT_API], facts(tags={"api"}, priority="P2")) is None
    assert first_matching([URGENT_API], facts(tags={"billing"}, priority="P1")) is None


def test_escalation_flag_must_equal_when_set() -> None:
    assert first_matching([FLAGGED], facts(escalation_flag=True)) is FLAGGED
    assert first_matching([FLAGGED], facts(escalation_flag=False)) is None
    not_flagged = Rule("Calm", Match(escalation_flag=False), RequireTrack("fund"))
    assert first_matching([not_flagged], facts(escalation_flag=False)) is not_flagged
    assert first_matching([not_flagged], facts(escalation_flag=True)) is None


def test_a_rule_without_criteria_matches_every_ticket() -> None:
    assert first_matching([API, REST], facts(tags={"billing"}, priority="P1")) is REST


def test_no_matching_rule_gives_none() -> None:
    assert first_matching([API, VIP], facts(tier="premium")) is None
    assert first_matching([], facts()) is None


def test_ticket_facts_normalize_tags_and_reject_unknown_values() -> None:
    assert facts(tags={" API", "api"}).tags == frozenset({"api"})
    with pytest.raises(ValueError, match="tier"):
        facts(tier="gold")
    with pytest.raises(ValueError, match="priority"):
        facts(priority="P0")
