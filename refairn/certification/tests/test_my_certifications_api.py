from datetime import timedelta
from typing import Any

import pytest

from refairn.certification.services import certification_grant_attempts, certification_revoke
from refairn.certification.tests.journeys import (
    as_actor,
    begin,
    certify,
    make_track,
    set_settings,
    to_failed,
    to_passed,
)
from refairn.core import clock
from refairn.programs.models import Agent
from refairn.training.models import Module, ModuleProgress
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _open_training(business_a: Any) -> None:
    set_settings(business_a, training_access="automatic")


def rows(client: Any, business: Any) -> dict[str, dict[str, Any]]:
    response = client.get(f"/businesses/{business.id}/certifications/me")
    assert response.status_code == 200, response.content
    return {row["track_name"]: row for row in response.body}


def module(track: Any, title: str, *, required: bool = True) -> Module:
    return Module.objects.create(
        business_id=track.business_id, track=track, title=title, format="pdf", required=required
    )


def test_a_fresh_agent_sees_every_track_with_its_rules(
    as_bob: Any, business_a: Any, alice: Any, track: Any
) -> None:
    set_settings(business_a, training_access="automatic", max_attempts=3, retry_period_days=5)
    mine = rows(as_bob, business_a)["Fundamentals"]
    assert mine == {
        "track_id": str(track.id),
        "track_name": "Fundamentals",
        "track_status": "published",
        "requirement": "required",
        "status": "not_started",
        "status_meaning": "You have not started this track yet.",
        "badge": {"name": "Fundamentals", "icon": "📘"},
        "modules": [],
        "attempts_used": 0,
        "granted_attempts": 0,
        "max_attempts": 3,
        "retry_period_days": 5,
        "next_attempt_at": None,
        "certified_at": None,
        "expires_at": None,
        "renewal_passed_at": None,
        "assessment_available": True,
        "blocked_reason": None,
    }


def test_modules_and_training_incomplete(
    bob: Any, as_bob: Any, business_a: Any, track: Any
) -> None:
    pdf = module(track, "Product overview")
    optional = module(track, "Roadmap", required=False)
    row = rows(as_bob, business_a)["Fundamentals"]
    assert [(m["title"], m["required"], m["completed"]) for m in row["modules"]] == [
        ("Product overview", True, False),
        ("Roadmap", False, False),
    ]
    assert {"id", "title", "format", "required", "completed"} <= row["modules"][0].keys()
    assert (row["assessment_available"], row["blocked_reason"]) == (False, "training_incomplete")
    ModuleProgress.objects.create(
        business=business_a, module=pdf, agent=bob, completed_at=T0, downloaded_at=T0
    )
    assert optional.required is False
    row = rows(as_bob, business_a)["Fundamentals"]
    assert (row["assessment_available"], row["blocked_reason"]) == (True, None)


def test_no_training_access_until_requested(as_bob: Any, business_a: Any, track: Any) -> None:
    set_settings(business_a, training_access="on_request")
    assert rows(as_bob, business_a)["Fundamentals"]["blocked_reason"] == "no_training_access"
    as_bob.post(f"/businesses/{business_a.id}/support-access/request")
    assert rows(as_bob, business_a)["Fundamentals"]["blocked_reason"] is None


def test_prerequisite_missing_until_the_prerequisite_is_certified(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    make_track(business_a, alice, "Advanced", prerequisite_ids=[track.id])
    assert rows(as_bob, business_a)["Advanced"]["blocked_reason"] == "prerequisite_missing"
    certify(track, bob, alice)
    mine = rows(as_bob, business_a)
    assert mine["Advanced"]["blocked_reason"] is None
    assert mine["Fundamentals"]["status"] == "certified"
    assert mine["Fundamentals"]["blocked_reason"] == "renewal_not_open"
    assert mine["Fundamentals"]["next_attempt_at"] == (
        (clock.now() + timedelta(days=365) - timedelta(days=30)).isoformat().replace("+00:00", "Z")
    )


def test_retry_period_shows_the_next_attempt_time(
    as_bob: Any, bob: Any, business_a: Any, track: Any
) -> None:
    to_failed(track, bob)
    row = rows(as_bob, business_a)["Fundamentals"]
    assert row["status"] == "failed"
    assert row["blocked_reason"] == "retry_period_active"
    assert row["next_attempt_at"] == "2026-11-09T09:00:00Z"
    assert row["attempts_used"] == 1
    with clock.frozen(T0 + timedelta(days=7)):
        assert rows(as_bob, business_a)["Fundamentals"]["assessment_available"] is True


def test_max_attempts_reached_until_the_business_grants_more(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, training_access="automatic", max_attempts=1, retry_period_days=0)
    to_failed(track, bob)
    row = rows(as_bob, business_a)["Fundamentals"]
    assert (row["blocked_reason"], row["max_attempts"]) == ("max_attempts_reached", 1)
    certification_grant_attempts(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, count=2
    )
    row = rows(as_bob, business_a)["Fundamentals"]
    assert (row["blocked_reason"], row["max_attempts"], row["granted_attempts"]) == (None, 3, 2)


def test_an_open_attempt_and_a_pending_decision_block_another(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    begin(track, bob.id)
    row = rows(as_bob, business_a)["Fundamentals"]
    assert (row["status"], row["blocked_reason"]) == ("in_progress", "attempt_in_progress")
    other = make_track(business_a, alice, "Billing")
    to_passed(other, bob)
    row = rows(as_bob, business_a)["Billing"]
    assert (row["status"], row["blocked_reason"]) == ("passed", "attempt_in_progress")
    assert row["status_meaning"].startswith("You passed")


def test_a_revoked_certification_is_blocked(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    certification_revoke(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, reason="Fraud"
    )
    row = rows(as_bob, business_a)["Fundamentals"]
    assert (row["status"], row["blocked_reason"]) == ("revoked", "certification_revoked")


def test_my_certifications_are_bounded_in_queries(
    as_bob: Any,
    bob: Any,
    alice: Any,
    business_a: Any,
    track: Any,
    django_assert_max_num_queries: Any,
) -> None:
    certify(track, bob, alice)
    for n in range(5):
        extra = make_track(business_a, alice, f"Track {n}", prerequisite_ids=[track.id])
        module(extra, f"Module {n}")
        to_failed(extra, bob)
    # Two beyond the path itself: overdue attempts to hand in, and the reasons of declines.
    with django_assert_max_num_queries(18):
        assert len(rows(as_bob, business_a)) == 6


def test_staff_have_no_certification_path(as_alice: Any, business_a: Any) -> None:
    assert_problem(as_alice.get(f"/businesses/{business_a.id}/certifications/me"), 403, "forbidden")


def test_a_pending_applicant_has_no_certification_path(
    bob: Any, as_bob: Any, business_a: Any
) -> None:
    Agent.objects.filter(user=bob).update(status="pending")
    assert_problem(as_bob.get(f"/businesses/{business_a.id}/certifications/me"), 403, "forbidden")


def test_another_tenant_gets_404(as_charlie: Any, business_a: Any) -> None:
    assert_problem(
        as_charlie.get(f"/businesses/{business_a.id}/certifications/me"), 404, "not_found"
    )
