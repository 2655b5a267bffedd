"""The business's commissions page: run a month, entries with totals, the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.commissions.models import CommissionRun, ReferralEntry, SupportEntry
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_customer
from refairn.core import clock
from refairn.programs.models import Business, StaffMembership
from tests.support import make_user

pytestmark = pytest.mark.django_db

DEC_1 = at(2026, 12, 1, 1)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(alice: User, business_a: Business) -> Client:
    return client_for(alice)


@pytest.fixture
def customer(business_a: Business, bob: User, dana: User) -> Any:
    """Referred by bob, supported by dana, the whole of November."""
    found = make_customer(
        business_a, value="300.00", subscribed_at=at(2026, 10, 1), referred_by=bob, name="C"
    )
    support_facts.assign(found, dana, at(2026, 10, 1))
    return found


def url(business: Business, rest: str = "") -> str:
    return f"/b/{business.id}/commissions/{rest}"


def entry_count() -> int:
    return ReferralEntry.objects.count() + SupportEntry.objects.count()


def test_running_a_month_then_reading_its_totals(
    owner_client: Client, business_a: Business, customer: Any
) -> None:
    with clock.frozen(DEC_1):
        response = owner_client.post(url(business_a, "run/"), {"period": "2026-11"}, follow=True)
    assert b"2026-11: 2 new entries, 0 already in the ledgers." in response.content
    totals = response.context["totals"]
    assert [(t.group, str(t.amount)) for t in totals.by_kind] == [
        ("referral_recurring", "30.00"),
        ("support_monthly", "20.00"),
    ]
    assert [(name, str(t.amount)) for name, t in response.context["by_agent"]] == [
        ("Bob Agent", "30.00"),
        ("dana@a.test", "20.00"),
    ]
    with clock.frozen(DEC_1):
        owner_client.post(url(business_a, "run/"), {"period": "2026-11"})
    assert entry_count() == 2


def test_a_month_that_has_not_ended_is_refused_at_the_field(
    owner_client: Client, business_a: Business, customer: Any
) -> None:
    response = owner_client.post(url(business_a, "run/"), {"period": "2026-11"})
    assert response.status_code == 409
    assert "has not ended yet" in response.context["run_form"].errors["period"][0]
    assert entry_count() == 0
    assert not CommissionRun.objects.exists()


def test_a_malformed_period_is_refused(owner_client: Client, business_a: Business) -> None:
    response = owner_client.post(url(business_a, "run/"), {"period": "Nov"})
    assert response.status_code == 422
    assert "YYYY-MM" in response.context["run_form"].errors["period"][0]
    assert not CommissionRun.objects.exists()


def test_filters_and_the_csv_export(
    owner_client: Client, business_a: Business, customer: Any, dana: User
) -> None:
    with clock.frozen(DEC_1):
        owner_client.post(url(business_a, "run/"), {"period": "2026-11"})
    page = owner_client.get(url(business_a), {"ledger": "support", "period": "2026-11"})
    assert [e.kind for e in page.context["entries"]] == ["support_monthly"]
    assert "ledger=support" in page.context["csv_query"]
    response = owner_client.get(f"/b/{business_a.id}/commissions.csv", {"agent_id": str(dana.id)})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["kind"], r["amount"]) for r in rows] == [("support_monthly", "20.00")]


def test_a_bad_filter_is_shown_and_lists_nothing(
    owner_client: Client, business_a: Business
) -> None:
    response = owner_client.get(url(business_a), {"period": "2026-13"})
    assert response.status_code == 422
    assert response.context["filters"].errors["period"]


def test_reviewers_agents_and_other_tenants_are_kept_out(
    business_a: Business, bob: User, charlie: User, business_b: Business, customer: Any
) -> None:
    reviewer = make_user("rita@a.test")
    StaffMembership.objects.create(business=business_a, user=reviewer, role="reviewer")
    assert client_for(reviewer).get(url(business_a)).status_code == 403
    assert client_for(bob).get(url(business_a)).status_code == 403
    assert client_for(charlie).get(url(business_a)).status_code == 404
    with clock.frozen(DEC_1):
        response = client_for(reviewer).post(url(business_a, "run/"), {"period": "2026-11"})
    assert response.status_code == 403
    assert client_for(reviewer).get(f"/b/{business_a.id}/commissions.csv").status_code == 403
    assert entry_count() == 0
