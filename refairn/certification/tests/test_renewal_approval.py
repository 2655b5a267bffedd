"""Issue 11 items 2 and 3 through the API with the test clock: a renewal follows the business's
final-approval setting, and a renewal after a lapse gets a full period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from refairn.certification.tests.api_journeys import pass_assessment, track_with_questions
from refairn.notifications.models import Notification
from refairn.programs.models import Business
from tests.support import T0, ApiClient

pytestmark = pytest.mark.django_db

FIRST_EXPIRY = T0 + relativedelta(months=6)  # Billing Basics renews every 6 months


@pytest.fixture
def test_clock(settings: Any, unfrozen: None, anon: ApiClient) -> Any:
    settings.REFAIRN_TEST_CLOCK = True

    def move(to: Any) -> None:
        response = anon.put("/test-clock", {"now": to.isoformat()})
        assert response.status_code == 200, response.content

    move(T0)
    return move


@pytest.fixture
def certified(
    test_clock: Any, as_alice: ApiClient, as_bob: ApiClient, bob: Any, business_a: Business
) -> str:
    track_id = track_with_questions(as_alice, business_a)
    assert as_bob.post(f"/businesses/{business_a.id}/support-access/request").status_code == 201
    assert pass_assessment(as_bob, track_id)["certification_status"] == "passed"
    path = f"/businesses/{business_a.id}/agents/{bob.id}/certifications/{track_id}"
    assert as_alice.post(f"{path}/approve").body["expires_at"] == FIRST_EXPIRY.isoformat().replace(
        "+00:00", "Z"
    )
    return track_id


def mine(agent: ApiClient, business: Business) -> dict[str, Any]:
    rows: list[dict[str, Any]] = agent.get(f"/businesses/{business.id}/certifications/me").body
    return rows[0]


def iso(value: Any) -> str:
    return value.isoformat().replace("+00:00", "Z")


def test_under_manual_approval_a_passed_renewal_waits_and_the_certification_stays_valid(
    test_clock: Any,
    as_alice: ApiClient,
    as_bob: ApiClient,
    alice: Any,
    bob: Any,
    business_a: Business,
    certified: str,
) -> None:
    renewed_at = FIRST_EXPIRY - timedelta(days=10)
    test_clock(renewed_at)
    assert pass_assessment(as_bob, certified)["certification_status"] == "certified"
    row = mine(as_bob, business_a)
    assert (row["status"], row["expires_at"]) == ("certified", iso(FIRST_EXPIRY))
    assert row["renewal_passed_at"] == iso(renewed_at)
    assert Notification.objects.filter(user=alice, kind="certification_approval_needed").count()

    path = f"/businesses/{business_a.id}/agents/{bob.id}/certifications/{certified}"
    approved = as_alice.post(f"{path}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.body["status"] == "certified"
    assert approved.body["expires_at"] == iso(FIRST_EXPIRY + relativedelta(months=6))
    assert approved.body["renewal_passed_at"] is None
    assert approved.body["history"][-1]["event"] == "renew"


def test_a_declined_renewal_keeps_the_certification_to_its_expiry(
    test_clock: Any,
    as_alice: ApiClient,
    as_bob: ApiClient,
    bob: Any,
    business_a: Business,
    certified: str,
) -> None:
    test_clock(FIRST_EXPIRY - timedelta(days=10))
    pass_assessment(as_bob, certified)
    path = f"/businesses/{business_a.id}/agents/{bob.id}/certifications/{certified}"
    declined = as_alice.post(f"{path}/decline", {"reason": "Please redo the billing module."})
    assert declined.status_code == 200, declined.content
    assert (declined.body["status"], declined.body["expires_at"]) == (
        "certified",
        iso(FIRST_EXPIRY),
    )
    assert declined.body["renewal_passed_at"] is None
    test_clock(FIRST_EXPIRY - timedelta(minutes=1))
    assert mine(as_bob, business_a)["status"] == "certified"
    test_clock(FIRST_EXPIRY + timedelta(minutes=1))
    assert mine(as_bob, business_a)["status"] == "expired"


def test_a_waiting_renewal_approved_after_the_expiry_runs_a_full_period_from_approval(
    test_clock: Any,
    as_alice: ApiClient,
    as_bob: ApiClient,
    bob: Any,
    business_a: Business,
    certified: str,
) -> None:
    test_clock(FIRST_EXPIRY - timedelta(days=3))
    pass_assessment(as_bob, certified)
    approved_at = FIRST_EXPIRY + timedelta(days=2)
    test_clock(approved_at)
    assert mine(as_bob, business_a)["status"] == "expired"
    path = f"/businesses/{business_a.id}/agents/{bob.id}/certifications/{certified}"
    approved = as_alice.post(f"{path}/approve").body
    assert (approved["status"], approved["expires_at"]) == (
        "certified",
        iso(approved_at + relativedelta(months=6)),
    )


def test_with_automatic_approval_a_renewal_extends_from_the_old_expiry_at_once(
    test_clock: Any, as_alice: ApiClient, as_bob: ApiClient, business_a: Business, certified: str
) -> None:
    as_alice.patch(f"/businesses/{business_a.id}/settings", {"final_approval": "automatic"})
    test_clock(FIRST_EXPIRY - timedelta(days=10))
    pass_assessment(as_bob, certified)
    row = mine(as_bob, business_a)
    assert (row["status"], row["expires_at"], row["renewal_passed_at"]) == (
        "certified",
        iso(FIRST_EXPIRY + relativedelta(months=6)),
        None,
    )


def test_a_renewal_two_months_after_a_lapse_gets_a_full_period_and_no_reminder_at_once(
    test_clock: Any,
    as_alice: ApiClient,
    as_bob: ApiClient,
    bob: Any,
    business_a: Business,
    certified: str,
) -> None:
    as_alice.patch(f"/businesses/{business_a.id}/settings", {"final_approval": "automatic"})
    again = FIRST_EXPIRY + relativedelta(months=2)
    test_clock(again)
    assert mine(as_bob, business_a)["status"] == "expired"
    reminded = Notification.objects.filter(user=bob, kind="certification_expiry_reminder")
    before = reminded.count()
    assert pass_assessment(as_bob, certified)["certification_status"] == "certified"
    assert mine(as_bob, business_a)["expires_at"] == iso(again + relativedelta(months=6))
    test_clock(again + timedelta(minutes=30))
    assert reminded.count() == before
