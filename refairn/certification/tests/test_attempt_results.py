"""The calls the assessments app makes: starting an attempt, handing it in, grading it."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from refairn.assessments.domain import AttemptOutcome
from refairn.certification import domain
from refairn.certification.models import CertificationEvent
from refairn.certification.services import (
    certification_approve,
    certification_grant_attempts,
    certification_record_review,
    certification_reopen,
    certification_revoke,
    certifications_expire_due,
)
from refairn.certification.tests.journeys import (
    as_actor,
    begin,
    cert,
    certify,
    make_track,
    review,
    set_settings,
    submit,
    to_failed,
)
from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden
from refairn.notifications.models import Notification
from tests.support import T0

pytestmark = pytest.mark.django_db


def blocked(track: Any, agent: Any) -> Conflict:
    with pytest.raises(Conflict) as caught:
        begin(track, agent.id)
    return caught.value


def history(track: Any, agent: Any) -> list[tuple[str, str, str]]:
    return list(
        CertificationEvent.objects.filter(certification=cert(track, agent)).values_list(
            "event", "from_status", "to_status"
        )
    )


def test_beginning_an_attempt_starts_the_track_and_counts_it(bob: Any, track: Any) -> None:
    attempt = begin(track, bob.id)
    certification = cert(track, bob)
    assert (certification.status, certification.attempts_used, attempt.number) == (
        "in_progress",
        1,
        1,
    )
    assert history(track, bob) == [("start_training", "not_started", "in_progress")]


def test_a_second_attempt_while_one_is_open_is_409(bob: Any, track: Any) -> None:
    begin(track, bob.id)
    assert blocked(track, bob).code == "attempt_in_progress"
    assert cert(track, bob).attempts_used == 1


def test_prerequisite_missing_until_the_prerequisite_is_currently_certified(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    advanced = make_track(business_a, alice, "Advanced", prerequisite_ids=[track.id])
    error = blocked(advanced, bob)
    assert error.code == "prerequisite_missing"
    assert "Fundamentals" in error.detail
    certify(track, bob, alice)
    with clock.frozen(T0 + timedelta(days=366)):  # the prerequisite has expired by then
        assert blocked(advanced, bob).code == "prerequisite_missing"
    begin(advanced, bob.id)


def test_after_a_fail_the_retry_period_runs_from_the_submission(
    bob: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, retry_period_days=3)
    to_failed(track, bob)
    with clock.frozen(T0 + timedelta(days=3) - timedelta(seconds=1)):
        error = blocked(track, bob)
    assert error.code == "retry_period_active"
    assert error.extra == {"next_attempt_at": (T0 + timedelta(days=3)).isoformat()}
    with clock.frozen(T0 + timedelta(days=3)):
        begin(track, bob.id)


def test_the_maximum_counts_granted_attempts(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, max_attempts=2, retry_period_days=0)
    to_failed(track, bob)
    to_failed(track, bob)
    assert blocked(track, bob).code == "max_attempts_reached"
    certification_grant_attempts(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, count=1
    )
    to_failed(track, bob)
    assert blocked(track, bob).code == "max_attempts_reached"
    assert cert(track, bob).attempts_used == 3


def test_a_critical_miss_fails_a_96_percent_score(bob: Any, track: Any) -> None:
    decision = submit(begin(track, bob.id), earned=96, critical_missed=True)
    assert decision.outcome is AttemptOutcome.FAILED
    certification = cert(track, bob)
    assert certification.status == "failed"
    assert certification.last_failed_at == T0
    assert history(track, bob)[-1] == ("auto_fail", "submitted", "failed")
    assert Notification.objects.filter(user=bob, kind="certification_failed").exists()


def test_a_pass_waits_for_the_business_and_staff_are_told(
    bob: Any, alice: Any, reviewer: Any, track: Any
) -> None:
    decision = submit(begin(track, bob.id), earned=80)
    assert decision.status is domain.Status.PASSED
    told = set(
        Notification.objects.filter(kind="certification_approval_needed").values_list(
            "user", flat=True
        )
    )
    assert told == {alice.id, reviewer.id}
    assert Notification.objects.filter(user=bob, kind="certification_passed").exists()


def test_automatic_final_approval_certifies_at_once(bob: Any, business_a: Any, track: Any) -> None:
    set_settings(business_a, final_approval="automatic")
    decision = submit(begin(track, bob.id), earned=90)
    assert decision.status is domain.Status.CERTIFIED
    certification = cert(track, bob)
    assert (certification.certified_at, certification.expires_at) == (
        T0,
        T0.replace(year=2027),
    )
    assert (certification.cycle, certification.attempts_used) == (2, 0)
    assert history(track, bob)[-1] == ("auto_approve", "passed", "certified")


def test_manual_review_sends_every_submission_to_review(
    bob: Any, alice: Any, reviewer: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, manual_review=True)
    attempt = begin(track, bob.id)
    decision = submit(attempt, earned=95)
    assert decision.status is domain.Status.AWAITING_MANUAL_REVIEW
    told = set(
        Notification.objects.filter(kind="certification_review_needed").values_list(
            "user", flat=True
        )
    )
    assert told == {alice.id, reviewer.id}
    result = review(attempt, earned=95, decision="fail", reviewer=as_actor(reviewer, business_a))
    assert result.status is domain.Status.FAILED
    event = CertificationEvent.objects.filter(certification=cert(track, bob)).last()
    assert (event.event, event.by) == ("review_fail", reviewer)
    assert cert(track, bob).last_failed_at == T0


def test_reviewer_graded_questions_wait_for_review_then_follow_the_score(
    bob: Any, reviewer: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, final_approval="automatic")
    attempt = begin(track, bob.id)
    assert submit(attempt, earned=60, pending=40).status is domain.Status.AWAITING_MANUAL_REVIEW
    result = review(attempt, earned=85, decision=None, reviewer=as_actor(reviewer, business_a))
    assert result.status is domain.Status.CERTIFIED
    assert cert(track, bob).expires_at == T0.replace(year=2027)


def test_a_sure_fail_does_not_wait_for_review(bob: Any, track: Any) -> None:
    decision = submit(begin(track, bob.id), earned=10, pending=20)
    assert decision.status is domain.Status.FAILED


def test_a_reviewer_may_not_pass_what_the_rules_fail(
    bob: Any, reviewer: Any, business_a: Any, track: Any
) -> None:
    attempt = begin(track, bob.id)
    submit(attempt, earned=40, pending=40)
    with pytest.raises(Conflict) as caught:
        review(attempt, earned=50, decision="pass", reviewer=as_actor(reviewer, business_a))
    assert caught.value.code == "review_pass_not_allowed"
    assert cert(track, bob).status == "awaiting_manual_review"


def test_grading_must_be_complete_and_agents_cannot_review(
    bob: Any, reviewer: Any, business_a: Any, track: Any
) -> None:
    attempt = begin(track, bob.id)
    submit(attempt, earned=40, pending=40)
    with pytest.raises(Conflict) as caught:
        certification_record_review(
            attempt=attempt, decision=None, actor=as_actor(reviewer, business_a)
        )
    assert caught.value.code == "grading_incomplete"
    attempt.pending_points = Decimal(0)
    with pytest.raises(Forbidden):
        certification_record_review(attempt=attempt, decision=None, actor=as_actor(bob, business_a))
    assert cert(track, bob).status == "awaiting_manual_review"


def test_an_auto_submitted_attempt_is_the_systems_event(bob: Any, track: Any) -> None:
    submit(begin(track, bob.id), earned=10, auto=True)
    event = CertificationEvent.objects.get(certification=cert(track, bob), event="submit")
    assert event.by is None


def test_renewal_opens_30_days_before_expiry_and_extends_from_the_old_expiry(
    bob: Any, alice: Any, track: Any
) -> None:
    expires = cert(certify(track, bob, alice).track, bob).expires_at
    assert expires == T0.replace(year=2027)
    with clock.frozen(expires - timedelta(days=30, seconds=1)):
        error = blocked(track, bob)
    assert error.code == "renewal_not_open"
    assert error.extra == {"next_attempt_at": (expires - timedelta(days=30)).isoformat()}
    set_settings(track.business, final_approval="automatic")
    with clock.frozen(expires - timedelta(days=20)):
        decision = submit(begin(track, bob.id), earned=100)
    assert decision.events == (domain.Event.RENEW,)
    certification = cert(track, bob)
    assert certification.status == "certified"
    assert certification.expires_at == T0.replace(year=2028)  # from the old expiry, not today
    assert history(track, bob)[-1] == ("renew", "certified", "certified")


def test_a_failed_renewal_leaves_the_agent_certified_until_expiry(
    bob: Any, alice: Any, track: Any
) -> None:
    certify(track, bob, alice)
    with clock.frozen(T0.replace(year=2027) - timedelta(days=10)):
        decision = submit(begin(track, bob.id), earned=10)
    assert (decision.outcome, decision.events) == (AttemptOutcome.FAILED, ())
    certification = cert(track, bob)
    assert (certification.status, certification.expires_at) == ("certified", T0.replace(year=2027))
    assert certification.last_failed_at == T0.replace(year=2027) - timedelta(days=10)


def test_a_retake_after_a_lapse_gets_a_full_period_from_the_day_certified_again(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    # Issue 11 item 2: not the old anniversary, which would leave 10 of the 12 months.
    certify(track, bob, alice)
    later = T0.replace(year=2027) + timedelta(days=40)
    with clock.frozen(later):
        certifications_expire_due()
        submit(begin(track, bob.id), earned=100)
        certification_approve(actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id)
    assert cert(track, bob).expires_at == later.replace(year=2028)


def test_an_attempt_from_before_a_revocation_changes_nothing(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    attempt = begin(track, bob.id)
    owner = as_actor(alice, business_a)
    certification_revoke(actor=owner, agent_id=bob.id, track_id=track.id, reason="Fraud")
    decision = submit(attempt, earned=100)
    assert (decision.events, decision.status) == ((), domain.Status.REVOKED)
    certification_reopen(actor=owner, agent_id=bob.id, track_id=track.id)
    assert submit(attempt, earned=100).status is domain.Status.NOT_STARTED
    assert cert(track, bob).status == "not_started"


def test_a_revoked_certification_blocks_new_attempts(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    certification_revoke(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, reason="Fraud"
    )
    assert blocked(track, bob).code == "certification_revoked"


def test_inconsistent_points_are_refused(bob: Any, track: Any) -> None:
    attempt = begin(track, bob.id)
    with pytest.raises(Conflict) as caught:
        submit(attempt, earned=0, total=0)
    assert caught.value.code == "invalid_score"
    assert cert(track, bob).status == "in_progress"
