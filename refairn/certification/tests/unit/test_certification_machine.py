"""Random agent, business and system events driven through the pure status machine."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from refairn.assessments.domain import AttemptOutcome
from refairn.certification.domain import (
    ALLOWED_ACTORS,
    CYCLE_START_EVENTS,
    TRANSITIONS,
    ActorKind,
    CertificationRuleViolation,
    Event,
    ForbiddenTransition,
    InvalidTransition,
    RetryPolicy,
    ReviewDecision,
    Status,
    attempt_block,
    certification_expiry,
    check_actor,
    decide_review,
    decide_submission,
    expiry_due,
    next_attempt_at,
    next_status,
    replay,
    status_allows_attempt,
)

START = datetime(2024, 1, 31, 9, tzinfo=UTC)
STAFF = st.sampled_from([ActorKind.OWNER, ActorKind.MANAGER, ActorKind.REVIEWER])
BUSINESS = st.sampled_from([ActorKind.OWNER, ActorKind.MANAGER])


@dataclass
class PendingReview:
    submitted_at: datetime
    auto_earned: Decimal
    auto_total: Decimal
    pending_total: Decimal
    critical_missed: bool


class CertificationMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.now = START
        self.status = Status.NOT_STARTED
        self.expires_at = None
        self.history = []
        self.attempts_used = 0
        self.granted = 0
        self.last_failed_at = None
        self.review = None

    @initialize(
        retry_days=st.integers(0, 10),
        max_attempts=st.none() | st.integers(1, 4),
        months=st.sampled_from([1, 6, 12]),
        manual_review=st.booleans(),
        automatic_approval=st.booleans(),
        passing_score=st.sampled_from([Decimal(50), Decimal(70), Decimal("80.5")]),
    )
    def configure(
        self, retry_days, max_attempts, months, manual_review, automatic_approval, passing_score
    ):
        self.policy = RetryPolicy(retry_period_days=retry_days, max_attempts=max_attempts)
        self.months = months
        self.manual_review = manual_review
        self.automatic_approval = automatic_approval
        self.passing_score = passing_score

    def apply(self, event, actor):
        check_actor(event, actor)
        new = next_status(self.status, event)
        self.history.append((self.status, new))
        if new is Status.CERTIFIED:
            self.expires_at = certification_expiry(
                previous_expires_at=self.expires_at, months=self.months, now=self.now
            )
        if event is Event.REOPEN:
            self.expires_at = None
        if event in CYCLE_START_EVENTS:
            self.attempts_used, self.granted, self.last_failed_at = 0, 0, None
        self.status = new

    def apply_submission(self, events, submitter):
        for event in events:
            self.apply(event, submitter if event is Event.SUBMIT else ActorKind.SYSTEM)

    def apply_review(self, events, reviewer):
        for event in events:
            self.apply(event, ActorKind.SYSTEM if event is Event.AUTO_APPROVE else reviewer)

    def move_clock_to(self, when):
        self.now = when
        if expiry_due(self.status, self.expires_at, self.now):
            self.apply(Event.EXPIRE, ActorKind.SYSTEM)

    @rule(days=st.sampled_from([1, 7, 31, 200, 400]), hours=st.integers(0, 23))
    def clock_advances(self, days, hours):
        self.move_clock_to(self.now + timedelta(days=days, hours=hours))

    @precondition(lambda self: self.last_failed_at is not None)
    @rule()
    def clock_reaches_next_attempt(self):
        opens = next_attempt_at(last_failed_submitted_at=self.last_failed_at, policy=self.policy)
        self.move_clock_to(max(self.now, opens))

    @precondition(lambda self: self.expires_at is not None)
    @rule(days_before=st.sampled_from([15, 0, -1, -200, -400]))
    def clock_moves_near_expiry(self, days_before):
        self.move_clock_to(max(self.now, self.expires_at - timedelta(days=days_before)))

    def may_try_attempt(self):
        return self.review is None and status_allows_attempt(self.status, self.expires_at, self.now)

    @precondition(may_try_attempt)
    @rule(
        auto_total=st.integers(0, 20),
        auto_share=st.sampled_from([100, 0, 81, 69, 70, 50]),
        pending_total=st.sampled_from([0, 0, 0, 5]),
        critical_missed=st.sampled_from([False, False, False, True]),
        submitter=st.sampled_from([ActorKind.AGENT, ActorKind.SYSTEM]),
    )
    def agent_takes_attempt(
        self, auto_total, auto_share, pending_total, critical_missed, submitter
    ):
        blocked = attempt_block(
            attempts_used=self.attempts_used,
            granted_extra=self.granted,
            policy=self.policy,
            last_failed_submitted_at=self.last_failed_at,
            now=self.now,
            attempt_in_progress=False,
        )
        if blocked:
            return
        if self.status is Status.NOT_STARTED:
            self.apply(Event.START_TRAINING, ActorKind.AGENT)
        self.attempts_used += 1
        if auto_total + pending_total == 0:
            pending_total = 1
        auto_earned = Decimal(auto_total * auto_share // 100)
        decision = decide_submission(
            current=self.status,
            auto_earned=auto_earned,
            auto_total=Decimal(auto_total),
            pending_total=Decimal(pending_total),
            passing_score=self.passing_score,
            critical_missed=critical_missed,
            manual_review_on=self.manual_review,
            final_approval_automatic=self.automatic_approval,
        )
        self.apply_submission(decision.events, submitter)
        assert self.status is decision.status
        if decision.outcome is AttemptOutcome.FAILED:
            self.last_failed_at = self.now
        elif decision.outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW:
            self.review = PendingReview(
                self.now,
                auto_earned,
                Decimal(auto_total),
                Decimal(pending_total),
                critical_missed,
            )

    @precondition(lambda self: self.review is not None)
    @rule(
        share=st.sampled_from([100, 50, 0]),
        decision=st.none() | st.sampled_from(ReviewDecision),
        reviewer=STAFF,
    )
    def reviewer_grades(self, share, decision, reviewer):
        review = self.review
        earned = review.auto_earned + review.pending_total * share // 100
        try:
            result = decide_review(
                current=self.status,
                earned=earned,
                total=review.auto_total + review.pending_total,
                passing_score=self.passing_score,
                critical_missed=review.critical_missed,
                decision=decision,
                final_approval_automatic=self.automatic_approval,
            )
        except CertificationRuleViolation:
            assert decision is ReviewDecision.PASS
            return
        self.review = None
        self.apply_review(result.events, reviewer)
        if result.outcome is AttemptOutcome.FAILED:
            self.last_failed_at = review.submitted_at

    @precondition(lambda self: self.status is Status.PASSED)
    @rule(actor=STAFF)
    def business_approves(self, actor):
        self.apply(Event.APPROVE, actor)

    @precondition(lambda self: self.status is Status.PASSED)
    @rule(actor=STAFF)
    def business_declines(self, actor):
        self.apply(Event.DECLINE, actor)
        self.last_failed_at = self.now

    # Revocation is rare in life; from every state it would keep resetting the machine before
    # it reaches the interesting ones (the table test covers revoking from each state).
    @precondition(lambda self: self.status in {Status.CERTIFIED, Status.EXPIRED, Status.PASSED})
    @rule(actor=BUSINESS, revoke=st.sampled_from([False, False, True]))
    def business_revokes(self, actor, revoke):
        if not revoke:
            return
        self.apply(Event.REVOKE, actor)
        self.review = None

    @precondition(lambda self: self.status is Status.REVOKED)
    @rule(actor=BUSINESS)
    def business_reopens(self, actor):
        self.apply(Event.REOPEN, actor)

    @rule(count=st.integers(1, 2))
    def business_grants_attempts(self, count):
        self.granted += count

    @rule(event=st.sampled_from(Event), actor=st.sampled_from(ActorKind))
    def anyone_tries_anything_illegal(self, event, actor):
        if actor not in ALLOWED_ACTORS[event]:
            with pytest.raises(ForbiddenTransition):
                check_actor(event, actor)
        if (self.status, event) not in TRANSITIONS:
            with pytest.raises(InvalidTransition):
                next_status(self.status, event)

    @invariant()
    def status_is_one_of_the_nine(self):
        assert isinstance(self.status, Status)
        assert self.status is not Status.SUBMITTED  # a submission always resolves at once

    @invariant()
    def history_replays_to_the_current_status(self):
        assert replay(self.history) is self.status

    @invariant()
    def certified_means_not_yet_expired(self):
        if self.status is Status.CERTIFIED:
            assert self.expires_at is not None
            assert self.expires_at > self.now

    @invariant()
    def attempts_never_exceed_the_maximum_plus_grants(self):
        if getattr(self, "policy", None) and self.policy.max_attempts is not None:
            assert self.attempts_used <= self.policy.max_attempts + self.granted

    @invariant()
    def awaiting_review_has_an_attempt_to_review(self):
        if self.status is Status.AWAITING_MANUAL_REVIEW:
            assert self.review is not None


CertificationMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=40, deadline=None
)
test_certification_machine = CertificationMachine.TestCase
