from typing import Any

import pytest

from refairn.support.domain.escalation import DEFAULT_PHRASES, Category
from refairn.support.models import EscalationTopic
from refairn.support.tests.conftest import open_ticket
from tests.support import assert_problem

pytestmark = pytest.mark.django_db


def topics(client: Any, business: Any) -> Any:
    return client.get(f"/businesses/{business.id}/escalation-topics")


def put(client: Any, business: Any, categories: Any) -> Any:
    return client.put(f"/businesses/{business.id}/escalation-topics", {"categories": categories})


def test_the_six_defaults_until_the_business_edits_them(as_alice: Any, business_a: Any) -> None:
    body = topics(as_alice, business_a).body
    assert body["customized"] is False
    assert [c["category"] for c in body["categories"]] == [c.value for c in Category]
    refund = next(c for c in body["categories"] if c["category"] == "refund")
    assert refund["phrases"] == list(DEFAULT_PHRASES[Category.REFUND])
    assert refund["label"] == "Refund"
    assert not EscalationTopic.objects.exists()


def test_an_edit_changes_only_the_named_categories(
    as_alice: Any, as_dana: Any, as_bob: Any, business_a: Any, bobs_customer: Any
) -> None:
    response = put(as_alice, business_a, {"refund": ["store credit", " store  credit "]})
    assert response.status_code == 200, response.body
    body = response.body
    assert body["customized"] is True
    by_category = {c["category"]: c["phrases"] for c in body["categories"]}
    assert by_category["refund"] == ["store credit"]
    assert by_category["billing_dispute"] == list(DEFAULT_PHRASES[Category.BILLING_DISPUTE])
    assert EscalationTopic.objects.count() == 6

    ticket = open_ticket(as_dana, bobs_customer, subject="Store credit?", body="Can I get it?")
    assert ticket["suggested_escalation"] == "refund"
    hacked = open_ticket(as_dana, bobs_customer, subject="Hacked", body="My account was hacked")
    assert hacked["suggested_escalation"] == "account_security"

    again = put(as_alice, business_a, {"account_deletion": ["close my workspace"]}).body
    by_category = {c["category"]: c["phrases"] for c in again["categories"]}
    assert by_category["refund"] == ["store credit"]
    assert by_category["account_deletion"] == ["close my workspace"]
    assert by_category["account_security"] == list(DEFAULT_PHRASES[Category.ACCOUNT_SECURITY])


def test_an_empty_topic_is_refused_and_nothing_changes(as_alice: Any, business_a: Any) -> None:
    put(as_alice, business_a, {"refund": ["store credit"]})
    response = put(as_alice, business_a, {"refund": [], "billing_dispute": ["overbilled"]})
    assert_problem(response, 422, "empty_topic")
    assert [e["field"] for e in response.body["errors"]] == ["categories.refund"]
    by_category = {
        c["category"]: c["phrases"] for c in topics(as_alice, business_a).body["categories"]
    }
    assert by_category["refund"] == ["store credit"]
    assert by_category["billing_dispute"] == list(DEFAULT_PHRASES[Category.BILLING_DISPUTE])


def test_delete_restores_the_defaults(
    as_alice: Any, as_bob: Any, as_charlie: Any, business_a: Any
) -> None:
    put(as_alice, business_a, {"refund": ["store credit"]})
    assert_problem(
        as_bob.delete(f"/businesses/{business_a.id}/escalation-topics"), 403, "forbidden"
    )
    assert_problem(
        as_charlie.delete(f"/businesses/{business_a.id}/escalation-topics"), 404, "not_found"
    )
    assert topics(as_alice, business_a).body["customized"] is True

    response = as_alice.delete(f"/businesses/{business_a.id}/escalation-topics")
    assert response.status_code == 204
    body = topics(as_alice, business_a).body
    assert body["customized"] is False
    refund = next(c for c in body["categories"] if c["category"] == "refund")
    assert refund["phrases"] == list(DEFAULT_PHRASES[Category.REFUND])
    assert not EscalationTopic.objects.exists()


@pytest.mark.parametrize(
    ("categories", "field"),
    [
        ({"shipping": ["late parcel"]}, "categories.shipping"),
        ({"refund": ["   "]}, "categories.refund"),
        ({"refund": ["my the"]}, "categories.refund"),
        ({"refund": ["x" * 81]}, "categories.refund"),
    ],
)
def test_bad_topics_name_the_category_and_write_nothing(
    as_alice: Any, business_a: Any, categories: Any, field: str
) -> None:
    response = put(as_alice, business_a, categories)
    assert_problem(response, 422, "invalid_escalation_topics")
    assert [e["field"] for e in response.body["errors"]] == [field]
    assert not EscalationTopic.objects.exists()


def test_malformed_bodies_are_422(as_alice: Any, business_a: Any) -> None:
    assert put(as_alice, business_a, "refund").status_code == 422
    response = as_alice.put(f"/businesses/{business_a.id}/escalation-topics", {})
    assert response.status_code == 422
    assert not EscalationTopic.objects.exists()


def test_only_owners_and_managers_see_and_edit_topics(
    as_reviewer: Any, as_bob: Any, as_charlie: Any, business_a: Any
) -> None:
    assert_problem(topics(as_reviewer, business_a), 403, "forbidden")
    assert_problem(put(as_bob, business_a, {"refund": ["x y"]}), 403, "forbidden")
    assert_problem(topics(as_charlie, business_a), 404, "not_found")
    assert_problem(put(as_charlie, business_a, {"refund": ["x y"]}), 404, "not_found")
    assert not EscalationTopic.objects.exists()
