"""Issue 18, poisoned input: every date and time a caller gives is bounded (core.instants).

``0001-01-01T00:00:00+14:00`` is a BC instant in UTC: PostgreSQL stored it, and afterwards the
customer list and every commission run answered 500. Each input below, in the API and in the
pages, answers 422 and writes nothing. The inventory test keeps the list whole: a new date-time
input in the OpenAPI document fails it until it is added here.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from refairn.programs.models import Business, Customer
from refairn.support.models import Unavailability
from tests.support import T0, ApiClient, assert_problem, set_support_access

pytestmark = pytest.mark.django_db

POISONED = [
    "0001-01-01T00:00:00+14:00",  # year 0 in UTC
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
    "1969-12-31T23:59:59Z",
    "2100-01-01T00:00:00Z",
    "2026-11-01T09:00:00",  # no offset: no instant
]

OPENAPI = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"

# (method, path, field or query parameter): each is exercised by a test below.
INPUTS = {
    ("post", "/api/v1/businesses/{b}/customers", "subscribed_at"),
    ("post", "/api/v1/customers/{c}/cancel", "at"),
    ("post", "/api/v1/businesses/{b}/unavailability", "starts_at"),
    ("post", "/api/v1/businesses/{b}/unavailability", "ends_at"),
    ("put", "/api/v1/test-clock", "now"),
    ("get", "/api/v1/businesses/{b}/reports/certification-dashboard", "as_of"),
    ("get", "/api/v1/businesses/{b}/reports/assessment-analytics", "as_of"),
}


def _date_time_inputs() -> set[tuple[str, str, str]]:
    """Every query parameter and body field of the published document typed date-time."""
    document = json.loads(OPENAPI.read_text())
    components = document["components"]["schemas"]
    found: set[tuple[str, str, str]] = set()

    def fields(schema: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in schema:
            return fields(components[schema["$ref"].rsplit("/", 1)[1]])
        return schema.get("properties", {})

    def is_date_time(schema: dict[str, Any]) -> bool:
        options = schema.get("anyOf", [schema])
        return any(option.get("format") in {"date", "date-time"} for option in options)

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if is_date_time(parameter["schema"]):
                    found.add((method, path, parameter["name"]))
            body = operation.get("requestBody", {}).get("content", {})
            for content in body.values():
                for name, schema in fields(content["schema"]).items():
                    if is_date_time(schema):
                        found.add((method, path, name))
    return found


def test_every_date_time_input_of_the_api_is_tested_here() -> None:
    assert _date_time_inputs() == INPUTS


@pytest.fixture
def customer(business_a: Business) -> Customer:
    return Customer.objects.create(
        business=business_a,
        name="Northwind",
        monthly_value="10.00",
        tier="standard",
        subscribed_at=T0 - timedelta(days=30),
    )


@pytest.mark.parametrize("value", POISONED)
def test_a_customer_subscribed_out_of_range_is_refused(
    as_alice: ApiClient, business_a: Business, value: str
) -> None:
    body = {"name": "Northwind", "monthly_value": "10.00", "subscribed_at": value}
    response = as_alice.post(f"/businesses/{business_a.id}/customers", body)

    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "subscribed_at"
    assert not Customer.objects.exists()
    # The list the poisoned row used to break still answers.
    assert as_alice.get(f"/businesses/{business_a.id}/customers").status_code == 200


@pytest.mark.parametrize("value", POISONED)
def test_a_cancellation_out_of_range_is_refused(
    as_alice: ApiClient, customer: Customer, value: str
) -> None:
    response = as_alice.post(f"/customers/{customer.id}/cancel", {"at": value})

    assert_problem(response, 422, "validation_error")
    customer.refresh_from_db()
    assert customer.cancelled_at is None


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("value", POISONED)
def test_an_absence_out_of_range_is_refused(
    as_bob: ApiClient, business_a: Business, bob: Any, field: str, value: str
) -> None:
    set_support_access(bob, "active")
    body = {"starts_at": "2026-11-03T09:00:00Z", "ends_at": "2026-11-10T09:00:00Z", field: value}
    response = as_bob.post(f"/businesses/{business_a.id}/unavailability", body)

    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == field
    assert not Unavailability.objects.exists()


@pytest.mark.parametrize("value", POISONED)
def test_the_test_clock_refuses_an_instant_out_of_range(
    anon: ApiClient, settings: Any, value: str
) -> None:
    settings.REFAIRN_TEST_CLOCK = True
    assert_problem(anon.put("/test-clock", {"now": value}), 422, "validation_error")


@pytest.mark.parametrize("report", ["certification-dashboard", "assessment-analytics"])
@pytest.mark.parametrize("value", POISONED)
def test_a_report_as_of_out_of_range_is_refused(
    as_alice: ApiClient, business_a: Business, report: str, value: str
) -> None:
    query = value.replace("+", "%2B")
    response = as_alice.get(f"/businesses/{business_a.id}/reports/{report}?as_of={query}")
    assert_problem(response, 422, "invalid_as_of")


# The pages


@pytest.fixture
def staff_page(alice: Any, business_a: Business) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "2100-01-01", "9999-12-31"])
def test_the_dashboard_page_refuses_a_day_out_of_range(
    staff_page: Client, business_a: Business, day: str
) -> None:
    response = staff_page.get(f"/b/{business_a.id}/dashboard/?as_of={day}")
    assert response.status_code == 422
    assert "Give a day from 1970 to 2099." in response.content.decode()


def test_the_customer_page_refuses_a_subscription_in_year_1(
    staff_page: Client, business_a: Business
) -> None:
    form = {"name": "Northwind", "tier": "standard", "monthly_value": "10.00"}
    response = staff_page.post(
        f"/b/{business_a.id}/customers/", {**form, "subscribed_at": "0001-01-01"}
    )
    assert response.status_code == 422
    assert "Give a day from 1970 to 2099." in response.content.decode()
    assert not Customer.objects.exists()


def test_the_absence_page_refuses_a_time_in_year_1(bob: Any, business_a: Business) -> None:
    set_support_access(bob, "active")
    client = Client()
    client.force_login(bob)
    form = {"starts_at": "0001-01-01T00:00", "ends_at": "2026-11-10T09:00"}
    response = client.post(f"/b/{business_a.id}/support/unavailability/", form)
    assert response.status_code == 422
    assert "Give a time from 1970 to 2099." in response.content.decode()
    assert not Unavailability.objects.exists()
