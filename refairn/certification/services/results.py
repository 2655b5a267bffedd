"""What an assessment attempt does to a certification (PRODUCT.md §4, §5): whether it may start,
and where its result takes the certification. ``services.attempts`` calls these around the exam
engine; tests call them to drive a certification quickly."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.db import transaction

from refairn.assessments.domain import AttemptOutcome, score_percent
from refairn.certification import domain
from refairn.certification.models import Certification
from refairn.certification.selectors import (
    attempt_blocked_reason,
    missing_prerequisites,
    next_allowed_at,
    retry_policy,
    undecided_attempt_exists,
)
from refairn.certification.services.transitions import (
    DECIDERS,
    announce_certified,
    as_day,
    certification_locked,
    certification_transition,
    certify,
    event_time,
    staff_kind,
    tell_agent,
    tell_staff,
)
from refairn.certification.settings_section import certification_settings
from refairn.core import clock
from refairn.core.errors import Conflict, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.training.models import Track

# Events after which the certification holds a (new) expiry date.
_CERTIFYING = frozenset({domain.Event.APPROVE, domain.Event.AUTO_APPROVE, domain.Event.RENEW})


class AttemptLike(Protocol):
    """What the certification rules read of an ``assessments.Attempt``."""

    track_id: uuid.UUID
    agent_id: uuid.UUID
    cycle: int
    earned_points: Decimal
    total_points: Decimal
    pending_points: Decimal
    critical_missed: bool
    submitted_at: datetime | None
    auto_submitted: bool


def certification_of(attempt: AttemptLike) -> Certification:
    """The attempt's certification (one per track and agent), locked."""
    certification = Certification.objects.get(track_id=attempt.track_id, agent_id=attempt.agent_id)
    return certification_locked(certification.pk)


def certification_begin_attempt(*, certification: Certification, now: datetime) -> None:
    """PRODUCT.md §3–§5: may a new assessment attempt start now? Call with the certification
    locked, inside the caller's transaction, before creating the attempt row.

    409 ``attempt_in_progress``, ``certification_revoked``, ``renewal_not_open`` (certified and
    more than 30 days before expiry), ``prerequisite_missing``, ``max_attempts_reached`` (the
    program's maximum plus granted attempts, per cycle), ``retry_period_active`` (with
    ``next_attempt_at``). Then applies ``start_training`` when not started and counts the
    attempt.
    """
    track = certification.track
    policy = retry_policy(track.business)
    reason = attempt_blocked_reason(
        certification=certification,
        policy=policy,
        now=now,
        undecided_attempt=undecided_attempt_exists(certification),
        prerequisites_met=not missing_prerequisites(track, certification.agent_id, now),
    )
    if reason is not None:
        raise _blocked(reason, certification, policy, track, now)
    if certification.status == domain.Status.NOT_STARTED:
        certification_transition(
            certification,
            domain.Event.START_TRAINING,
            actor_kind=domain.ActorKind.AGENT,
            by=certification.agent_id,
            at=now,
        )
    certification.attempts_used += 1
    certification.save(update_fields=["attempts_used"])


def _blocked(
    reason: str,
    certification: Certification,
    policy: domain.RetryPolicy,
    track: Track,
    now: datetime,
) -> Conflict:
    opens_at = next_allowed_at(reason, certification, policy)
    extra = {"next_attempt_at": opens_at.isoformat()} if opens_at else {}
    if reason == "prerequisite_missing":
        names = [p.name for p in missing_prerequisites(track, certification.agent_id, now)]
        detail = "Certify first in: " + ", ".join(names) + "."
    elif reason == "retry_period_active" and opens_at:
        detail = f"The retry period runs until {opens_at.isoformat()}."
    elif reason == "renewal_not_open":
        detail = f"Renewal opens on {as_day(opens_at)}, 30 days before the expiry."
    elif reason == "max_attempts_reached":
        detail = "No attempts left in this cycle; ask the business for an exception."
    elif reason == "certification_revoked":
        detail = "The certification was revoked; the business must reopen it."
    else:
        detail = "An attempt of this track is open or awaiting its result."
    return Conflict(detail, code=reason, extra=extra)


def _is_stale(attempt: AttemptLike, certification: Certification) -> bool:
    """An attempt begun before the business revoked (and perhaps reopened) the certification:
    it is scored, but its result changes nothing."""
    return attempt.cycle != certification.cycle or certification.status == domain.Status.REVOKED


def _result_text(
    earned: Decimal, total: Decimal, pending: Decimal, passing_score: Decimal, critical: bool
) -> str:
    """The attempt's result in words, for the history and the agent's notification."""
    if critical:
        return "a critical question was missed"
    if pending:
        return (
            f"{earned} of {total - pending} automatically graded points; {pending} points await "
            "a reviewer"
        )
    return f"scored {score_percent(earned, total)}% (passing score {passing_score}%)"


def _apply(
    certification: Certification,
    decision: domain.Decision,
    *,
    actors: Mapping[domain.Event, tuple[domain.ActorKind, uuid.UUID | None]],
    reasons: Mapping[domain.Event, str],
    at: datetime,
) -> None:
    """Apply a domain decision's events in order; the system applies any event not in
    ``actors``."""
    for event in decision.events:
        kind, by = actors.get(event, (domain.ActorKind.SYSTEM, None))
        certification_transition(
            certification, event, actor_kind=kind, by=by, reason=reasons.get(event, ""), at=at
        )


def _after_result(
    certification: Certification,
    decision: domain.Decision,
    *,
    failed_at: datetime,
    at: datetime,
    score: str,
    percent: str,
) -> None:
    """PRODUCT.md §4–§5: the side effects of an attempt's result — the retry clock after a
    fail, the expiry after certification, and who is told."""
    track = certification.track
    scored = {"score": percent}
    if decision.outcome is AttemptOutcome.FAILED:
        certification.last_failed_at = failed_at
        certification.save(update_fields=["last_failed_at"])
        opens = domain.next_attempt_at(
            last_failed_submitted_at=failed_at, policy=retry_policy(certification.business)
        )
        still = (
            f" You stay certified until {as_day(certification.expires_at)}."
            if certification.status == domain.Status.CERTIFIED
            else ""
        )
        tell_agent(
            certification,
            "certification.failed",
            f"You did not pass {track.name}: {score}. You remain a referral agent; the next "
            f"attempt opens on {as_day(opens)}.{still}",
            data={**scored, "next_attempt_at": opens},
        )
    elif any(event in _CERTIFYING for event in decision.events):
        certify(certification, at)
        announce_certified(certification, at, renewed=domain.Event.RENEW in decision.events)
    elif decision.renewal_awaits_approval:
        certification.renewal_passed_at = at
        certification.save(update_fields=["renewal_passed_at"])
        tell_agent(
            certification,
            "certification.passed",
            f"You passed the {track.name} renewal ({score}); the business will confirm it. "
            f"Your certification stays valid until {as_day(certification.expires_at)}.",
            data=scored,
        )
        tell_staff(
            certification,
            "certification.approval_needed",
            f"An agent passed the {track.name} renewal; approve or decline it.",
            *DECIDERS,
        )
    elif decision.status is domain.Status.PASSED:
        tell_agent(
            certification,
            "certification.passed",
            f"You passed {track.name} ({score}); the business will confirm your certification.",
            data=scored,
        )
        tell_staff(
            certification,
            "certification.approval_needed",
            f"An agent passed {track.name}; approve or decline the certification.",
            *DECIDERS,
        )
    elif decision.outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW:
        tell_agent(
            certification,
            "certification.awaiting_review",
            f"Your {track.name} assessment was handed in and awaits review.",
        )
        tell_staff(
            certification,
            "certification.review_needed",
            f"A {track.name} assessment awaits review.",
            Role.REVIEWER,
            *ADMIN_ROLES,
        )


@transaction.atomic
def certification_record_submission(*, attempt: AttemptLike) -> domain.Decision:
    """PRODUCT.md §4–§5: a handed-in attempt moves the certification — ``failed`` (below the
    passing score or a critical miss), ``awaiting_manual_review`` (manual review on, or
    reviewer-graded questions that could still pass), or ``passed`` (``certified`` at once when
    final approval is automatic). A passing renewal extends from the old expiry; a failing one
    leaves the agent certified until it. The system submits an abandoned attempt.

    Events carry the submission time (an auto-submitted attempt's deadline). Returns the
    domain decision; the caller records the attempt's own outcome.
    """
    certification = certification_of(attempt)
    track, settings = certification.track, certification_settings(certification.business)
    earned, total = Decimal(attempt.earned_points), Decimal(attempt.total_points)
    pending = Decimal(attempt.pending_points)
    if total <= 0 or not 0 <= earned + pending <= total:
        raise Conflict("The attempt has no consistent points to score.", code="invalid_score")
    at = event_time(certification, attempt.submitted_at or clock.now())
    current = domain.Status(certification.status)
    stale = _is_stale(attempt, certification)
    try:
        decision = domain.decide_submission(
            current=domain.Status.IN_PROGRESS if stale else current,
            auto_earned=earned,
            auto_total=total - pending,
            pending_total=pending,
            passing_score=track.passing_score,
            critical_missed=attempt.critical_missed,
            manual_review_on=settings.manual_review,
            final_approval_automatic=settings.approves_automatically,
        )
    except domain.InvalidTransition as exc:
        raise Conflict(str(exc), code="invalid_transition") from None
    if stale:
        return domain.Decision(outcome=decision.outcome, events=(), status=current)
    score = _result_text(earned, total, pending, track.passing_score, attempt.critical_missed)
    submitter = (
        (domain.ActorKind.SYSTEM, None)
        if attempt.auto_submitted
        else (domain.ActorKind.AGENT, certification.agent_id)
    )
    _apply(
        certification,
        decision,
        actors={domain.Event.SUBMIT: submitter},
        reasons={
            domain.Event.SUBMIT: "Submitted automatically at the deadline."
            if attempt.auto_submitted
            else "Assessment submitted.",
            domain.Event.AUTO_FAIL: f"Failed: {score}.",
            domain.Event.AUTO_PASS: f"Passed: {score}.",
            domain.Event.SEND_TO_REVIEW: "Manual review is on."
            if settings.manual_review
            else "Reviewer-graded questions need grading.",
            domain.Event.AUTO_APPROVE: "Final approval is automatic.",
            domain.Event.RENEW: f"Renewal passed: {score}.",
        },
        at=at,
    )
    _after_result(
        certification,
        decision,
        failed_at=at,
        at=at,
        score=score,
        percent=str(score_percent(earned, total)),
    )
    return decision


@transaction.atomic
def certification_record_review(
    *, attempt: AttemptLike, decision: str | None, actor: Actor
) -> domain.Decision:
    """PRODUCT.md §5: the reviewer decides an attempt awaiting review → ``passed`` or
    ``failed`` (``certified`` at once with automatic final approval; a renewal under review
    renews or changes nothing). ``decision`` "pass"/"fail" or None to follow the score; a pass
    below the passing score or with a critical miss is refused (409
    ``review_pass_not_allowed``)."""
    kind = staff_kind(actor)
    try:
        review = domain.ReviewDecision(decision) if decision is not None else None
    except ValueError:
        raise field_error("decision", "must be pass, fail or null") from None
    certification = certification_of(attempt)
    track, settings = certification.track, certification_settings(certification.business)
    earned, total = Decimal(attempt.earned_points), Decimal(attempt.total_points)
    if Decimal(attempt.pending_points) > 0:
        raise Conflict("Grade every question before deciding.", code="grading_incomplete")
    if total <= 0 or not 0 <= earned <= total:
        raise Conflict("The attempt has no consistent points to score.", code="invalid_score")
    current = domain.Status(certification.status)
    stale = _is_stale(attempt, certification)
    try:
        result = domain.decide_review(
            current=domain.Status.AWAITING_MANUAL_REVIEW if stale else current,
            earned=earned,
            total=total,
            passing_score=track.passing_score,
            critical_missed=attempt.critical_missed,
            decision=review,
            final_approval_automatic=settings.approves_automatically,
        )
    except domain.CertificationRuleViolation as exc:
        raise Conflict(exc.detail, code=exc.code) from None
    except domain.InvalidTransition as exc:
        raise Conflict(str(exc), code="invalid_transition") from None
    if stale:
        return domain.Decision(outcome=result.outcome, events=(), status=current)
    now = clock.now()
    score = _result_text(earned, total, Decimal(0), track.passing_score, attempt.critical_missed)
    verdict = f"Reviewer decision: {review.value if review else 'by the score'}; {score}."
    reviewer = (kind, actor.user_id)
    _apply(
        certification,
        result,
        actors={
            domain.Event.REVIEW_PASS: reviewer,
            domain.Event.REVIEW_FAIL: reviewer,
            domain.Event.RENEW: reviewer,
        },
        reasons={
            domain.Event.REVIEW_PASS: verdict,
            domain.Event.REVIEW_FAIL: verdict,
            domain.Event.RENEW: verdict,
            domain.Event.AUTO_APPROVE: "Final approval is automatic.",
        },
        at=now,
    )
    _after_result(
        certification,
        result,
        failed_at=attempt.submitted_at or now,
        at=now,
        score=score,
        percent=str(score_percent(earned, total)),
    )
    return result
