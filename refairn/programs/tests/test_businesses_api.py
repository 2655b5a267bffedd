from typing import Any

import pytest

from refairn.programs.models import Business, StaffMembership
from tests.support import assert_problem

pytestmark = pytest.mark.django_db


def test_creating_a_business_makes_the_caller_owner(as_alice: Any, alice: Any) -> None:
    response = as_alice.post("/businesses", {"name": "  Acme Support  "})
    assert response.status_code == 201
    body = response.body
    assert body["name"] == "Acme Support"
    assert body["settings"]["retry_period_days"] == 7
    assert StaffMembership.objects.get(business_id=body["id"]).role == "owner"


def test_business_slugs_stay_unique(as_alice: Any) -> None:
    first = as_alice.post("/businesses", {"name": "Acme"}).body["slug"]
    second = as_alice.post("/businesses", {"name": "Acme"}).body["slug"]
    assert (first, second) == ("acme", "acme-2")


def test_a_blank_name_is_refused_and_nothing_written(as_alice: Any) -> None:
    before = Business.objects.count()
    assert_problem(as_alice.post("/businesses", {"name": ""}), 422, "validation_error")
    assert_problem(as_alice.post("/businesses", {"name": "   "}), 422, "validation_error")
    assert Business.objects.count() == before


def test_create_business_needs_a_token(anon: Any) -> None:
    assert_problem(anon.post("/businesses", {"name": "X"}), 401, "not_authenticated")


def test_members_read_their_business(as_alice: Any, as_bob: Any, business_a: Any) -> None:
    for client in (as_alice, as_bob):
        response = client.get(f"/businesses/{business_a.id}")
        assert response.status_code == 200
        assert response.body["id"] == str(business_a.id)


def test_other_tenants_and_unknown_ids_get_the_same_404(as_charlie: Any, business_a: Any) -> None:
    other = as_charlie.get(f"/businesses/{business_a.id}")
    unknown = as_charlie.get("/businesses/00000000-0000-0000-0000-000000000000")
    garbage = as_charlie.get("/businesses/not-an-id")
    for response in (other, unknown, garbage):
        assert_problem(response, 404, "not_found")
    assert other.body["detail"] == unknown.body["detail"] == garbage.body["detail"]


def test_read_business_needs_a_token(anon: Any, business_a: Any) -> None:
    assert_problem(anon.get(f"/businesses/{business_a.id}"), 401, "not_authenticated")
