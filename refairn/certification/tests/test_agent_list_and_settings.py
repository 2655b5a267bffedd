"""What this app adds to the programs API: levels and certifications in the agent list, and
track ids in the settings."""

from typing import Any

import pytest

from refairn.certification.tests.journeys import certify, make_track, to_failed
from refairn.programs.models import Agent
from tests.support import assert_problem, make_user

pytestmark = pytest.mark.django_db


def test_the_agent_list_shows_levels_and_certifications(
    as_alice: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    billing = make_track(business_a, alice, "Billing", requirement="optional")
    certify(track, bob, alice)
    rows = as_alice.get(f"/businesses/{business_a.id}/agents").body
    assert rows[0]["level"] == "strong"
    assert rows[0]["certifications"] == [
        {"track_id": str(track.id), "status": "certified", "expires_at": "2027-11-02T09:00:00Z"},
        {"track_id": str(billing.id), "status": "not_started", "expires_at": None},
    ]


def test_the_agent_list_is_bounded(
    as_alice: Any, alice: Any, business_a: Any, track: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        agent = make_user(f"agent{n}@a.test")
        Agent.objects.create(business=business_a, user=agent, status="approved")
        to_failed(track, agent)
    with django_assert_max_num_queries(12):
        assert len(as_alice.get(f"/businesses/{business_a.id}/agents").body) == 6


def test_support_tracks_and_report_targets_must_be_tracks_of_the_business(
    as_alice: Any, business_a: Any, business_b: Any, charlie: Any, track: Any
) -> None:
    foreign = make_track(business_b, charlie, "Theirs")
    url = f"/businesses/{business_a.id}/settings"
    response = as_alice.patch(url, {"support_track_ids": [str(foreign.id)]})
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "support_track_ids"
    response = as_alice.patch(url, {"report": {"targets": {str(foreign.id): 50}}})
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "report.targets"
    business_a.refresh_from_db()
    assert business_a.settings["support_track_ids"] is None
    assert business_a.settings["report"]["targets"] == {}

    ok = as_alice.patch(
        url, {"support_track_ids": [str(track.id)], "report": {"targets": {str(track.id): 80}}}
    )
    assert ok.status_code == 200, ok.content
    assert ok.body["support_track_ids"] == [str(track.id)]
