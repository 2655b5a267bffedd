"""Issue 18 item 6: the program's settings whole for its owners and managers only; every other
member reads the part they need, never the costs or the commission terms."""

from typing import Any

import pytest

from refairn.programs.models import Customer, StaffMembership
from tests.support import T0, api_as, make_staff, make_user

pytestmark = pytest.mark.django_db

PRIVATE = {"report", "referral_terms", "support_terms", "sla_policy"}
SHARED = {
    "currency",
    "training_access",
    "final_approval",
    "manual_review",
    "retry_period_days",
    "max_attempts",
    "sla",
    "support_track_ids",
}


@pytest.fixture
def costed(as_alice: Any, business_a: Any) -> Any:
    patch = {"report": {"annual_cost": "120000.00", "revenue_impact": "450000.00"}}
    assert as_alice.patch(f"/businesses/{business_a.id}/settings", patch).status_code == 200
    return business_a


def test_owners_and_managers_read_every_setting(as_alice: Any, manager: Any, costed: Any) -> None:
    for client in (as_alice, api_as(manager)):
        settings = client.get(f"/businesses/{costed.id}").body["settings"]
        assert settings.keys() == PRIVATE | SHARED
        assert settings["report"]["annual_cost"] == "120000.00"
        assert settings["referral_terms"]["one_off_amount"] == "25.00"


def test_other_members_read_what_they_need_and_no_cost_or_terms(
    as_bob: Any, reviewer: Any, security_officer: Any, costed: Any
) -> None:
    customer = make_user("carol@customer.test")
    Customer.objects.create(
        business=costed, user=customer, name="Carol", monthly_value=10, subscribed_at=T0
    )
    clients = {
        "agent": as_bob,
        "reviewer": api_as(reviewer),
        "security": api_as(security_officer),
        "customer": api_as(customer),
    }
    for role, client in clients.items():
        response = client.get(f"/businesses/{costed.id}")
        assert response.status_code == 200, role
        assert response.body["settings"].keys() == SHARED, role
        assert "120000" not in response.content.decode(), role


def test_an_applicant_reads_the_same_part(business_a: Any) -> None:
    applicant = make_user("ann@applicant.test")
    assert api_as(applicant).post(f"/businesses/{business_a.id}/agents").status_code == 201
    settings = api_as(applicant).get(f"/businesses/{business_a.id}").body["settings"]
    assert settings.keys() == SHARED


def test_a_reviewer_who_also_manages_reads_every_setting(business_a: Any, costed: Any) -> None:
    both = make_staff(business_a, "both@a.test", "reviewer")
    StaffMembership.objects.create(business=business_a, user=both, role="manager")
    settings = api_as(both).get(f"/businesses/{business_a.id}").body["settings"]
    assert settings["report"]["annual_cost"] == "120000.00"
