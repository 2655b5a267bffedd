from typing import Any

import pytest

from refairn.programs.models import StaffMembership
from tests.support import api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


def test_owner_adds_a_staff_member(as_alice: Any, business_a: Any) -> None:
    user = make_user("rita@a.test")
    response = as_alice.post(
        f"/businesses/{business_a.id}/staff", {"email": "RITA@a.test", "role": "reviewer"}
    )
    assert response.status_code == 201
    assert response.body == {
        "business_id": str(business_a.id),
        "user_id": str(user.id),
        "role": "reviewer",
    }
    assert api_as(user).get("/me").body["memberships"][0]["role"] == "reviewer"


def test_the_user_must_have_signed_up(as_alice: Any, business_a: Any) -> None:
    response = as_alice.post(
        f"/businesses/{business_a.id}/staff", {"email": "ghost@a.test", "role": "manager"}
    )
    assert_problem(response, 422, "unknown_user")
    assert response.body["errors"] == [
        {"field": "email", "message": response.body["errors"][0]["message"]}
    ]


def test_unknown_role_is_422(as_alice: Any, business_a: Any) -> None:
    make_user("x@a.test")
    response = as_alice.post(
        f"/businesses/{business_a.id}/staff", {"email": "x@a.test", "role": "king"}
    )
    assert_problem(response, 422, "validation_error")
    assert not StaffMembership.objects.filter(user__email="x@a.test").exists()


def test_the_same_role_twice_is_409(as_alice: Any, business_a: Any) -> None:
    make_user("x@a.test")
    as_alice.post(f"/businesses/{business_a.id}/staff", {"email": "x@a.test", "role": "manager"})
    response = as_alice.post(
        f"/businesses/{business_a.id}/staff", {"email": "x@a.test", "role": "manager"}
    )
    assert_problem(response, 409, "already_member")


def test_only_owners_add_staff(business_a: Any) -> None:
    manager = make_user("m@a.test")
    StaffMembership.objects.create(business=business_a, user=manager, role="manager")
    make_user("x@a.test")
    response = api_as(manager).post(
        f"/businesses/{business_a.id}/staff", {"email": "x@a.test", "role": "owner"}
    )
    assert_problem(response, 403, "forbidden")
    assert not StaffMembership.objects.filter(user__email="x@a.test").exists()


def test_other_tenant_cannot_add_staff(as_charlie: Any, business_a: Any) -> None:
    response = as_charlie.post(
        f"/businesses/{business_a.id}/staff", {"email": "charlie@b.test", "role": "owner"}
    )
    assert_problem(response, 404, "not_found")
    assert not StaffMembership.objects.filter(
        business=business_a, user__email="charlie@b.test"
    ).exists()


def test_add_staff_needs_a_token(anon: Any, business_a: Any) -> None:
    response = anon.post(
        f"/businesses/{business_a.id}/staff", {"email": "a@a.test", "role": "owner"}
    )
    assert_problem(response, 401, "not_authenticated")
