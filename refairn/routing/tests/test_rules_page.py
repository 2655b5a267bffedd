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
from refairn.support.tests.conftest import staff

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
