from decimal import Decimal
from typing import Any

import pytest

from refairn.programs.models import Customer, StaffMembership
from tests.support import T0, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Northwind",
    "email": "it@northwind.test",
    "tier": "premium",
    "monthly_value": "249.90",
}


def create(client: Any, business: Any, **overrides: Any) -> Any:
    return client.post(f"/businesses/{business.id}/customers", {**NEW, **overrides})


def test_staff_create_a_customer(as_alice: Any, business_a: Any, bob: Any) -> None:
    response = create(
        as_alice, business_a, referred_by=str(bob.id), subscribed_at="2026-10-01T00:00:00Z"
    )
    assert response.status_code == 201, response.body
    body = response.body
    assert body["monthly_value"] == {"amount": "249.90", "currency": "USD"}
    assert body["referred_by"] == str(bob.id)
    assert body["subscription_status"] == "active"
    assert Customer.objects.get(pk=body["id"]).monthly_value == Decimal("249.90")


def test_subscribed_at_defaults_to_now(as_alice: Any, business_a: Any) -> None:
    assert create(as_alice, business_a).body["subscribed_at"] == "2026-11-02T09:00:00Z"


def test_a_customer_email_that_belongs_to_a_user_links_them(as_alice: Any, business_a: Any) -> None:
    user = make_user("it@northwind.test")
    customer_id = create(as_alice, business_a).body["id"]
    portal = api_as(user)
    assert portal.get("/me").body["memberships"][0]["role"] == "customer"
    assert portal.get(f"/customers/{customer_id}").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"monthly_value": 12.5}, "monthly_value"),
        ({"monthly_value": "-1"}, "monthly_value"),
        ({"monthly_value": "1.001"}, "monthly_value"),
        ({"monthly_value": "NaN"}, "monthly_value"),
        ({"tier": "platinum"}, "tier"),
        ({"email": "nope"}, "email"),
        ({"subscribed_at": "2027-01-01T00:00:00Z"}, "subscribed_at"),
        ({"referred_by": "00000000-0000-0000-0000-000000000000"}, "referred_by"),
    ],
)
def test_bad_customer_input_names_the_field(
    as_alice: Any, business_a: Any, overrides: dict[str, Any], field: str
) -> None:
    response = create(as_alice, business_a, **overrides)
    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]]
    assert not Customer.objects.exists()


def test_monthly_value_accepts_a_money_object(as_alice: Any, business_a: Any) -> None:
    response = create(as_alice, business_a, monthly_value={"amount": "10.00", "currency": "USD"})
    assert response.body["monthly_value"]["amount"] == "10.00"


def test_agents_cannot_create_customers(as_bob: Any, business_a: Any) -> None:
    assert_problem(create(as_bob, business_a), 403, "forbidden")
    assert not Customer.objects.exists()


def test_other_tenant_cannot_create_customers(as_charlie: Any, business_a: Any) -> None:
    assert_problem(create(as_charlie, business_a), 404, "not_found")
    assert not Customer.objects.exists()


def test_create_customer_needs_a_token(anon: Any, business_a: Any) -> None:
    assert_problem(create(anon, business_a), 401, "not_authenticated")


@pytest.fixture
def customer(as_alice: Any, business_a: Any) -> dict[str, Any]:
    return create(as_alice, business_a, subscribed_at="2026-10-01T00:00:00Z").body


def test_staff_cancel_a_subscription(as_alice: Any, customer: dict[str, Any]) -> None:
    response = as_alice.post(f"/customers/{customer['id']}/cancel", {"at": "2026-11-01T12:00:00Z"})
    assert response.status_code == 200
    assert response.body["subscription_status"] == "cancelled"
    assert response.body["cancelled_at"] == "2026-11-01T12:00:00Z"


def test_cancel_defaults_to_now(as_alice: Any, customer: dict[str, Any]) -> None:
    assert as_alice.post(f"/customers/{customer['id']}/cancel").body[
        "cancelled_at"
    ] == T0.isoformat().replace("+00:00", "Z")


def test_cancelling_twice_is_409(as_alice: Any, customer: dict[str, Any]) -> None:
    as_alice.post(f"/customers/{customer['id']}/cancel")
    assert_problem(as_alice.post(f"/customers/{customer['id']}/cancel"), 409, "already_cancelled")


@pytest.mark.parametrize("at", ["2026-09-01T00:00:00Z", "2026-12-01T00:00:00Z", "yesterday"])
def test_cancel_time_must_be_in_the_subscription(
    as_alice: Any, customer: dict[str, Any], at: str
) -> None:
    response = as_alice.post(f"/customers/{customer['id']}/cancel", {"at": at})
    assert_problem(response, 422, "validation_error")
    assert Customer.objects.get(pk=customer["id"]).cancelled_at is None


def test_agents_cannot_cancel(as_bob: Any, customer: dict[str, Any]) -> None:
    # An agent of the business is not its staff, and does not even see the customer record.
    assert_problem(as_bob.post(f"/customers/{customer['id']}/cancel"), 404, "not_found")
    assert Customer.objects.get(pk=customer["id"]).cancelled_at is None


def test_reviewers_may_cancel_as_staff(business_a: Any, customer: dict[str, Any]) -> None:
    reviewer = make_user("r@a.test")
    StaffMembership.objects.create(business=business_a, user=reviewer, role="reviewer")
    assert api_as(reviewer).post(f"/customers/{customer['id']}/cancel").status_code == 200


def test_a_customer_cannot_cancel_themselves_through_staff_api(
    as_alice: Any, business_a: Any
) -> None:
    user = make_user("it@northwind.test")
    customer_id = create(as_alice, business_a).body["id"]
    assert_problem(api_as(user).post(f"/customers/{customer_id}/cancel"), 403, "forbidden")


def test_other_tenant_cannot_cancel(as_charlie: Any, customer: dict[str, Any]) -> None:
    response = as_charlie.post(f"/customers/{customer['id']}/cancel")
    assert_problem(response, 404, "not_found")
    assert response.body["detail"] == "No such customer."
    assert Customer.objects.get(pk=customer["id"]).cancelled_at is None


def test_cancel_needs_a_token(anon: Any, customer: dict[str, Any]) -> None:
    assert_problem(anon.post(f"/customers/{customer['id']}/cancel"), 401, "not_authenticated")


def test_staff_list_customers_of_their_business_only(
    as_alice: Any, as_charlie: Any, business_a: Any, business_b: Any, customer: dict[str, Any]
) -> None:
    create(as_charlie, business_b, name="Other co", email="")
    rows = as_alice.get(f"/businesses/{business_a.id}/customers").body
    assert [r["id"] for r in rows] == [customer["id"]]
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/customers"), 404, "not_found")
