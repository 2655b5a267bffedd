"""The agent's certification path (PRODUCT.md §3–§5): what blocks an attempt, the dashboard
rows, and one certification with its history."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from refairn.assessments.domain import AttemptOutcome
from refairn.assessments.models import Attempt
from refairn.assessments.selectors import attempt_view
from refairn.certification import domain
from refairn.certification.models import Certification, CertificationEvent
from refairn.certification.selectors.certifications import max_attempts_for, retry_policy
from refairn.core.pagination import Page, keyset_page, page_limit
from refairn.core.tenancy import Actor, Role
from refairn.programs.models import Agent, Business
from refairn.training.domain import ContentStatus
from refairn.training.models import Track
from refairn.training.selectors import (
    TRACK_ORDER,
    has_training_access,
    module_states_for,
    track_get_for,
    tracks_without_published_training,
    visible_tracks,
)


def _undecided_attempts() -> Q:
    """Attempts that stop another from starting: an open one (one per track and agent, the
    database's rule), or one awaiting review in the current cycle — a renewal attempt under
    review leaves the status ``certified``, so the status alone cannot tell. One from before a
    revoke-and-reopen no longer counts (its result changes nothing), nor does a decided fail
    whose remaining questions are still being graded."""
    current_cycle = Certification.objects.filter(
        track_id=OuterRef("track_id"), agent_id=OuterRef("agent_id")
    ).values("cycle")[:1]
    return Q(state=Attempt.State.IN_PROGRESS) | Q(
        outcome=AttemptOutcome.AWAITING_MANUAL_REVIEW, cycle=Subquery(current_cycle)
    )


def undecided_attempt_exists(certification: Certification) -> bool:
    """PRODUCT.md §4: another attempt of this certification is open or awaiting its result."""
    return Attempt.objects.filter(
        Q(state=Attempt.State.IN_PROGRESS)
        | Q(outcome=AttemptOutcome.AWAITING_MANUAL_REVIEW, cycle=certification.cycle),
        track_id=certification.track_id,
        agent_id=certification.agent_id,
    ).exists()


def missing_prerequisites(track: Track, agent_id: uuid.UUID, now: datetime) -> list[Track]:
    """PRODUCT.md §3: prerequisite tracks the agent is not currently certified in (two
    queries)."""
    prerequisites = list(track.prerequisites.all())
    held = {
        c.track_id
        for c in Certification.objects.filter(
            agent_id=agent_id, track__in=prerequisites, status=domain.Status.CERTIFIED
        )
        if domain.is_currently_certified(domain.Status(c.status), c.expires_at, now)
    }
    return [p for p in prerequisites if p.id not in held]


def currently_certified_track_ids(
    certifications: Iterable[Certification], now: datetime
) -> set[uuid.UUID]:
    """The tracks of ``certifications`` that count as certified at ``now`` (not expired)."""
    return {
        c.track_id
        for c in certifications
        if domain.is_currently_certified(domain.Status(c.status), c.expires_at, now)
    }


# Statuses in which an attempt's result still awaits the system or the business.
_AWAITING_RESULT = frozenset(
    {domain.Status.SUBMITTED, domain.Status.AWAITING_MANUAL_REVIEW, domain.Status.PASSED}
)


def attempt_blocked_reason(
    *,
    certification: Certification | None,
    policy: domain.RetryPolicy,
    now: datetime,
    undecided_attempt: bool,
    training_access: bool = True,
    training_published: bool = True,
    training_complete: bool = True,
    prerequisites_met: bool = True,
) -> str | None:
    """PRODUCT.md §3–§5: why the agent may not start an assessment attempt now (an API error
    code), or ``None``. One order for the dashboard and for starting an attempt: what the agent
    can do least about first.

    Beyond ``domain.attempt_block``: a result awaiting the business (``passed``, under review)
    counts as an attempt in progress; a revoked certification is ``certification_revoked``
    until the business reopens it; a certified agent waits for the renewal window.
    """
    status = domain.Status(certification.status) if certification else domain.Status.NOT_STARTED
    expires_at = certification.expires_at if certification else None
    if not training_access:
        return "no_training_access"
    if undecided_attempt or status in _AWAITING_RESULT:
        return domain.BlockReason.ATTEMPT_IN_PROGRESS.value
    if status is domain.Status.REVOKED:
        return "certification_revoked"
    if not domain.status_allows_attempt(status, expires_at, now):
        return "renewal_not_open"
    if not training_published:
        return "training_not_published"
    if not training_complete:
        return "training_incomplete"
    if not prerequisites_met:
        return "prerequisite_missing"
    block = domain.attempt_block(
        attempts_used=certification.attempts_used if certification else 0,
        granted_extra=certification.granted_attempts if certification else 0,
        policy=policy,
        last_failed_submitted_at=certification.last_failed_at if certification else None,
        now=now,
        attempt_in_progress=False,
    )
    return block.value if block else None


def next_allowed_at(
    reason: str | None, certification: Certification | None, policy: domain.RetryPolicy
) -> datetime | None:
    """PRODUCT.md §4: "the next allowed time" when a wait is what blocks the agent: the end of
    the retry period, or the opening of the renewal window."""
    if certification is None:
        return None
    if reason == domain.BlockReason.RETRY_PERIOD_ACTIVE:
        return domain.next_attempt_at(
            last_failed_submitted_at=certification.last_failed_at, policy=policy
        )
    if reason == "renewal_not_open" and certification.expires_at is not None:
        return certification.expires_at - domain.RENEWAL_WINDOW
    return None


def _path_tracks(actor: Actor) -> QuerySet[Track]:
    """The tracks on the agent's path: those the agent may see (``visible_tracks``), and the
    archived ones the agent holds a certification in. Archiving retires a track, not the
    agent's history in it (issue 12): those stay, shown as archived."""
    held = Certification.objects.for_actor(actor).filter(agent_id=actor.user_id)
    return (
        Track.objects.for_actor(actor)
        .filter(
            Q(pk__in=visible_tracks(actor).for_actor(actor).values("pk"))
            | Q(status=ContentStatus.ARCHIVED, pk__in=held.values("track_id"))
        )
        .prefetch_related("prerequisites")
    )


def path_tracks_for(actor: Actor) -> list[Track]:
    """The tracks of the agent's path (``_path_tracks``), in display order."""
    return list(_path_tracks(actor).order_by(*TRACK_ORDER))


def certification_rows_for_me(actor: Actor, now: datetime) -> list[dict[str, Any]]:
    """The agent's path, one row per track (``_certification_rows``)."""
    actor.require(Role.AGENT)
    return _certification_rows(actor, now, path_tracks_for(actor))


def certification_page_for_me(
    actor: Actor, now: datetime, *, limit: int | None, cursor: str | None
) -> Page[dict[str, Any]]:
    """``GET /businesses/{b}/certifications/me``: a page of the agent's path, tracks in
    display order."""
    actor.require(Role.AGENT)
    page = keyset_page(
        _path_tracks(actor), order=TRACK_ORDER, limit=page_limit(limit), cursor=cursor
    )
    return page.map(lambda tracks: _certification_rows(actor, now, tracks))


def _certification_rows(actor: Actor, now: datetime, tracks: list[Track]) -> list[dict[str, Any]]:
    """One row per track of ``tracks``, with the progress tracker, the retry rules and whether
    the assessment is open (PRODUCT.md §3–§5).

    Bounded: a fixed number of queries whatever the number of tracks.
    """
    business = Business.objects.get(pk=actor.business_id)
    certifications = {
        c.track_id: c for c in Certification.objects.for_actor(actor).filter(agent_id=actor.user_id)
    }
    undecided = set(
        Attempt.objects.for_actor(actor)
        .filter(_undecided_attempts(), agent_id=actor.user_id)
        .values_list("track_id", flat=True)
    )
    modules = module_states_for(track_ids=[t.id for t in tracks], agent_id=actor.user_id)
    unpublished = tracks_without_published_training([t.id for t in tracks])
    certified = currently_certified_track_ids(certifications.values(), now)
    declined = declined_reasons(certifications.values())
    policy = retry_policy(business)
    access = has_training_access(actor, business)
    rows = []
    for track in tracks:
        certification = certifications.get(track.id)
        track_modules = modules.get(track.id, [])
        reason = (
            "track_archived"
            if track.status == ContentStatus.ARCHIVED
            else attempt_blocked_reason(
                certification=certification,
                policy=policy,
                now=now,
                undecided_attempt=track.id in undecided,
                training_access=access,
                training_published=track.id not in unpublished,
                training_complete=all(m["completed"] for m in track_modules if m["required"]),
                prerequisites_met=all(p.id in certified for p in track.prerequisites.all()),
            )
        )
        rows.append(
            {
                "track_id": track.id,
                "track_name": track.name,
                "track_status": track.status,
                "requirement": track.requirement,
                "status": certification.status if certification else domain.Status.NOT_STARTED,
                "badge": {"name": track.badge_name, "icon": track.badge_icon},
                "modules": track_modules,
                "attempts_used": certification.attempts_used if certification else 0,
                "granted_attempts": certification.granted_attempts if certification else 0,
                "max_attempts": max_attempts_for(business, certification),
                "retry_period_days": policy.retry_period_days,
                "next_attempt_at": next_allowed_at(reason, certification, policy),
                "certified_at": certification.certified_at if certification else None,
                "expires_at": certification.expires_at if certification else None,
                "renewal_passed_at": certification.renewal_passed_at if certification else None,
                "assessment_available": reason is None,
                "blocked_reason": reason,
                "declined_reason": declined.get(certification.pk) if certification else None,
            }
        )
    return rows


def declined_reasons(certifications: Iterable[Certification]) -> dict[int, str]:
    """The business's reason for each failed certification whose last change was the business
    declining the pass (issue 11 item 8: the agent is told that, not that they scored too low).
    """
    failed = [c.pk for c in certifications if c.status == domain.Status.FAILED]
    last: dict[int, CertificationEvent] = {}
    for event in CertificationEvent.objects.filter(certification_id__in=failed):
        last[event.certification_id] = event  # the history is ordered oldest first
    return {key: e.reason for key, e in last.items() if e.event == domain.Event.DECLINE}


# -- one certification, for the business's decisions -----------------------------------------


def certification_target_for(
    actor: Actor, agent_id: object, track_id: object
) -> tuple[Track, Agent]:
    """The track and agent a ``/businesses/{b}/agents/{a}/certifications/{t}`` path names.

    Staff may name any agent of the business; anyone else only themselves (NotFound otherwise,
    as for an unknown id).
    """
    agents = Agent.objects.all() if actor.is_staff else Agent.objects.filter(user_id=actor.user_id)
    agent = agents.get_for(actor, agent_id, what="agent", field="user_id")
    return track_get_for(actor, track_id), agent


def certification_detail_for(actor: Actor, agent_id: object, track_id: object) -> dict[str, Any]:
    """``GET …/certifications/{t}``: the status, dates, attempts and full history."""
    track, agent = certification_target_for(actor, agent_id, track_id)
    certification = (
        Certification.objects.filter(track=track, agent_id=agent.user_id)
        .select_related("business")
        .first()
    )
    return certification_view(track, agent.user_id, certification)


def certification_view(
    track: Track, agent_id: uuid.UUID, certification: Certification | None
) -> dict[str, Any]:
    """A certification as ``CertificationOut``; a missing row reads as ``not_started``."""
    business = track.business
    policy = retry_policy(business)
    history: list[dict[str, Any]] = []
    if certification is not None:
        history = [
            {
                "from": e.from_status,
                "to": e.to_status,
                "event": e.event,
                "at": e.at,
                "by": e.by_id,
                "reason": e.reason,
            }
            for e in CertificationEvent.objects.filter(certification=certification)
        ]
    last_failed = certification.last_failed_at if certification else None
    declined = declined_reasons([certification] if certification else [])
    return {
        "agent_id": agent_id,
        "track_id": track.id,
        "track_name": track.name,
        "status": certification.status if certification else domain.Status.NOT_STARTED,
        "certified_at": certification.certified_at if certification else None,
        "expires_at": certification.expires_at if certification else None,
        "renewal_passed_at": certification.renewal_passed_at if certification else None,
        "cycle": certification.cycle if certification else 1,
        "attempts_used": certification.attempts_used if certification else 0,
        "granted_attempts": certification.granted_attempts if certification else 0,
        "max_attempts": max_attempts_for(business, certification),
        "last_failed_at": last_failed,
        "next_attempt_at": domain.next_attempt_at(
            last_failed_submitted_at=last_failed, policy=policy
        ),
        "history": history,
        "declined_reason": declined.get(certification.pk) if certification else None,
    }


def attempt_view_for(actor: Actor, attempt: Attempt) -> dict[str, Any]:
    """``GET /attempts/{id}``: the exam's view of the attempt (``assessments.selectors``), with
    the status its certification has now."""
    certification = Certification.objects.filter(
        track_id=attempt.track_id, agent_id=attempt.agent_id
    ).first()
    declined = declined_reasons([certification] if certification else [])
    return attempt_view(actor, attempt) | {
        "certification_status": (
            certification.status if certification else domain.Status.NOT_STARTED
        ),
        "certification_declined_reason": declined.get(certification.pk) if certification else None,
    }
