from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from refairn.certification.models import AttemptGrant, Certification, CertificationEvent
from refairn.certification.services import certification_revoke
from refairn.certification.tests.journeys import (
    as_actor,
    begin,
    cert,
    certify,
    make_track,
    set_settings,
    to_failed,
    to_passed,
)
from refairn.notifications.models import Notification
from refairn.programs.models import Agent, Customer
from refairn.support.models import Assignment
from tests.support import T0, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


def path(business: Any, agent: Any, track: Any, action: str = "") -> str:
    tail = f"/{action}" if action else ""
    return f"/businesses/{business.id}/agents/{agent.id}/certifications/{track.id}{tail}"


def events(certification: Certification) -> list[tuple[str, str]]:
    return list(
        CertificationEvent.objects.filter(certification=certification).values_list(
            "from_status", "to_status"
        )
    )


# -- GET ------------------------------------------------------------------------------------


def test_staff_read_a_certification_with_its_history(
    as_alice: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    response = as_alice.get(path(business_a, bob, track))
    assert response.status_code == 200, response.content
    body = response.body
    assert body["status"] == "certified"
    assert body["certified_at"] == "2026-11-02T09:00:00Z"
    assert body["expires_at"] == "2027-11-02T09:00:00Z"
    assert body["attempts_used"] == 0  # a new cycle starts at certification
    assert [(h["from"], h["to"]) for h in body["history"]] == [
        ("not_started", "in_progress"),
        ("in_progress", "submitted"),
        ("submitted", "passed"),
        ("passed", "certified"),
    ]
    assert body["history"][0]["by"] == str(bob.id)
    assert body["history"][2]["by"] is None  # the system scored it
    assert body["history"][3] == {
        "from": "passed",
        "to": "certified",
        "event": "approve",
        "at": "2026-11-02T09:00:00Z",
        "by": str(alice.id),
        "reason": "Approved by the business.",
    }


def test_the_agent_reads_their_own_certification(
    as_bob: Any, bob: Any, business_a: Any, track: Any
) -> None:
    body = as_bob.get(path(business_a, bob, track)).body
    assert (body["status"], body["history"], body["attempts_used"]) == ("not_started", [], 0)


def test_an_agent_cannot_read_another_agents_certification(
    as_bob: Any, business_a: Any, track: Any
) -> None:
    other = make_user("olga@a.test")
    Agent.objects.create(business=business_a, user=other, status="approved")
    assert_problem(as_bob.get(path(business_a, other, track)), 404, "not_found")


def test_unknown_agents_and_tracks_are_404(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    assert_problem(as_alice.get(path(business_a, alice, track)), 404, "not_found")
    response = as_alice.get(f"/businesses/{business_a.id}/agents/{bob.id}/certifications/nope")
    assert_problem(response, 404, "not_found")


def test_another_tenant_cannot_read_certifications(
    as_charlie: Any, bob: Any, business_a: Any, track: Any
) -> None:
    assert_problem(as_charlie.get(path(business_a, bob, track)), 404, "not_found")


# -- approve ----------------------------------------------------------------------------------


def test_a_reviewer_approves_a_pass(reviewer: Any, bob: Any, business_a: Any, track: Any) -> None:
    to_passed(track, bob)
    response = api_as(reviewer).post(path(business_a, bob, track, "approve"))
    assert response.status_code == 200, response.content
    assert response.body["status"] == "certified"
    assert response.body["expires_at"] == "2027-11-02T09:00:00Z"
    assert Notification.objects.filter(user=bob, kind="certification_certified").exists()


def test_approving_anything_but_a_pass_is_409(
    as_alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    to_failed(track, bob)
    before = events(cert(track, bob))
    assert_problem(
        as_alice.post(path(business_a, bob, track, "approve")), 409, "invalid_transition"
    )
    assert events(cert(track, bob)) == before
    assert cert(track, bob).status == "failed"


def test_approving_a_certification_never_started_writes_nothing(
    as_alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    assert_problem(
        as_alice.post(path(business_a, bob, track, "approve")), 409, "invalid_transition"
    )
    assert not Certification.objects.exists()


def test_agents_cannot_approve(as_bob: Any, bob: Any, business_a: Any, track: Any) -> None:
    to_passed(track, bob)
    assert_problem(as_bob.post(path(business_a, bob, track, "approve")), 403, "forbidden")
    assert cert(track, bob).status == "passed"


def test_another_tenant_cannot_approve(
    as_charlie: Any, bob: Any, business_a: Any, track: Any
) -> None:
    to_passed(track, bob)
    assert_problem(as_charlie.post(path(business_a, bob, track, "approve")), 404, "not_found")
    assert cert(track, bob).status == "passed"


# -- decline ----------------------------------------------------------------------------------


def test_declining_a_pass_fails_it_with_the_reason_and_starts_the_retry_period(
    manager: Any, bob: Any, business_a: Any, track: Any
) -> None:
    to_passed(track, bob)
    response = api_as(manager).post(
        path(business_a, bob, track, "decline"), {"reason": "Copied answers"}
    )
    assert response.status_code == 200, response.content
    body = response.body
    assert body["status"] == "failed"
    assert body["history"][-1]["reason"] == "Copied answers"
    assert body["last_failed_at"] == "2026-11-02T09:00:00Z"
    assert body["next_attempt_at"] == "2026-11-09T09:00:00Z"
    notice = Notification.objects.get(user=bob, kind="certification_declined")
    assert "Copied answers" in notice.text


def test_the_agent_reads_that_the_business_declined_with_its_reason(
    manager: Any, as_bob: Any, bob: Any, business_a: Any, track: Any
) -> None:
    to_passed(track, bob)
    api_as(manager).post(path(business_a, bob, track, "decline"), {"reason": "Copied answers"})

    (row,) = as_bob.get(f"/businesses/{business_a.id}/certifications/me").body
    detail = as_bob.get(path(business_a, bob, track)).body
    client = Client()
    client.force_login(bob)
    page = client.get(f"/b/{business_a.id}/certification/").content.decode()

    for meaning in (row["status_meaning"], detail["status_meaning"]):
        assert "The business declined your certification" in meaning
        assert "Copied answers" in meaning
        assert "passing score" not in meaning
    assert "The business declined your certification. Its reason: “Copied answers”" in page


def test_a_fail_on_the_score_still_reads_as_a_fail_on_the_score(
    as_bob: Any, bob: Any, business_a: Any, track: Any
) -> None:
    to_failed(track, bob)

    (row,) = as_bob.get(f"/businesses/{business_a.id}/certifications/me").body

    assert "did not reach the passing score" in row["status_meaning"]


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": "   "}])
def test_a_decline_needs_a_reason(
    as_alice: Any, bob: Any, business_a: Any, track: Any, payload: Any
) -> None:
    to_passed(track, bob)
    assert_problem(
        as_alice.post(path(business_a, bob, track, "decline"), payload), 422, "validation_error"
    )
    assert cert(track, bob).status == "passed"


def test_declining_anything_but_a_pass_is_409(
    as_alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, as_alice.user)
    response = as_alice.post(path(business_a, bob, track, "decline"), {"reason": "No"})
    assert_problem(response, 409, "invalid_transition")
    assert cert(track, bob).status == "certified"


def test_agents_cannot_decline(as_bob: Any, bob: Any, business_a: Any, track: Any) -> None:
    to_passed(track, bob)
    assert_problem(
        as_bob.post(path(business_a, bob, track, "decline"), {"reason": "x"}), 403, "forbidden"
    )
    assert cert(track, bob).status == "passed"


def test_another_tenant_cannot_decline(
    as_charlie: Any, bob: Any, business_a: Any, track: Any
) -> None:
    to_passed(track, bob)
    response = as_charlie.post(path(business_a, bob, track, "decline"), {"reason": "x"})
    assert_problem(response, 404, "not_found")
    assert cert(track, bob).status == "passed"


# -- revoke ------------------------------------------------------------------------------------


@pytest.fixture
def supported(business_a: Any, bob: Any) -> Customer:
    """A customer bob referred and supports."""
    customer = Customer.objects.create(
        business=business_a,
        name="Acme",
        monthly_value=Decimal(100),
        referred_by=bob,
        subscribed_at=T0 - timedelta(days=60),
    )
    Assignment.objects.create(business=business_a, customer=customer, agent=bob)
    return customer


def test_revoking_a_support_track_ends_support_but_not_referrals(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any, supported: Customer
) -> None:
    certify(track, bob, alice)
    response = as_alice.post(path(business_a, bob, track, "revoke"), {"reason": "Data leak"})
    assert response.status_code == 200, response.content
    assert response.body["status"] == "revoked"
    assert response.body["history"][-1]["reason"] == "Data leak"
    assignment = Assignment.objects.get(customer=supported)
    assert assignment.ended_at == T0
    assert assignment.ended_by == alice
    assert "Data leak" in assignment.end_reason
    supported.refresh_from_db()
    assert supported.referred_by == bob
    assert Agent.objects.get(user=bob).status == "approved"


def test_revoking_a_track_outside_support_keeps_assignments(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any, supported: Customer
) -> None:
    billing = make_track(business_a, alice, "Billing", requirement="optional")
    certify(track, bob, alice)
    certify(billing, bob, alice)
    response = as_alice.post(path(business_a, bob, billing, "revoke"), {"reason": "Complaints"})
    assert response.body["status"] == "revoked"
    assert Assignment.objects.get(customer=supported).ended_at is None


def test_revoking_needs_a_reason(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    assert_problem(
        as_alice.post(path(business_a, bob, track, "revoke"), {}), 422, "validation_error"
    )
    assert cert(track, bob).status == "certified"


def test_revoking_twice_is_409(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    as_alice.post(path(business_a, bob, track, "revoke"), {"reason": "Fraud"})
    response = as_alice.post(path(business_a, bob, track, "revoke"), {"reason": "Again"})
    assert_problem(response, 409, "invalid_transition")
    assert events(cert(track, bob))[-1] == ("certified", "revoked")


def test_reviewers_cannot_revoke(
    reviewer: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    response = api_as(reviewer).post(path(business_a, bob, track, "revoke"), {"reason": "x"})
    assert_problem(response, 403, "forbidden")
    assert cert(track, bob).status == "certified"


def test_another_tenant_cannot_revoke(
    as_charlie: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    response = as_charlie.post(path(business_a, bob, track, "revoke"), {"reason": "x"})
    assert_problem(response, 404, "not_found")
    assert cert(track, bob).status == "certified"


# -- reopen ------------------------------------------------------------------------------------


def test_reopening_a_revoked_certification_starts_a_new_cycle(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, max_attempts=1)
    to_failed(track, bob)
    certification_revoke(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, reason="Cheating"
    )
    response = as_alice.post(path(business_a, bob, track, "reopen"), {"reason": "Cleared"})
    assert response.status_code == 200, response.content
    body = response.body
    assert (body["status"], body["attempts_used"], body["cycle"]) == ("not_started", 0, 2)
    assert (body["expires_at"], body["last_failed_at"]) == (None, None)
    assert body["history"][-1]["reason"] == "Cleared"
    begin(track, bob.id)  # attempts count afresh


def test_reopen_needs_no_body(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    as_alice.post(path(business_a, bob, track, "revoke"), {"reason": "x"})
    response = as_alice.call("POST", path(business_a, bob, track, "reopen"))
    assert response.status_code == 200, response.content
    assert response.body["status"] == "not_started"


def test_only_a_revoked_certification_reopens(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    assert_problem(as_alice.post(path(business_a, bob, track, "reopen")), 409, "invalid_transition")
    assert_problem(
        as_alice.post(path(business_a, bob, track, "reopen"), {"note": "x"}),
        422,
        "validation_error",
    )
    assert cert(track, bob).status == "certified"


def test_reviewers_cannot_reopen(
    reviewer: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certification_revoke(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, reason="x"
    )
    assert_problem(api_as(reviewer).post(path(business_a, bob, track, "reopen")), 403, "forbidden")
    assert cert(track, bob).status == "revoked"


def test_another_tenant_cannot_reopen(
    as_charlie: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    certification_revoke(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, reason="x"
    )
    assert_problem(as_charlie.post(path(business_a, bob, track, "reopen")), 404, "not_found")
    assert cert(track, bob).status == "revoked"


# -- grant attempts ------------------------------------------------------------------------------


def test_granting_attempts_lifts_the_maximum(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, max_attempts=1, retry_period_days=0)
    to_failed(track, bob)
    response = as_alice.post(
        path(business_a, bob, track, "grant-attempts"), {"count": 2, "reason": "Illness"}
    )
    assert response.status_code == 200, response.content
    assert (response.body["granted_attempts"], response.body["max_attempts"]) == (2, 3)
    grant = AttemptGrant.objects.get()
    assert (grant.count, grant.by, grant.reason, grant.cycle) == (2, alice, "Illness", 1)
    assert Notification.objects.filter(user=bob, kind="certification_attempts_granted").exists()
    begin(track, bob.id)


@pytest.mark.parametrize("payload", [{"count": 0}, {"count": 21}, {"count": "many"}, {}])
def test_grant_counts_are_1_to_20(
    as_alice: Any, bob: Any, business_a: Any, track: Any, payload: Any
) -> None:
    response = as_alice.post(path(business_a, bob, track, "grant-attempts"), payload)
    assert_problem(response, 422, "validation_error")
    assert not AttemptGrant.objects.exists()
    assert not Certification.objects.exists()


def test_reviewers_cannot_grant_attempts(
    reviewer: Any, bob: Any, business_a: Any, track: Any
) -> None:
    response = api_as(reviewer).post(path(business_a, bob, track, "grant-attempts"), {"count": 1})
    assert_problem(response, 403, "forbidden")
    assert not AttemptGrant.objects.exists()


def test_another_tenant_cannot_grant_attempts(
    as_charlie: Any, bob: Any, business_a: Any, track: Any
) -> None:
    response = as_charlie.post(path(business_a, bob, track, "grant-attempts"), {"count": 1})
    assert_problem(response, 404, "not_found")
    assert not AttemptGrant.objects.exists()


def test_decisions_name_an_agent_of_this_business(
    as_alice: Any, charlie: Any, business_a: Any, track: Any
) -> None:
    response = as_alice.post(path(business_a, charlie, track, "grant-attempts"), {"count": 1})
    assert_problem(response, 404, "not_found")
