from decimal import Decimal

import pytest

from refairn.assessments.domain import (
    AttemptOutcome,
    automatic_part_decides_fail,
    meets_threshold,
    score_percent,
)
from refairn.certification.domain import (
    CertificationRuleViolation,
    Event,
    InvalidTransition,
    ReviewDecision,
    Status,
    decide_review,
    decide_submission,
)

D = Decimal


def submit(current=Status.IN_PROGRESS, **overrides):
    args = {
        "current": current,
        "auto_earned": D(8),
        "auto_total": D(10),
        "pending_total": D(0),
        "passing_score": D(80),
        "critical_missed": False,
        "manual_review_on": False,
        "final_approval_automatic": False,
    }
    args.update(overrides)
    return decide_submission(**args)


def review(current=Status.AWAITING_MANUAL_REVIEW, **overrides):
    args = {
        "current": current,
        "earned": D(16),
        "total": D(20),
        "passing_score": D(80),
        "critical_missed": False,
        "decision": None,
        "final_approval_automatic": False,
    }
    args.update(overrides)
    return decide_review(**args)


def test_score_is_truncated_to_two_places():
    assert score_percent(D(2), D(3)) == D("66.66")
    assert score_percent(D(17), D(20)) == D("85.00")


def test_threshold_compares_the_exact_score():
    # 2/3 is 66.666...%: short of 66.67 even though it would round up to it.
    assert not meets_threshold(D(2), D(3), D("66.67"))
    assert meets_threshold(D(2), D(3), D("66.66"))
    assert meets_threshold(D(16), D(20), D(80))
    assert not meets_threshold(D("15.5"), D(20), D(80))


def test_zero_point_assessment_is_refused():
    with pytest.raises(ValueError, match="more than zero points"):
        score_percent(D(0), D(0))


def test_full_marks_on_pending_questions_could_still_pass():
    # 4 of 10 auto points, 10 reviewer points pending: best case 14/20 = 70%.
    assert not automatic_part_decides_fail(
        auto_earned=D(4),
        auto_total=D(10),
        pending_total=D(10),
        passing_score=D(70),
        critical_missed=False,
    )


def test_auto_part_decides_fail_when_even_full_pending_marks_fall_short():
    # best case 13/20 = 65% < 70%.
    assert automatic_part_decides_fail(
        auto_earned=D(3),
        auto_total=D(10),
        pending_total=D(10),
        passing_score=D(70),
        critical_missed=False,
    )


def test_critical_auto_miss_decides_fail_whatever_the_score():
    assert automatic_part_decides_fail(
        auto_earned=D(10),
        auto_total=D(10),
        pending_total=D(10),
        passing_score=D(10),
        critical_missed=True,
    )


def test_pass_without_review_waits_for_business_approval():
    decision = submit()
    assert decision.outcome is AttemptOutcome.PASSED
    assert decision.events == (Event.SUBMIT, Event.AUTO_PASS)
    assert decision.status is Status.PASSED


def test_pass_with_automatic_final_approval_certifies_at_once():
    decision = submit(final_approval_automatic=True)
    assert decision.events == (Event.SUBMIT, Event.AUTO_PASS, Event.AUTO_APPROVE)
    assert decision.status is Status.CERTIFIED


def test_below_threshold_fails():
    decision = submit(auto_earned=D("7.99"), final_approval_automatic=True)
    assert decision.outcome is AttemptOutcome.FAILED
    assert decision.events == (Event.SUBMIT, Event.AUTO_FAIL)
    assert decision.status is Status.FAILED


def test_critical_miss_fails_a_perfect_score():
    decision = submit(auto_earned=D(10), critical_missed=True)
    assert decision.status is Status.FAILED


def test_reviewer_graded_questions_send_to_review():
    decision = submit(auto_earned=D(4), pending_total=D(10), passing_score=D(70))
    assert decision.outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW
    assert decision.events == (Event.SUBMIT, Event.SEND_TO_REVIEW)
    assert decision.status is Status.AWAITING_MANUAL_REVIEW


def test_reviewer_graded_questions_do_not_delay_a_decided_fail():
    decision = submit(auto_earned=D(3), pending_total=D(10), passing_score=D(70))
    assert decision.status is Status.FAILED


def test_critical_auto_miss_with_reviewer_questions_fails_at_once():
    decision = submit(auto_earned=D(10), pending_total=D(10), critical_missed=True)
    assert decision.status is Status.FAILED


def test_manual_review_sends_every_submission_to_review_even_a_sure_fail():
    assert submit(manual_review_on=True).status is Status.AWAITING_MANUAL_REVIEW
    sure_fail = submit(manual_review_on=True, auto_earned=D(0), critical_missed=True)
    assert sure_fail.status is Status.AWAITING_MANUAL_REVIEW


def test_retry_after_a_fail_and_retake_after_expiry_are_submissions():
    assert submit(current=Status.FAILED).status is Status.PASSED
    assert submit(current=Status.EXPIRED, final_approval_automatic=True).status is (
        Status.CERTIFIED
    )


def test_submission_is_refused_while_another_result_is_pending():
    with pytest.raises(InvalidTransition):
        submit(current=Status.PASSED)
    with pytest.raises(InvalidTransition):
        submit(current=Status.NOT_STARTED)
    with pytest.raises(InvalidTransition):
        submit(current=Status.REVOKED)


def test_passing_renewal_renews_at_once_with_automatic_final_approval():
    decision = submit(current=Status.CERTIFIED, final_approval_automatic=True)
    assert decision.outcome is AttemptOutcome.PASSED
    assert decision.events == (Event.RENEW,)
    assert decision.status is Status.CERTIFIED
    assert not decision.renewal_awaits_approval


def test_passing_renewal_waits_for_the_business_under_manual_approval():
    # Issue 11 item 3: the current certification stays as it is meanwhile.
    decision = submit(current=Status.CERTIFIED, final_approval_automatic=False)
    assert decision.outcome is AttemptOutcome.PASSED
    assert decision.events == ()
    assert decision.status is Status.CERTIFIED
    assert decision.renewal_awaits_approval


def test_failed_renewal_leaves_the_agent_certified():
    decision = submit(current=Status.CERTIFIED, auto_earned=D(1))
    assert decision.outcome is AttemptOutcome.FAILED
    assert decision.events == ()
    assert decision.status is Status.CERTIFIED


def test_renewal_needing_review_leaves_the_agent_certified():
    decision = submit(current=Status.CERTIFIED, manual_review_on=True)
    assert decision.outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW
    assert decision.events == ()
    assert decision.status is Status.CERTIFIED


def test_review_following_the_score_passes_then_waits_for_approval():
    decision = review()
    assert decision.outcome is AttemptOutcome.PASSED
    assert decision.events == (Event.REVIEW_PASS,)
    assert decision.status is Status.PASSED


def test_review_pass_with_automatic_final_approval_certifies():
    decision = review(final_approval_automatic=True)
    assert decision.events == (Event.REVIEW_PASS, Event.AUTO_APPROVE)
    assert decision.status is Status.CERTIFIED


def test_review_following_a_low_score_fails():
    decision = review(earned=D("15.99"))
    assert decision.events == (Event.REVIEW_FAIL,)
    assert decision.status is Status.FAILED


def test_reviewer_may_fail_an_attempt_that_met_the_threshold():
    assert review(decision=ReviewDecision.FAIL).status is Status.FAILED


def test_reviewer_may_not_pass_an_attempt_below_the_threshold():
    with pytest.raises(CertificationRuleViolation) as caught:
        review(earned=D(10), decision=ReviewDecision.PASS)
    assert caught.value.code == "review_pass_not_allowed"


def test_reviewer_may_not_pass_a_critical_miss():
    with pytest.raises(CertificationRuleViolation):
        review(earned=D(20), critical_missed=True, decision=ReviewDecision.PASS)


def test_reviewed_renewal_pass_renews_even_after_expiry():
    assert review(current=Status.CERTIFIED, final_approval_automatic=True).events == (Event.RENEW,)
    expired = review(current=Status.EXPIRED, final_approval_automatic=True)
    assert expired.events == (Event.RENEW,)
    assert expired.status is Status.CERTIFIED


def test_reviewed_renewal_pass_waits_for_manual_approval():
    decision = review(current=Status.EXPIRED)
    assert (decision.events, decision.status) == ((), Status.EXPIRED)
    assert decision.renewal_awaits_approval


def test_reviewed_renewal_fail_changes_nothing():
    decision = review(current=Status.EXPIRED, decision=ReviewDecision.FAIL)
    assert decision.outcome is AttemptOutcome.FAILED
    assert decision.events == ()
    assert decision.status is Status.EXPIRED


def test_review_of_a_revoked_certification_is_refused():
    with pytest.raises(InvalidTransition) as caught:
        review(current=Status.REVOKED)
    assert caught.value.event is Event.REVIEW_PASS


def test_stored_string_values_are_understood_like_the_enums():
    assert submit(current="certified", final_approval_automatic=True).events == (Event.RENEW,)
    with pytest.raises(CertificationRuleViolation):
        review(current="awaiting_manual_review", earned=D(1), decision="pass")
    assert review(current="awaiting_manual_review", decision="fail").status is Status.FAILED
