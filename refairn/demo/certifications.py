"""The agents' side of the history: applying and joining, requesting support access, training,
assessment attempts, grading, approvals, declines, renewals and revocations, each through the
service the product uses for it, at the time ``journeys`` gives."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from refairn.accounts.models import User
from refairn.assessments.domain import AttemptOutcome
from refairn.assessments.models import Attempt
from refairn.assessments.selectors import domain_question
from refairn.assessments.services import GradeSpec
from refairn.certification.domain import Status
from refairn.certification.models import Certification
from refairn.certification.services import (
    attempt_grade,
    attempt_start,
    attempt_submit,
    certification_approve,
    certification_decline,
    certification_grant_attempts,
    certification_reopen,
    certification_revoke,
)
from refairn.core import clock
from refairn.core.bulk import rows_update
from refairn.demo.answers import AnswerSheet, Want, answer_sheet, feedback_for
from refairn.demo.context import Demo
from refairn.demo.journeys import AgentPlan, Journey, Outcome
from refairn.programs.services import agent_apply, agent_approve
from refairn.support.services import support_access_request
from refairn.training.domain import Format
from refairn.training.models import Module, Track
from refairn.training.services import module_download, module_open, module_progress_record

Then = Callable[[Attempt], None]
_ANSWER_FIELDS = ("answer_choice_ids", "answer_text", "answered_at")

RETRY_GAP = 8  # days between failed attempts (the retry period is seven)
TRAINING_DAYS = 6  # training starts this many days before the first attempt
DECIDERS = ("reviewer", "reviewer", "manager", "owner")

REVOKE_REASON = {
    "customer_success": "Shared a customer's health-score export outside Acme's tools; the "
    "certification is withdrawn pending coaching.",
    "de_escalation": "A recorded call showed the agent arguing with a customer and hanging "
    "up; retake after coaching.",
}
DECLINE_REASON = (
    "The simulation answers repeat the training script word for word; we want to hear your "
    "own approach. Please retake after the retry period."
)


class CertificationHistory:
    def __init__(self, demo: Demo, modules: dict[uuid.UUID, list[Module]]) -> None:
        self.demo = demo
        self.modules = modules

    # --- joining ---------------------------------------------------------------------------

    def join(self, user: User, joined: int, *, approved: bool = True) -> None:
        """Apply, be approved two days later by a manager (on ``joined``), and ask for support
        access the day after (with training on request, that opens the training library). An
        applicant not ``approved`` yet applied on ``joined``."""
        demo, business = self.demo, self.demo.program.business
        demo.timeline.at(
            demo.working_time(joined + 2 if approved else joined),
            lambda: agent_apply(user=user, business_id=business.id),
        )
        if not approved:
            return
        demo.timeline.at(
            demo.working_time(joined),
            lambda: agent_approve(actor=demo.staff("manager"), agent_id=user.id),
        )
        demo.timeline.at(
            demo.working_time(joined - 1),
            lambda: support_access_request(actor=demo.actor(user)),
        )

    # --- journeys --------------------------------------------------------------------------

    def schedule(self, plan: AgentPlan, user: User) -> None:
        self.join(user, plan.joined)
        for journey in plan.journeys:
            self._schedule_journey(user, journey)

    def _schedule_journey(self, user: User, journey: Journey) -> None:
        demo = self.demo
        if journey.this_month:
            journey = replace(journey, day=demo.this_month(journey.day))
        track = demo.program.tracks[journey.track]
        if journey.outcome is Outcome.TRAINING:
            self._train(user, track, start=journey.day, started_only=True)
            return
        if journey.outcome is Outcome.OPEN:
            at = demo.now - timedelta(minutes=25)
            self._train(user, track, start=TRAINING_DAYS + 1, started_only=False)
            demo.timeline.at(at, lambda: self._attempt(user, track, Want.FEW))
            return
        first = journey.day + RETRY_GAP * journey.fails
        self._train(user, track, start=first + TRAINING_DAYS, started_only=False)
        for n in range(journey.fails):
            when = demo.working_time(first - RETRY_GAP * n)
            demo.timeline.at(when, lambda: self._attempt(user, track, Want.FAIL))
        if journey.granted:
            demo.timeline.at(
                demo.working_time(journey.day + 1),
                lambda: certification_grant_attempts(
                    actor=demo.staff("owner"),
                    agent_id=user.id,
                    track_id=track.id,
                    count=1,
                    reason="Close to passing three times; one more attempt after coaching.",
                ),
            )
        want = {
            Outcome.FAILED: Want.FAIL,
            Outcome.REVIEW: Want.REVIEW,
            Outcome.ABANDONED: Want.FEW,
        }.get(journey.outcome, Want.PASS)
        then = self._decision_later(user, track, journey) if want is Want.PASS else None
        demo.timeline.at(
            demo.working_time(journey.day), lambda: self._attempt(user, track, want, then)
        )
        if journey.revoked_day is not None:
            demo.timeline.at(
                demo.working_time(journey.revoked_day),
                lambda: certification_revoke(
                    actor=demo.staff("owner"),
                    agent_id=user.id,
                    track_id=track.id,
                    reason=REVOKE_REASON[journey.track],
                ),
            )
        if journey.reopened_day is not None:
            demo.timeline.at(
                demo.working_time(journey.reopened_day),
                lambda: certification_reopen(
                    actor=demo.staff("manager"),
                    agent_id=user.id,
                    track_id=track.id,
                    reason="Coaching completed; the agent may start the track again.",
                ),
            )

    # --- training --------------------------------------------------------------------------

    def _train(self, user: User, track: Track, *, start: int, started_only: bool) -> None:
        """Every required module (and now and then an optional one) over the days from
        ``start``; ``started_only``: only the first half, one a day, on days already past."""
        modules = [m for m in self.modules[track.id] if m.required or self.demo.rng.random() < 0.1]
        if started_only:
            modules = modules[: max(1, len(modules) // 2)]
        for index, module in enumerate(modules):
            day = start - index * (TRAINING_DAYS - 1) // max(1, len(modules) - 1)
            if started_only:
                day = start - index
            if day < 1:
                break
            self.demo.timeline.at(
                self.demo.working_time(day), partial(self._complete, user, module)
            )

    def _complete(self, user: User, module: Module) -> None:
        """What completing each format takes (PRODUCT.md §3), twelve minutes apart."""
        actor = self.demo.actor(user)
        record = partial(module_progress_record, actor=actor, module=module)
        calls: list[Callable[[], object]] = []
        match Format(module.format):
            case Format.VIDEO:
                # Opened as long before as the video lasts: watched at 1× (issue 11 item 7).
                seconds = module.duration_seconds or 1
                with clock.frozen(clock.now() - timedelta(seconds=seconds)):
                    module_open(actor=actor, module=module)
                calls = [partial(record, watched=[(0, seconds)])]
            case Format.TEXT:
                for section in module.sections.all():
                    correct = [i for i, c in enumerate(section.quiz_choices) if c["correct"]]
                    answer = correct[0] if correct else None
                    calls.append(
                        partial(record, section_id=str(section.id), quiz_choice_index=answer)
                    )
            case Format.DEMO_SCRIPT:
                calls = [partial(record, practice_run=True)] * module.practice_runs_required
            case Format.FAQ:
                items = [str(item.id) for item in module.faq_items.all()]
                calls = [partial(record, reviewed_item_ids=items)]
            case Format.PDF:
                calls = [partial(module_download, actor=actor, module=module)]
        at = clock.now()
        for index, call in enumerate(calls):
            with clock.frozen(at + timedelta(minutes=12 * index)):
                call()

    # --- attempts --------------------------------------------------------------------------

    def _attempt(self, user: User, track: Track, want: Want, then: Then | None = None) -> None:
        """Start, answer (about a minute a question) and hand in an attempt; a reviewer grades
        what needs grading the next day, except what should stay in the review queue (and an
        abandoned attempt, which waits there once the job has submitted it). ``then`` runs once
        the result is final."""
        demo = self.demo
        actor = demo.actor(user)
        started = clock.now()
        attempt, drawn = attempt_start(actor=actor, track=track)
        sheet = answer_sheet(drawn, track.passing_score, want, demo.rng)
        limit = timedelta(minutes=track.time_limit_minutes)
        pace = min(timedelta(seconds=75), limit * 0.7 / len(drawn))
        _save_answers(attempt, sheet, started, pace)
        if want is Want.FEW:  # left open: the job submits it at the deadline, if that has passed
            return
        with clock.frozen(started + pace * (len(sheet.answers) + 1)):
            attempt = attempt_submit(actor=actor, attempt=attempt)
        if attempt.needs_review and want is not Want.REVIEW:
            demo.timeline.at(
                demo.before_now(started + timedelta(hours=22)),
                lambda: self._grade(attempt, sheet.grades, then),
            )
        elif then is not None:
            then(attempt)

    def _grade(self, attempt: Attempt, grades: dict[str, Decimal], then: Then | None) -> None:
        """The reviewer grades what awaits grading; the score decides (no override)."""
        attempt = Attempt.objects.get(pk=attempt.pk)
        if attempt.state != Attempt.State.SUBMITTED:
            return
        specs = []
        pending = attempt.items.select_related("question").filter(points_awarded__isnull=True)
        for item in pending:
            question = domain_question(item.question)
            grade = grades.get(question.id, Decimal(0)) if item.answer_text else Decimal(0)
            feedback = feedback_for(question, grade, self.demo.rng)
            specs.append(GradeSpec(item.question_id, grade, feedback))
        reviewer = self.demo.staff("reviewer")
        attempt = attempt_grade(actor=reviewer, attempt=attempt, grades=specs, decision=None)
        if then is not None:
            then(attempt)

    def _decision_later(self, user: User, track: Track, journey: Journey) -> Then:
        def later(attempt: Attempt) -> None:
            self.demo.timeline.at(
                self.demo.before_now(clock.now() + timedelta(hours=2)),
                lambda: self._decide(user, track, journey),
            )

        return later

    def _decide(self, user: User, track: Track, journey: Journey) -> None:
        """The business's final decision on a pass (none yet for ``passed``)."""
        certification = Certification.objects.get(track=track, agent_id=user.id)
        if certification.status != Status.PASSED or journey.outcome is Outcome.PASSED:
            return
        decider = self.demo.staff(self.demo.rng.choice(DECIDERS))
        if journey.outcome is Outcome.DECLINED:
            certification_decline(
                actor=decider, agent_id=user.id, track_id=track.id, reason=DECLINE_REASON
            )
            return
        certification = certification_approve(actor=decider, agent_id=user.id, track_id=track.id)
        if journey.renews:
            self._plan_renewal(user, track, certification)

    # --- renewals --------------------------------------------------------------------------

    def _plan_renewal(self, user: User, track: Track, certification: Certification) -> None:
        """PRODUCT.md §5: agents who renew early retake the assessment a week or two before the
        expiry, each time the 30-day renewal window opened in the past."""
        if certification.status != Status.CERTIFIED or certification.expires_at is None:
            return
        rng = self.demo.rng
        when = certification.expires_at - timedelta(days=rng.randint(8, 20))
        when = when.replace(hour=rng.randint(8, 15), minute=rng.choice((0, 15, 30, 45)))
        if when >= self.demo.now - timedelta(days=1):
            return
        self.demo.timeline.at(
            when, lambda: self._attempt(user, track, Want.PASS, self._renewed(user, track))
        )

    def _renewed(self, user: User, track: Track) -> Then:
        def renewed(attempt: Attempt) -> None:
            if attempt.outcome != AttemptOutcome.PASSED:
                return
            certification = Certification.objects.get(track=track, agent=user)
            if certification.renewal_passed_at is None:
                self._plan_renewal(user, track, certification)
                return
            # Under manual final approval the renewal waits for the business (issue 11 item 3),
            # which confirms it a couple of hours later.
            self.demo.timeline.at(
                self.demo.before_now(clock.now() + timedelta(hours=2)),
                lambda: self._approve_renewal(user, track),
            )

        return renewed

    def _approve_renewal(self, user: User, track: Track) -> None:
        decider = self.demo.staff(self.demo.rng.choice(DECIDERS))
        certification = certification_approve(actor=decider, agent_id=user.id, track_id=track.id)
        self._plan_renewal(user, track, certification)


def _save_answers(attempt: Attempt, sheet: AnswerSheet, started: datetime, pace: timedelta) -> None:
    """The agent's answers, one every ``pace`` from ``started`` (well before the deadline),
    stored exactly as ``assessments.services.attempt_answer`` stores them: the sorted choice
    ids of the drawn question, or the text. The attempt is what answering one question at a
    time through the API would have left.

    Written in one batch rather than one service call per answer: an attempt has up to 50
    questions and the history about 200 attempts, and the per-answer calls were most of the
    demo's load time. Starting, submitting, scoring, grading and every status change go through
    the services.
    """
    items = {str(item.question_id): item for item in attempt.items.all()}
    answered = []
    for index, answer in enumerate(sheet.answers, start=1):
        item = items[answer.question_id]
        choices, text = answer.choice_ids, answer.text
        item.answer_choice_ids = sorted(choices) if choices is not None else None
        item.answer_text = text.strip() if text is not None else ""
        item.answered_at = started + pace * index
        answered.append(item)
    rows_update(answered, _ANSWER_FIELDS)
