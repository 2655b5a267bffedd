"""Issue 11 item 6: staff set an agent's support level (L1, L2, L3, CSM); each change is in
the audit log, and "Required — L2+" tracks count on the dashboard only for L2 and above."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.certification.tests.journeys import certify
from refairn.programs.models import Agent
from refairn.training.models import Track
from tests.support import ApiClient, api_as, assert_problem

pytestmark = pytest.mark.django_db


def path(business: Any, agent: Any) -> str:
    return f"/businesses/{business.id}/agents/{agent.id}"


def test_staff_set_the_level_and_the_agent_list_shows_it(
    as_alice: ApiClient, business_a: Any, bob: Any
) -> None:
    assert Agent.objects.get(user=bob).support_level == "L1"
    response = as_alice.patch(path(business_a, bob), {"support_level": "L2"})
    assert response.status_code == 200, response.body
    assert response.body == {"agent_id": str(bob.id), "status": "approved", "support_level": "L2"}
    rows = as_alice.get(f"/businesses/{business_a.id}/agents").body
    assert next(r for r in rows if r["agent_id"] == str(bob.id))["support_level"] == "L2"


def test_each_change_is_in_the_audit_log(as_alice: ApiClient, business_a: Any, bob: Any) -> None:
    as_alice.patch(path(business_a, bob), {"support_level": "CSM"})
    as_alice.patch(path(business_a, bob), {"support_level": "CSM"})  # no change, no entry
    log = as_alice.get(f"/businesses/{business_a.id}/audit-log").body
    entries = [e for e in log if e["action"].startswith("support level")]
    assert len(entries) == 1
    assert entries[0]["action"] == "support level L1 → CSM"
    assert entries[0]["target_id"] == str(bob.id)


@pytest.mark.parametrize("body", [{"support_level": "L4"}, {"support_level": None}, {}])
def test_a_bad_level_is_refused(
    as_alice: ApiClient, business_a: Any, bob: Any, body: dict[str, Any]
) -> None:
    assert_problem(as_alice.patch(path(business_a, bob), body), 422, "validation_error")
    assert Agent.objects.get(user=bob).support_level == "L1"


def test_only_owners_and_managers_set_it(
    as_bob: ApiClient, business_a: Any, bob: Any, reviewer: Any, manager: Any, as_charlie: Any
) -> None:
    body = {"support_level": "L3"}
    assert_problem(as_bob.patch(path(business_a, bob), body), 403, "forbidden")
    assert_problem(api_as(reviewer).patch(path(business_a, bob), body), 403, "forbidden")
    assert_problem(as_charlie.patch(path(business_a, bob), body), 404, "not_found")
    assert Agent.objects.get(user=bob).support_level == "L1"
    assert api_as(manager).patch(path(business_a, bob), body).status_code == 200


def test_a_level_two_plus_track_counts_on_the_dashboard_only_from_l2(
    as_alice: ApiClient, alice: Any, business_a: Any, bob: Any
) -> None:
    base = {"requirement": "required", "passing_score": 80, "recertification_months": 12}
    fundamentals = as_alice.post(
        f"/businesses/{business_a.id}/tracks", {**base, "name": "Fundamentals"}
    ).body
    as_alice.post(
        f"/businesses/{business_a.id}/tracks", {**base, "name": "Advanced", "min_level": "L2"}
    )
    certify(Track.objects.get(pk=fundamentals["id"]), bob, alice)
    url = f"/businesses/{business_a.id}/reports/certification-dashboard"
    assert as_alice.get(url).body["overview"]["fully_certified"]["part"] == 1
    as_alice.patch(path(business_a, bob), {"support_level": "L2"})
    overview = as_alice.get(url).body["overview"]
    assert overview["fully_certified"]["part"] == 0
    assert overview["partially_certified"]["part"] == 1
