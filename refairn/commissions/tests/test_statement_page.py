"""The agent's commissions statement page: their own entries of both ledgers with the totals
(PRODUCT.md §1, §10)."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_customer, run

pytestmark = pytest.mark.django_db


def statement(business: Any) -> str:
    return f"/b/{business.id}/commissions/me/"


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ledgers(business_a: Any, bob: Any, dana: Any) -> None:
    """Bob referred "Northwind" (Oct 16) and dana supports it; October and November are run."""
    customer = make_customer(
        business_a,
        value="310.00",
        subscribed_at=at(2026, 10, 16),
        referred_by=bob,
        name="Northwind",
    )
    support_facts.assign(customer, dana, at(2026, 10, 16))
    run(business_a, "2026-10")
    run(business_a, "2026-11")


def test_the_agent_sees_their_referral_entries_and_totals(
    bob: Any, business_a: Any, ledgers: None
) -> None:
    response = browser(bob).get(statement(business_a))
    assert response.status_code == 200
    referral, support = response.context["ledgers"]
    assert referral["total"] == {"amount": "72.00", "currency": "USD"}
    assert [kind for _, kind in referral["rows"]] == [
        "Referral, one-off",
        "Referral, recurring",
        "Referral, recurring",
    ]
    assert support["rows"] == []
    page = response.content.decode()
    assert "$72.00" in page and "Northwind" in page
    # The customer's monthly value is billing data, never shown to an agent.
    assert "310.00" not in page


def test_a_support_agent_sees_their_support_entries(
    dana: Any, business_a: Any, ledgers: None
) -> None:
    response = browser(dana).get(statement(business_a))
    referral, support = response.context["ledgers"]
    assert referral["rows"] == []
    assert [entry.amount for entry, _ in support["rows"]] == [Decimal("10.32"), Decimal("20.00")]
    assert support["total"] == {"amount": "30.32", "currency": "USD"}


def test_an_agent_without_entries_sees_empty_ledgers(bob: Any, business_a: Any) -> None:
    response = browser(bob).get(statement(business_a))
    assert response.status_code == 200
    assert "No entries yet." in response.content.decode()


def test_staff_have_no_agent_statement(alice: Any, business_a: Any) -> None:
    assert browser(alice).get(statement(business_a)).status_code == 403


def test_another_tenant_gets_404(charlie: Any, business_a: Any, business_b: Any) -> None:
    assert browser(charlie).get(statement(business_a)).status_code == 404
