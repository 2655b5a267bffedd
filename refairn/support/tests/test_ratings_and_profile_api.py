from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.support.models import Rating
from refairn.support.tests.conftest import new_customer, open_ticket
from tests.support import api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

SCORES = {"responsiveness": 5, "product_knowledge": 4, "professionalism": 5, "overall": 5}


def closed_ticket(as_dana: Any, as_bob: Any, customer: Any) -> str:
    ticket = open_ticket(as_dana, customer)
    as_bob.post(f"/tickets/{ticket['id']}/resolve")
    return str(ticket["id"])


def rate(client: Any, ticket_id: str, **overrides: Any) -> Any:
    return client.post(f"/tickets/{ticket_id}/rating", {**SCORES, "comment": "Great", **overrides})


def test_the_customer_rates_a_closed_ticket_once(
    as_dana: Any, as_bob: Any, bobs_customer: Any, certified_bob: Any
) -> None:
    ticket_id = closed_ticket(as_dana, as_bob, bobs_customer)
    response = rate(as_dana, ticket_id)
    assert response.status_code == 201, response.body
    assert response.body["agent_id"] == str(certified_bob.id)
    assert response.body["overall"] == 5
    assert_problem(rate(as_dana, ticket_id), 409, "already_rated")
    assert Rating.objects.count() == 1


def test_an_open_ticket_cannot_be_rated(as_dana: Any, bobs_customer: Any) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    assert_problem(rate(as_dana, ticket["id"]), 409, "ticket_not_closed")
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"overall": 0},
        {"overall": 6},
        {"responsiveness": 4.5},
        {"professionalism": "5"},
        {"product_knowledge": True},
        {"comment": "x" * 2001},
        {"stars": 5},
    ],
)
def test_bad_scores_write_nothing(
    as_dana: Any, as_bob: Any, bobs_customer: Any, overrides: dict[str, Any]
) -> None:
    ticket_id = closed_ticket(as_dana, as_bob, bobs_customer)
    assert_problem(rate(as_dana, ticket_id, **overrides), 422, "validation_error")
    assert not Rating.objects.exists()


def test_only_its_customer_rates(
    as_dana: Any, as_bob: Any, as_alice: Any, as_charlie: Any, bobs_customer: Any, business_a: Any
) -> None:
    ticket_id = closed_ticket(as_dana, as_bob, bobs_customer)
    assert_problem(rate(as_bob, ticket_id), 403, "forbidden")
    assert_problem(rate(as_alice, ticket_id), 403, "forbidden")
    assert_problem(rate(as_charlie, ticket_id), 404, "not_found")
    other_user = make_user("eve@contoso.test")
    new_customer(business_a, "Contoso", user=other_user)
    assert_problem(rate(api_as(other_user), ticket_id), 404, "not_found")
    assert not Rating.objects.exists()


def test_profile_shows_averages_and_the_quality_tier(
    anon: Any, as_dana: Any, as_bob: Any, bobs_customer: Any, certified_bob: Any, business_a: Any
) -> None:
    for overall in (5, 5, 4, 5, 4):
        ticket_id = closed_ticket(as_dana, as_bob, bobs_customer)
        rate(as_dana, ticket_id, overall=overall)
    response = anon.get(f"/agents/{certified_bob.id}/profile")
    assert response.status_code == 200, response.body
    body = response.body
    assert body["name"] == "Bob Agent"
    assert body["ratings"] == {
        "count": 5,
        "responsiveness": 5.0,
        "product_knowledge": 4.0,
        "professionalism": 5.0,
        "overall": 4.6,
    }
    assert body["quality_tier"] == "gold"
    assert body["certified_support_partner"] == [str(business_a.id)]
    assert [b["name"] for b in body["badges"]] == ["Support Pro"]


def test_fewer_than_five_ratings_are_unrated(
    anon: Any, as_dana: Any, as_bob: Any, bobs_customer: Any, certified_bob: Any
) -> None:
    rate(as_dana, closed_ticket(as_dana, as_bob, bobs_customer))
    body = anon.get(f"/agents/{certified_bob.id}/profile").body
    assert body["ratings"]["count"] == 1
    assert body["quality_tier"] == "unrated"


def test_profile_aggregates_in_one_query(
    anon: Any, as_dana: Any, as_bob: Any, bobs_customer: Any, certified_bob: Any
) -> None:
    for _ in range(3):
        rate(as_dana, closed_ticket(as_dana, as_bob, bobs_customer))
    with CaptureQueriesContext(connection) as queries:
        anon.get(f"/agents/{certified_bob.id}/profile")
    rating_queries = [q for q in queries.captured_queries if "support_rating" in q["sql"]]
    assert len(rating_queries) == 1


def test_an_agent_without_ratings_has_an_empty_profile(anon: Any, bob: Any) -> None:
    body = anon.get(f"/agents/{bob.id}/profile").body
    assert body["ratings"] == {
        "count": 0,
        "responsiveness": None,
        "product_knowledge": None,
        "professionalism": None,
        "overall": None,
    }
    assert body["badges"] == []
    assert body["certified_support_partner"] == []


def test_unknown_agents_and_non_agents_have_no_profile(anon: Any, alice: Any) -> None:
    assert_problem(anon.get(f"/agents/{alice.id}/profile"), 404, "not_found")
    assert_problem(anon.get("/agents/not-an-id/profile"), 404, "not_found")
