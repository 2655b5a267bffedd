"""PUT/GET /businesses/{b}/routing-rules and POST .../routing-rules/template."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.routing.models import RoutingRuleSet
from refairn.routing.tests.conftest import TRACKS, Program
from refairn.training.models import Track
from tests.support import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


def path(business: Any) -> str:
    return f"/businesses/{business.id}/routing-rules"


def api_rule(program: Program, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "API Issues",
        "match": {"tags_any": ["Webhook", "api"]},
        "require": {"track_id": program.track_ids["adv"]},
        "fallback": {"action": "base_track_and_notify", "base_track_id": program.track_ids["fund"]},
        **overrides,
    }


# PUT


def test_owner_replaces_the_rules_and_gets_them_normalized(
    as_alice: ApiClient, alice: Any, program: Program
) -> None:
    catch_all = {"name": "Everything else", "require": {"min_certifications": 2}}
    response = as_alice.put(path(program.business), [api_rule(program), catch_all])
    assert response.status_code == 200, response.body
    normalized: list[dict[str, Any]] = [
        {
            "name": "API Issues",
            "match": {
                "tags_any": ["api", "webhook"],
                "tiers": [],
                "priorities": [],
                "escalation_flag": None,
            },
            "require": {"track_id": program.track_ids["adv"]},
            "fallback": {
                "action": "base_track_and_notify",
                "base_track_id": program.track_ids["fund"],
            },
            "escalate_to_security": False,
        },
        {
            "name": "Everything else",
            "match": {"tags_any": [], "tiers": [], "priorities": [], "escalation_flag": None},
            "require": {"min_certifications": 2},
            "fallback": None,
            "escalate_to_security": False,
        },
    ]
    assert response.body == normalized
    stored = RoutingRuleSet.objects.get(business=program.business)
    assert stored.rules == response.body
    assert stored.updated_by == alice
    assert as_alice.get(path(program.business)).body == response.body


def test_a_manager_edits_the_rules_and_an_empty_list_removes_them(
    as_manager: ApiClient, program: Program
) -> None:
    assert as_manager.put(path(program.business), [api_rule(program)]).status_code == 200
    response = as_manager.put(path(program.business), [])
    assert response.status_code == 200, response.body
    assert response.body == []
    assert RoutingRuleSet.objects.get(business=program.business).rules == []


@pytest.mark.parametrize(
    ("rules", "paths"),
    [
        ([{"require": {"track_id": "no-such-track"}, "name": "X"}], ["rules[0].require.track_id"]),
        ([{}], ["rules[0]"]),
        (
            [{"name": "X", "require": {"min_certifications": 1}, "fallback": {"action": "panic"}}],
            ["rules[0].fallback.action"],
        ),
        (
            [
                {
                    "name": "X",
                    "require": {"min_certifications": 1},
                    "fallback": {"action": "base_track_and_notify"},
                }
            ],
            ["rules[0].fallback.base_track_id"],
        ),
        (
            [
                {"name": "First", "require": {"min_certifications": 1}},
                {"name": "first", "match": {"tiers": ["gold"]}, "require": {}},
            ],
            [
                "rules[0].match",
                "rules[1].name",
                "rules[1].match.tiers[0]",
                "rules[1].require",
            ],
        ),
        (
            [{"name": "X", "require": {"min_certifications": 7}}],
            ["rules[0].require.min_certifications"],
        ),
        (
            [{"name": "X", "tag_any": ["api"], "require": {"min_certifications": 1}}],
            ["rules[0].tag_any"],
        ),
    ],
    ids=[
        "unknown-track",
        "empty-rule",
        "bad-fallback",
        "fallback-without-base",
        "several",
        "too-many-certifications",
        "unknown-field",
    ],
)
def test_invalid_rules_name_each_path_and_write_nothing(
    as_alice: ApiClient, program: Program, rules: list[Any], paths: list[str]
) -> None:
    as_alice.put(path(program.business), [api_rule(program)])
    response = as_alice.put(path(program.business), rules)
    assert_problem(response, 422, "invalid_routing_rules")
    assert sorted(e["field"] for e in response.body["errors"]) == sorted(paths)
    assert RoutingRuleSet.objects.get(business=program.business).rules[0]["name"] == "API Issues"


@pytest.mark.parametrize("body", [{"name": "X"}, ["not a rule"], "[", None])
def test_a_body_that_is_not_a_list_of_rules_is_rejected(
    as_alice: ApiClient, program: Program, body: Any
) -> None:
    response = as_alice.call("PUT", path(program.business), body)
    assert response.status_code in {400, 422}, response.body
    assert not RoutingRuleSet.objects.exists()


def test_a_track_of_another_business_is_unknown(
    as_alice: ApiClient, program: Program, business_b: Any
) -> None:
    theirs = Track.objects.create(
        business=business_b,
        name="Theirs",
        requirement="required",
        passing_score=80,
        recertification_months=12,
        badge_name="B",
        question_count=10,
        time_limit_minutes=30,
    )
    response = as_alice.put(
        path(program.business), [api_rule(program, require={"track_id": str(theirs.id)})]
    )
    assert_problem(response, 422, "invalid_routing_rules")
    assert not RoutingRuleSet.objects.exists()


def test_agents_and_reviewers_may_not_edit_the_rules(
    as_bob: ApiClient, as_reviewer: ApiClient, program: Program
) -> None:
    assert_problem(as_bob.put(path(program.business), [api_rule(program)]), 403, "forbidden")
    assert_problem(as_reviewer.put(path(program.business), [api_rule(program)]), 403, "forbidden")
    assert not RoutingRuleSet.objects.exists()


def test_another_business_cannot_edit_the_rules(as_charlie: ApiClient, program: Program) -> None:
    assert_problem(as_charlie.put(path(program.business), [api_rule(program)]), 404, "not_found")
    assert not RoutingRuleSet.objects.exists()


# GET


def test_every_staff_role_reads_the_rules(
    as_alice: ApiClient, as_reviewer: ApiClient, program: Program, standard_rules: Any
) -> None:
    body = as_reviewer.get(path(program.business)).body
    assert body == standard_rules
    assert len(body) == 7


def test_a_business_without_rules_has_none(as_alice: ApiClient, business_a: Any) -> None:
    response = as_alice.get(path(business_a))
    assert response.status_code == 200, response.body
    assert response.body == []


def test_agents_may_not_read_the_rules(as_bob: ApiClient, program: Program) -> None:
    assert_problem(as_bob.get(path(program.business)), 403, "forbidden")


def test_another_business_cannot_read_the_rules(
    as_charlie: ApiClient, program: Program, standard_rules: Any
) -> None:
    assert_problem(as_charlie.get(path(program.business)), 404, "not_found")
    assert_problem(as_charlie.get("/businesses/not-an-id/routing-rules"), 404, "not_found")


# POST template


def test_the_template_gives_the_seed_rules_over_the_business_tracks(
    as_alice: ApiClient, program: Program
) -> None:
    as_alice.put(path(program.business), [api_rule(program, name="Old rule")])
    response = as_alice.post(f"{path(program.business)}/template", {"template": "support-standard"})
    assert response.status_code == 200, response.body
    ids = program.track_ids
    assert [(r["name"], r["require"], r["escalate_to_security"]) for r in response.body] == [
        ("API Issues", {"track_id": ids["adv"]}, False),
        ("Billing Issues", {"track_id": ids["bill"]}, False),
        ("VIP Customer Tickets", {"track_id": ids["cs"]}, False),
        ("Security Issues", {"track_id": ids["sec"]}, True),
        ("Escalation Tickets: P1", {"min_certifications": 3}, False),
        ("Escalation Tickets: needs escalation", {"min_certifications": 3}, False),
        ("Standard Tickets", {"track_id": ids["fund"]}, False),
    ]
    assert response.body[0]["fallback"] == {
        "action": "base_track_and_notify",
        "base_track_id": ids["fund"],
    }
    assert RoutingRuleSet.objects.get(business=program.business).rules == response.body


def test_the_template_needs_the_support_standard_tracks(
    as_alice: ApiClient, program: Program
) -> None:
    Track.objects.filter(pk=program.track_ids["bill"]).update(name="Billing")
    Track.objects.filter(pk=program.track_ids["cs"]).update(name="Success")
    response = as_alice.post(f"{path(program.business)}/template", {"template": "support-standard"})
    assert_problem(response, 409, "tracks_missing")
    assert response.body["missing_tracks"] == [TRACKS["bill"], TRACKS["cs"]]
    assert not RoutingRuleSet.objects.exists()


def test_a_business_without_tracks_cannot_use_the_template(
    as_alice: ApiClient, business_a: Any
) -> None:
    response = as_alice.post(f"{path(business_a)}/template", {"template": "support-standard"})
    assert_problem(response, 409, "tracks_missing")
    assert len(response.body["missing_tracks"]) == 5
    assert not RoutingRuleSet.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"template": "enterprise-gold"}, "unknown_template"),
        ({"template": ""}, "validation_error"),
        ({}, "validation_error"),
        ({"template": "support-standard", "replace": True}, "validation_error"),
    ],
)
def test_an_unknown_template_is_rejected(
    as_alice: ApiClient, program: Program, body: Any, code: str
) -> None:
    response = as_alice.post(f"{path(program.business)}/template", body)
    assert_problem(response, 422, code)
    assert not RoutingRuleSet.objects.exists()


def test_agents_and_reviewers_may_not_apply_the_template(
    as_bob: ApiClient, as_reviewer: ApiClient, program: Program
) -> None:
    body = {"template": "support-standard"}
    assert_problem(as_bob.post(f"{path(program.business)}/template", body), 403, "forbidden")
    assert_problem(as_reviewer.post(f"{path(program.business)}/template", body), 403, "forbidden")
    assert not RoutingRuleSet.objects.exists()


def test_another_business_cannot_apply_the_template(
    as_charlie: ApiClient, program: Program
) -> None:
    response = as_charlie.post(
        f"{path(program.business)}/template", {"template": "support-standard"}
    )
    assert_problem(response, 404, "not_found")
    assert not RoutingRuleSet.objects.exists()
