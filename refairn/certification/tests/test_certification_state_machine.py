"""Random sequences of agent and business actions against the real services and database,
checking PRODUCT.md §5's invariants after every step (the issue's "Tests that must exist")."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from refairn.assessments.domain import AttemptOutcome
from refairn.assessments.models import Attempt
from refairn.certification import domain
from refairn.certification.models import Certification, CertificationEvent
from refairn.certification.services import (
    certification_approve,
    certification_decline,
    certification_grant_attempts,
    certification_reopen,
    certification_revoke,
    certification_start_training,
    certifications_expire_due,
    expiry_reminders_send,
)
from refairn.certification.settings_section import certification_settings
from refairn.certification.tests.journeys import (
    as_actor,
    begin,
    make_track,
    review,
    set_settings,
    submit,
)
from refairn.core import clock
from refairn.core.errors import Conflict
from refairn.programs.models import Agent, StaffMembership
from refairn.programs.services import business_create
from tests.support import T0, make_user

_examples = itertools.count()
# A result awaits the business, or the business revoked: no attempt can start.
_NO_NEW_ATTEMPT = frozenset(
    {domain.Status.PASSED, domain.Status.AWAITING_MANUAL_REVIEW, domain.Status.REVOKED}
)


class CertificationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example runs in its own savepoint, rolled back in teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.now = T0
        n = next(_examples)
        owner = make_user(f"owner{n}@machine.test")
        self.business = business_create(user=owner, name=f"Machine {n}")
        self.agent = make_user(f"agent{n}@machine.test")
        Agent.objects.create(business=self.business, user=self.agent, status="approved")
        reviewer = make_user(f"reviewer{n}@machine.test")
        StaffMembership.objects.create(business=self.business, user=reviewer, role="reviewer")
        self.owner = as_actor(owner, self.business)
        self.reviewer = as_actor(reviewer, self.business)
        self.track = make_track(self.business, owner, recertification_months=6)
        self.awaiting: Attempt | None = None
        self.loaded: Certification | None = None

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @contextmanager
    def at_now(self) -> Iterator[None]:
        with clock.frozen(self.now):
            yield

    def decide(self, action: Any, **kwargs: Any) -> None:
        """A business decision; only ``invalid_transition`` may refuse it."""
        with self.at_now():
            try:
                action(actor=self.owner, agent_id=self.agent.id, track_id=self.track.id, **kwargs)
            except Conflict as exc:
                assert exc.code == "invalid_transition"

    @initialize(
        manual_review=st.booleans(),
        automatic=st.booleans(),
        max_attempts=st.sampled_from([None, 1, 2]),
        retry_days=st.sampled_from([0, 1, 7]),
    )
    def configure(
        self, manual_review: bool, automatic: bool, max_attempts: int | None, retry_days: int
    ) -> None:
        set_settings(
            self.business,
            manual_review=manual_review,
            final_approval="automatic" if automatic else "manual",
            max_attempts=max_attempts,
            retry_period_days=retry_days,
        )

    @rule()
    @precondition(lambda self: self.status() == domain.Status.NOT_STARTED)
    def start_training(self) -> None:
        with self.at_now():
            certification_start_training(track=self.track, agent_id=self.agent.id)

    @rule(
        score=st.one_of(st.sampled_from([80, 90, 100]), st.integers(0, 100)),
        pending=st.sampled_from([0, 0, 25]),
        critical_missed=st.sampled_from([False, False, False, True]),
        auto=st.booleans(),
    )
    @precondition(lambda self: self.status() not in _NO_NEW_ATTEMPT and self.awaiting is None)
    def take_attempt(self, score: int, pending: int, critical_missed: bool, auto: bool) -> None:
        """Begin an attempt and hand it in (the system hands in an abandoned one)."""
        with self.at_now():
            try:
                attempt = begin(self.track, self.agent.id)
            except Conflict as exc:
                assert exc.code in {
                    "renewal_not_open",
                    "max_attempts_reached",
                    "retry_period_active",
                }
                return
            decision = submit(
                attempt,
                earned=min(score, 100 - pending),
                pending=pending,
                critical_missed=critical_missed,
                auto=auto,
            )
        if decision.outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW:
            self.awaiting = attempt

    @rule(score=st.integers(0, 100), verdict=st.sampled_from(["pass", "fail", None]))
    @precondition(lambda self: self.awaiting is not None)
    def grade(self, score: int, verdict: str | None) -> None:
        if self.awaiting is None:
            return
        with self.at_now():
            try:
                review(self.awaiting, earned=score, decision=verdict, reviewer=self.reviewer)
            except Conflict as exc:
                assert exc.code == "review_pass_not_allowed"
                return
        self.awaiting = None

    @rule()
    @precondition(lambda self: self.status() == domain.Status.PASSED)
    def approve(self) -> None:
        self.decide(certification_approve)

    @rule()
    @precondition(lambda self: self.status() == domain.Status.PASSED)
    def decline(self) -> None:
        self.decide(certification_decline, reason="Not convinced")

    @rule(roll=st.integers(0, 4))
    def revoke(self, roll: int) -> None:
        # Revoked is nearly absorbing (only a reopen leaves it): revoke one time in five so
        # the examples also reach certification, expiry and renewal.
        if roll == 0:
            self.decide(certification_revoke, reason="Policy breach")

    @rule()
    @precondition(lambda self: self.status() == domain.Status.REVOKED)
    def reopen(self) -> None:
        self.decide(certification_reopen)

    @rule(count=st.integers(1, 3))
    @precondition(lambda self: certification_settings(self.business).max_attempts is not None)
    def grant_attempts(self, count: int) -> None:
        self.decide(certification_grant_attempts, count=count)

    @rule(days=st.sampled_from([1, 8, 20, 45, 100, 170, 200, 400]))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)
        with self.at_now():
            expiry_reminders_send()
            certifications_expire_due()

    def status(self) -> domain.Status:
        """As of the last step (the invariants reload it after every step)."""
        loaded = self.loaded
        return domain.Status(loaded.status) if loaded else domain.Status.NOT_STARTED

    @invariant()
    def invariants_hold(self) -> None:
        self.loaded = Certification.objects.filter(track=self.track, agent=self.agent).first()
        if self.loaded is None:
            return
        self.status_is_one_of_the_nine(self.loaded)
        self.every_stored_change_is_legal_and_replays_to_the_status(self.loaded)
        self.certified_means_an_expiry_in_the_future(self.loaded)
        self.attempts_never_exceed_the_maximum_plus_exceptions(self.loaded)

    def status_is_one_of_the_nine(self, certification: Certification) -> None:
        assert certification.status in set(domain.Status)

    def every_stored_change_is_legal_and_replays_to_the_status(
        self, certification: Certification
    ) -> None:
        events = list(CertificationEvent.objects.filter(certification=certification))
        for event in events:
            key = (domain.Status(event.from_status), domain.Event(event.event))
            assert domain.TRANSITIONS[key] == event.to_status
        replayed = domain.replay(
            [(domain.Status(e.from_status), domain.Status(e.to_status)) for e in events]
        )
        assert replayed == certification.status

    def certified_means_an_expiry_in_the_future(self, certification: Certification) -> None:
        if certification.status == domain.Status.CERTIFIED:
            assert certification.expires_at is not None
            assert certification.expires_at > self.now

    def attempts_never_exceed_the_maximum_plus_exceptions(
        self, certification: Certification
    ) -> None:
        maximum = certification_settings(self.business).max_attempts
        if maximum is not None:
            assert certification.attempts_used <= maximum + certification.granted_attempts


@pytest.mark.django_db
def test_random_certification_journeys_keep_the_invariants() -> None:
    run_state_machine_as_test(
        CertificationMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
