"""The routing page: the JSON editor with errors naming the rule path, the support-standard
rules in one step, and the recent decisions (PRODUCT.md §7)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business
from refairn.routing.models import RoutingRuleSet
from refairn.routing.tests.conftest import Program
from refairn.support.tests.conftest import open_ticket, staff
from tests.support import ApiClient

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(business: Business, rest: str = "") -> str:
    return f"/b/{business.id}/routing/{rest}"


def test_saving_rules_from_the_editor(alice: User, program: Program) -> None:
    rules = [
        {
            "name": "API issues",
            "match": {"tags_any": ["api"]},
            "require": {"track_id": program.track_ids["adv"]},
            "fallback": {"action": "flag_for_review"},
        }
    ]
    client = client_for(alice)
    response = client.post(url(program.business), {"rules": json.dumps(rules)})
    assert response.status_code == 302
    stored = RoutingRuleSet.objects.get(business=program.business).rules
    assert stored[0]["name"] == "API issues"
    page = client.get(url(program.business))
    [summary] = page.context["rules"]
    assert summary["needs"] == "certified in Advanced Troubleshooting"
    assert summary["otherwise"] == "flag for specialist review"


def test_an_invalid_rule_is_named_by_its_path_and_nothing_saved(
    alice: User, program: Program
) -> None:
    rules = [{"name": "Broken", "require": {"track_id": "not-a-track"}}]
    response = client_for(alice).post(url(program.business), {"rules": json.dumps(rules)})
    assert response.status_code == 422
    [message] = response.context["form"].errors["rules"]
    assert message.startswith("rules[0].require.track_id:")
    assert not RoutingRuleSet.objects.exists()


def test_text_that_is_not_json_is_refused(alice: User, program: Program) -> None:
    response = client_for(alice).post(url(program.business), {"rules": "[{"})
    assert response.status_code == 422
    assert "Not valid JSON" in response.context["form"].errors["rules"][0]
    assert not RoutingRuleSet.objects.exists()


def test_the_support_standard_rules_in_one_step(alice: User, program: Program) -> None:
    response = client_for(alice).post(url(program.business, "template/"), follow=True)
    stored = RoutingRuleSet.objects.get(business=program.business).rules
    assert stored
    assert f"The {len(stored)} support-standard routing rules".encode() in response.content


def test_the_template_needs_the_support_standard_tracks(alice: User, business_a: Business) -> None:
    response = client_for(alice).post(url(business_a, "template/"), follow=True)
    assert b"no track named" in response.content
    assert not RoutingRuleSet.objects.exists()


def test_recent_decisions_are_listed(alice: User, program: Program) -> None:
    agent = program.agent("fund", name="Fiona Fund")
    program.busy(agent)
    response = client_for(alice).get(url(program.business))
    [decision] = response.context["decisions"]
    assert decision.agent == agent
    assert "Earlier ticket" in response.content.decode()


def test_a_reviewer_reads_but_may_not_edit(program: Program) -> None:
    reviewer = staff(program.business, "rita@a.test", "reviewer")
    client = client_for(reviewer)
    page = client.get(url(program.business))
    assert page.status_code == 200
    assert b"Save rules" not in page.content
    assert client.post(url(program.business), {"rules": "[]"}).status_code == 403
    assert client.post(url(program.business, "template/")).status_code == 403
    assert not RoutingRuleSet.objects.exists()


def test_agents_and_other_tenants_are_kept_out(
    bob: User, charlie: User, business_a: Business, business_b: Business
) -> None:
    assert client_for(bob).get(url(business_a)).status_code == 403
    assert client_for(charlie).get(url(business_a)).status_code == 404
    assert client_for(charlie).post(url(business_a), {"rules": "[]"}).status_code == 404
    assert not RoutingRuleSet.objects.exists()


# -- the rule form (issue 12 item 6) ---------------------------------------------------------


def csrf_client(user: User) -> tuple[Client, str]:
    """A browser-like client: CSRF checks on, the token read from the page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")
    return client, client.cookies["csrftoken"].value


def rule_fields(program: Program, **overrides: object) -> dict[str, object]:
    return {
        "name": "API issues",
        "tags": "API, webhook,\nrate-limit",
        "tiers": ["premium", "enterprise"],
        "priorities": ["P1", "P2"],
        "escalation_flag": "",
        "require_track": program.track_ids["adv"],
        "min_certifications": "",
        "fallback_action": "base_track_and_notify",
        "fallback_base_track": program.track_ids["fund"],
        "position": "",
        **overrides,
    }


def test_the_form_picks_tracks_by_name_and_offers_the_fallbacks(
    alice: User, program: Program
) -> None:
    page = client_for(alice).get(url(program.business))
    html = page.content.decode()
    form = page.context["rule_form"]
    assert ("", "—") in form.fields["require_track"].choices
    assert (program.track_ids["cs"], "Customer Success") in form.fields["require_track"].choices
    assert [value for value, _ in form.fields["fallback_action"].choices] == [
        "",
        "base_track_and_notify",
        "flag_for_review",
        "route_to_manager",
        "highest_certified",
    ]
    assert 'type="checkbox" name="tiers" value="enterprise"' in html
    assert 'type="checkbox" name="priorities" value="P1"' in html
    assert "Edit every rule as JSON" in html


def test_a_rule_saved_from_the_form_routes_a_ticket(
    alice: User, as_alice: ApiClient, program: Program
) -> None:
    client, token = csrf_client(alice)
    refused = client.post(f"{url(program.business)}rule/", rule_fields(program))
    assert refused.status_code == 403  # no CSRF token
    response = client.post(
        f"{url(program.business)}rule/", {**rule_fields(program), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [rule] = RoutingRuleSet.objects.get(business=program.business).rules
    assert rule["match"] == {
        "tags_any": ["api", "rate-limit", "webhook"],
        "tiers": ["premium", "enterprise"],
        "priorities": ["P1", "P2"],
        "escalation_flag": None,
    }
    assert rule["require"] == {"track_id": program.track_ids["adv"]}
    assert rule["fallback"] == {
        "action": "base_track_and_notify",
        "base_track_id": program.track_ids["fund"],
    }

    program.agent("fund", name="Gene")
    specialist = program.agent("fund", "adv", name="Ada")
    ticket = open_ticket(
        as_alice, program.customer(tier="premium"), tags=["Webhook"], priority="P2"
    )
    assert ticket["assigned_agent_id"] == str(specialist.id)
    assert ticket["routing"]["rule"] == "API issues"


def test_an_error_is_shown_on_its_field_and_nothing_is_saved(alice: User, program: Program) -> None:
    client, token = csrf_client(alice)
    post = {"csrfmiddlewaretoken": token}
    first = client.post(
        f"{url(program.business)}rule/", {**rule_fields(program, name="Billing"), **post}
    )
    assert first.status_code == 302
    # The domain refuses a second rule of the same name, and a base-track fallback without
    # its track: each message lands on the field it is about.
    response = client.post(
        f"{url(program.business)}rule/",
        {
            **rule_fields(
                program,
                name="billing",
                fallback_action="base_track_and_notify",
                fallback_base_track="",
            ),
            **post,
        },
    )
    assert response.status_code == 422
    form = response.context["rule_form"]
    assert form.errors["name"] == ["duplicates the name at rule 1 (Billing)"]
    assert form.errors["fallback_base_track"] == [
        "required for “route to agents with the base track and notify managers”"
    ]
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert 'id="id_fallback_base_track_error"' in html
    assert len(RoutingRuleSet.objects.get(business=program.business).rules) == 1

    neither = client.post(
        f"{url(program.business)}rule/", {**rule_fields(program, require_track=""), **post}
    )
    assert neither.status_code == 422
    assert neither.context["rule_form"].errors["require_track"] == [
        "Choose a required track, or give a minimum number of certifications (not both)."
    ]


def test_editing_and_removing_a_rule_keep_the_others(alice: User, program: Program) -> None:
    client, token = csrf_client(alice)
    post = {"csrfmiddlewaretoken": token}
    for name in ("First", "Second"):
        added = client.post(
            f"{url(program.business)}rule/", {**rule_fields(program, name=name), **post}
        )
        assert added.status_code == 302
    edit = client.get(f"{url(program.business)}?edit=2")
    assert edit.context["rule_form"].initial["name"] == "Second"
    assert edit.context["rule_form"].initial["tags"] == "api, rate-limit, webhook"
    changed = client.post(
        f"{url(program.business)}rule/",
        {
            **rule_fields(
                program,
                name="Second",
                editing="1",
                position="1",
                require_track="",
                min_certifications="2",
                fallback_action="",
                fallback_base_track="",
            ),
            **post,
        },
    )
    assert changed.status_code == 302
    rules = RoutingRuleSet.objects.get(business=program.business).rules
    assert [(r["name"], r["require"]) for r in rules] == [
        ("Second", {"min_certifications": 2}),
        ("First", {"track_id": program.track_ids["adv"]}),
    ]
    removed = client.post(f"{url(program.business)}rule/1/delete/", post)
    assert removed.status_code == 302
    assert [r["name"] for r in RoutingRuleSet.objects.get(business=program.business).rules] == [
        "First"
    ]


def test_a_reviewer_cannot_save_a_rule(program: Program, business_a: Business) -> None:
    reviewer = staff(business_a, "rita@a.test", "reviewer")
    response = client_for(reviewer).post(f"{url(program.business)}rule/", rule_fields(program))
    assert response.status_code == 403
    assert not RoutingRuleSet.objects.exists()
