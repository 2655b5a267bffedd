"""Drive a certification along its path through the services, the way the assessments app
does (begin an attempt, hand it in, grade it), so tests can reach any status quickly."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from refairn.accounts.models import User
from refairn.assessments.domain import AttemptOutcome
from refairn.assessments.models import Attempt
from refairn.certification import domain
from refairn.certification.models import Certification
from refairn.certification.selectors import certification_get_or_create
from refairn.certification.services import (
    certification_approve,
    certification_begin_attempt,
    certification_record_review,
    certification_record_submission,
)
from refairn.core import clock
from refairn.core.tenancy import Actor
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for
from refairn.training.models import Track
from refairn.training.services import track_create


def as_actor(user: User, business: Business) -> Actor:
    return actor_for(user, business.id)


def make_track(business: Business, owner: User, name: str = "Fundamentals", **fields: Any) -> Track:
    values: dict[str, Any] = {
        "name": name,
        "description": "",
        "requirement": "required",
        "min_level": None,
        "prerequisite_ids": [],
        "estimated_days": None,
        "passing_score": Decimal(80),
        "recertification_months": 12,
        "security_critical": False,
        "badge_name": name,
        "badge_icon": "📘",
        "assessment_mode": "fixed",
        "question_count": 10,
        "time_limit_minutes": 30,
        "position": None,
    }
    values.update(fields)
    return track_create(actor=as_actor(owner, business), fields=values)


def cert(track: Track, agent: User) -> Certification:
    return Certification.objects.get(track=track, agent=agent)


def begin(track: Track, agent_id: uuid.UUID) -> Attempt:
    """Start an attempt as ``POST /tracks/{t}/attempts`` does after its training checks."""
    with transaction.atomic():
        certification = certification_get_or_create(track=track, agent_id=agent_id, lock=True)
        certification_begin_attempt(certification=certification, now=clock.now())
        return Attempt.objects.create(
            business_id=track.business_id,
            track=track,
            agent_id=agent_id,
            cycle=certification.cycle,
            number=certification.attempts_used,
            deadline=clock.now() + timedelta(minutes=track.time_limit_minutes),
        )


def submit(
    attempt: Attempt,
    *,
    earned: int,
    total: int = 100,
    pending: int = 0,
    critical_missed: bool = False,
    auto: bool = False,
) -> domain.Decision:
    attempt.earned_points = Decimal(earned)
    attempt.total_points = Decimal(total)
    attempt.pending_points = Decimal(pending)
    attempt.critical_missed = critical_missed
    attempt.auto_submitted = auto
    attempt.submitted_at = clock.now()
    decision = certification_record_submission(attempt=attempt)
    awaiting = decision.outcome is AttemptOutcome.AWAITING_MANUAL_REVIEW
    attempt.state = Attempt.State.SUBMITTED if awaiting else Attempt.State.GRADED
    attempt.needs_review = awaiting
    attempt.outcome = decision.outcome
    attempt.save()
    return decision


def review(
    attempt: Attempt, *, earned: int, decision: str | None, reviewer: Actor
) -> domain.Decision:
    attempt.earned_points = Decimal(earned)
    attempt.pending_points = Decimal(0)
    result = certification_record_review(attempt=attempt, decision=decision, actor=reviewer)
    attempt.state = Attempt.State.GRADED
    attempt.outcome = result.outcome
    attempt.save()
    return result


def certify(track: Track, agent: User, owner: User) -> Certification:
    """Pass and approve (manual final approval, no manual review)."""
    submit(begin(track, agent.id), earned=100)
    return certification_approve(
        actor=as_actor(owner, track.business), agent_id=agent.id, track_id=track.id
    )


def to_passed(track: Track, agent: User) -> Certification:
    submit(begin(track, agent.id), earned=100)
    return cert(track, agent)


def to_failed(track: Track, agent: User) -> Certification:
    submit(begin(track, agent.id), earned=10)
    return cert(track, agent)


def set_settings(business: Business, **changes: Any) -> None:
    business.settings = {**business.settings, **changes}
    business.save(update_fields=["settings"])
