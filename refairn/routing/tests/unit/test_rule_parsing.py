import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.routing.domain import (
    PRIORITIES,
    TIERS,
    Fallback,
    FallbackAction,
    Match,
    RequireMinCertifications,
    RequireTrack,
    RoutingRuleError,
    Rule,
    parse_rules,
    rules_to_json,
)

TRACKS = {"fund", "adv", "bill", "sec"}


def rule(name="API", **overrides):
    raw = {
        "name": name,
        "match": {"tags_any": ["api"]},
        "require": {"track_id": "adv"},
        "fallback": {"action": "base_track_and_notify", "base_track_id": "fund"},
    }
    raw.update(overrides)
    return raw


def errors_of(raw, known=TRACKS):
    with pytest.raises(RoutingRuleError) as caught:
        parse_rules(raw, known_track_ids=known)
    assert caught.value.code == "invalid_routing_rules"
    return caught.value.errors


def test_parses_a_rule_into_the_model() -> None:
    raw = [
        {
            "name": " VIP ",
            "match": {
                "tags_any": ["API", " Webhook"],
                "tiers": ["enterprise"],
                "priorities": ["P1"],
            },
            "require": {"min_certifications": 3},
            "fallback": {"action": "route_to_manager", "base_track_id": None},
            "escalate_to_security": True,
        }
    ]
    assert parse_rules(raw, known_track_ids=TRACKS) == [
        Rule(
            name="VIP",
            match=Match(
                tags_any=frozenset({"api", "webhook"}),
                tiers=frozenset({"enterprise"}),
                priorities=frozenset({"P1"}),
            ),
            require=RequireMinCertifications(3),
            fallback=Fallback(FallbackAction.ROUTE_TO_MANAGER),
            escalate_to_security=True,
        )
    ]


def test_unknown_track_error_names_the_path() -> None:
    raw = [rule("a"), rule("b"), rule("c", require={"track_id": "nope"})]
    assert errors_of(raw) == {"rules[2].require.track_id": "unknown track 'nope'"}


def test_unknown_base_track_error_names_the_path() -> None:
    raw = [rule(fallback={"action": "flag_for_review", "base_track_id": "gone"})]
    assert errors_of(raw) == {"rules[0].fallback.base_track_id": "unknown track 'gone'"}


def test_every_error_is_reported_at_once() -> None:
    raw = [
        rule("Same", match={"tiers": ["gold"], "priorities": ["P5"], "escalation_flag": "yes"}),
        rule("same", require={"min_certifications": 0}),
        rule("c", fallback={"action": "base_track_and_notify"}, escalate_to_security="no"),
    ]
    assert errors_of(raw) == {
        "rules[0].match.tiers[0]": (
            "unknown tier 'gold'; one of standard, premium, enterprise, strategic"
        ),
        "rules[0].match.priorities[0]": "unknown priority 'P5'; one of P1, P2, P3, P4",
        "rules[0].match.escalation_flag": "must be true, false or null",
        "rules[1].name": "duplicates the name at rules[0].name",
        "rules[1].require.min_certifications": "must be a whole number of at least 1",
        "rules[2].fallback.base_track_id": "required for base_track_and_notify",
        "rules[2].escalate_to_security": "must be true or false",
    }


def test_an_empty_rule_object_is_an_error() -> None:
    assert errors_of([{}]) == {"rules[0]": "must not be empty"}


def test_a_rule_must_be_an_object() -> None:
    assert errors_of(["API"]) == {"rules[0]": "must be an object"}


def test_rules_must_be_a_list() -> None:
    assert errors_of({"name": "API"}) == {"rules": "must be a list of rules"}


def test_at_most_a_hundred_rules() -> None:
    raw = [rule(f"r{i}") for i in range(101)]
    assert errors_of(raw) == {"rules": "at most 100 rules"}


def test_name_is_required() -> None:
    raw = [rule(name="  ")]
    assert errors_of(raw) == {"rules[0].name": "required: a non-empty string"}


def test_a_rule_without_criteria_is_allowed_as_the_last_rule() -> None:
    rules = parse_rules(
        [rule("API"), {"name": "Rest", "require": {"track_id": "fund"}}],
        known_track_ids=TRACKS,
    )
    assert rules[1].match == Match()
    assert rules[1].match.is_catch_all


def test_a_rule_without_criteria_before_the_last_is_an_error() -> None:
    raw = [rule("Rest", match={"tags_any": [], "escalation_flag": None}), rule("API")]
    assert errors_of(raw) == {
        "rules[0].match": (
            "a rule without match criteria matches every ticket, so only the last rule may have "
            "none"
        )
    }


def test_unknown_fields_are_errors() -> None:
    raw = [rule(match={"tag_any": ["api"]}, colour="red")]
    assert errors_of(raw) == {
        "rules[0].colour": "unknown field",
        "rules[0].match.tag_any": "unknown field",
    }


def test_require_needs_exactly_one_of_track_or_count() -> None:
    both = [rule(require={"track_id": "adv", "min_certifications": 2})]
    neither = [rule(require={})]
    missing = [rule(require=None)]
    message = 'give exactly one of "track_id" or "min_certifications"'
    assert errors_of(both) == {"rules[0].require": message}
    assert errors_of(neither) == {"rules[0].require": message}
    assert errors_of(missing) == {
        "rules[0].require": 'required: {"track_id"} or {"min_certifications"}'
    }


@pytest.mark.parametrize("count", [0, -1, True, 2.5, "3"])
def test_min_certifications_must_be_a_whole_number_of_at_least_one(count) -> None:
    raw = [rule(require={"min_certifications": count})]
    assert errors_of(raw) == {
        "rules[0].require.min_certifications": "must be a whole number of at least 1"
    }


def test_min_certifications_cannot_exceed_the_tracks() -> None:
    raw = [rule(require={"min_certifications": 5})]
    assert errors_of(raw) == {
        "rules[0].require.min_certifications": "cannot exceed the number of tracks (4)"
    }


def test_unknown_fallback_action_is_an_error() -> None:
    raw = [rule(fallback={"action": "escalate"})]
    assert errors_of(raw) == {
        "rules[0].fallback.action": (
            "must be one of base_track_and_notify, flag_for_review, route_to_manager, "
            "highest_certified"
        )
    }


def test_tags_must_be_non_empty_strings() -> None:
    raw = [rule(match={"tags_any": ["api", "", 3]})]
    assert errors_of(raw) == {
        "rules[0].match.tags_any[1]": "must be a non-empty string",
        "rules[0].match.tags_any[2]": "must be a non-empty string",
    }


def test_round_trip_gives_the_normalized_rules() -> None:
    raw = [
        {
            "name": " API Issues",
            "match": {"tags_any": ["Webhook", "API", "api"], "priorities": ["P3", "P1"]},
            "require": {"track_id": "adv"},
            "fallback": {"action": "base_track_and_notify", "base_track_id": "fund"},
        },
        {
            "name": "Rest",
            "match": {"tiers": ["strategic", "standard"], "escalation_flag": False},
            "require": {"min_certifications": 2},
            "escalate_to_security": True,
        },
    ]
    normalized = [
        {
            "name": "API Issues",
            "match": {
                "tags_any": ["api", "webhook"],
                "tiers": [],
                "priorities": ["P1", "P3"],
                "escalation_flag": None,
            },
            "require": {"track_id": "adv"},
            "fallback": {"action": "base_track_and_notify", "base_track_id": "fund"},
            "escalate_to_security": False,
        },
        {
            "name": "Rest",
            "match": {
                "tags_any": [],
                "tiers": ["standard", "strategic"],
                "priorities": [],
                "escalation_flag": False,
            },
            "require": {"min_certifications": 2},
            "fallback": None,
            "escalate_to_security": True,
        },
    ]
    assert rules_to_json(parse_rules(raw, known_track_ids=TRACKS)) == normalized
    assert rules_to_json(parse_rules(normalized, known_track_ids=TRACKS)) == normalized


def test_model_rejects_values_the_json_would_reject() -> None:
    with pytest.raises(ValueError, match="unknown tiers"):
        Match(tiers=frozenset({"gold"}))
    with pytest.raises(ValueError, match="at least 1"):
        RequireMinCertifications(0)
    with pytest.raises(ValueError, match="base_track_id"):
        Fallback(FallbackAction.BASE_TRACK_AND_NOTIFY)


tags = st.frozensets(st.sampled_from(["api", "billing", "security", "vip", "rate-limit"]))
matches = st.builds(
    Match,
    tags_any=tags,
    tiers=st.frozensets(st.sampled_from(TIERS)),
    priorities=st.frozensets(st.sampled_from(PRIORITIES)),
    escalation_flag=st.sampled_from([None, True, False]),
).filter(lambda m: not m.is_catch_all)
requirements = st.one_of(
    st.builds(RequireTrack, st.sampled_from(sorted(TRACKS))),
    st.builds(RequireMinCertifications, st.integers(1, len(TRACKS))),
)
fallbacks = st.one_of(
    st.none(),
    st.builds(
        Fallback, st.just(FallbackAction.BASE_TRACK_AND_NOTIFY), st.sampled_from(sorted(TRACKS))
    ),
    st.builds(
        Fallback,
        st.sampled_from([FallbackAction.FLAG_FOR_REVIEW, FallbackAction.ROUTE_TO_MANAGER]),
        st.none() | st.sampled_from(sorted(TRACKS)),
    ),
)


@st.composite
def rule_lists(draw):
    bodies = draw(st.lists(st.tuples(matches, requirements, fallbacks, st.booleans()), max_size=6))
    rules = [
        Rule(f"rule {i}", *body[:3], escalate_to_security=body[3]) for i, body in enumerate(bodies)
    ]
    if draw(st.booleans()):
        rules.append(Rule("catch-all", Match(), draw(requirements), draw(fallbacks)))
    return rules


@given(rule_lists())
def test_json_round_trip_preserves_any_valid_rules(rules) -> None:
    assert parse_rules(rules_to_json(rules), known_track_ids=TRACKS) == rules
