"""The one way a certification's status changes, and the pieces every certification write
shares: locking, event times, certifying, telling people (PRODUCT.md §5)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from refairn.certification import domain
from refairn.certification.events import Certified
from refairn.certification.models import Certification, CertificationEvent
from refairn.certification.selectors import (
    certification_get_or_create,
)
from refairn.core import clock, events
from refairn.core.errors import Conflict, Forbidden
from refairn.core.tenancy import Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.selectors import staff_user_ids
from refairn.training.models import Track

DECIDERS = (Role.OWNER, Role.MANAGER, Role.REVIEWER)
_ACTOR_KINDS = (
    (Role.OWNER, domain.ActorKind.OWNER),
    (Role.MANAGER, domain.ActorKind.MANAGER),
    (Role.REVIEWER, domain.ActorKind.REVIEWER),
)


def certification_transition(
    certification: Certification,
    event: domain.Event,
    *,
    actor_kind: domain.ActorKind,
    by: uuid.UUID | None,
    reason: str = "",
    at: datetime | None = None,
) -> Certification:
    """Apply one event to a (locked) certification and record it. Callers set any other fields
    (``certified_at``, ``expires_at``...) and save them; this saves ``status`` and, on an event
    that starts a certification cycle, resets the cycle's attempt counters (PRODUCT.md §4:
    "maximum attempts per certification cycle")."""
    try:
        domain.check_actor(event, actor_kind)
        new_status = domain.next_status(domain.Status(certification.status), event)
    except domain.ForbiddenTransition as exc:
        raise Forbidden(str(exc)) from None
    except domain.InvalidTransition as exc:
        raise Conflict(str(exc), code="invalid_transition") from None
    at = at or clock.now()
    CertificationEvent.objects.create(
        certification=certification,
        business_id=certification.business_id,
        event=event,
        from_status=certification.status,
        to_status=new_status,
        at=at,
        by_id=by,
        reason=reason,
    )
    certification.status = new_status
    certification.updated_at = at
    fields = ["status", "updated_at"]
    if certification.renewal_passed_at is not None and event is not domain.Event.EXPIRE:
        # A renewal waiting for approval is settled by renew, and void after revoke or a retake;
        # only the expiry leaves it waiting (the business may still approve it).
        certification.renewal_passed_at = None
        fields.append("renewal_passed_at")
    if event in domain.CYCLE_START_EVENTS:
        certification.cycle += 1
        certification.attempts_used = 0
        certification.granted_attempts = 0
        certification.last_failed_at = None
        fields += ["cycle", "attempts_used", "granted_attempts", "last_failed_at"]
    certification.save(update_fields=fields)
    return certification


@transaction.atomic
def certification_start_training(*, track: Track, agent_id: uuid.UUID) -> Certification:
    """PRODUCT.md §5: ``not_started`` → ``in_progress`` when the agent first starts a module of
    the track. Idempotent: any later status is left alone."""
    certification = certification_get_or_create(track=track, agent_id=agent_id, lock=True)
    if certification.status == domain.Status.NOT_STARTED:
        certification_transition(
            certification,
            domain.Event.START_TRAINING,
            actor_kind=domain.ActorKind.AGENT,
            by=agent_id,
        )
    return certification


def staff_kind(actor: Actor) -> domain.ActorKind:
    """The actor's kind for a staff decision (owner, manager, reviewer); 403 for anyone else."""
    actor.require(*DECIDERS)
    return next(kind for role, kind in _ACTOR_KINDS if actor.has(role))


def event_time(certification: Certification, wanted: datetime) -> datetime:
    """``wanted`` (when the thing really happened: a deadline, an expiry), but never before the
    certification's last recorded event, so the history stays in order."""
    last = CertificationEvent.objects.filter(certification=certification).aggregate(Max("at"))
    return max(wanted, last["at__max"]) if last["at__max"] else wanted


def certification_locked(certification_id: int) -> Certification:
    """The certification row locked for a read that decides a write, with its track and
    business."""
    return (
        Certification.objects.select_for_update(of=("self",))
        .select_related("track", "business")
        .get(pk=certification_id)
    )


def certify(certification: Certification, now: datetime) -> None:
    """PRODUCT.md §5: certified now; the expiry runs one interval from now, or — renewing —
    from the old expiry date, not from today."""
    certification.expires_at = domain.certification_expiry(
        previous_expires_at=certification.expires_at,
        months=certification.track.recertification_months,
        now=now,
    )
    certification.certified_at = now
    certification.save(update_fields=["certified_at", "expires_at"])


def _payload(certification: Certification, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """The catalogued payload (``notifications.domain.catalogue``): every certification event
    names its agent and track, by id and by name; ``data`` adds the event's own fields."""
    agent = certification.agent
    return {
        "agent_id": certification.agent_id,
        "agent_name": agent.name or agent.email,
        "track_id": certification.track_id,
        "track_name": certification.track.name,
        **(data or {}),
    }


def certification_link_for_agent(certification: Certification) -> str:
    """The agent's certification page, at the track's card (issue 11: a notification's link
    opens a page its recipient may read; named routes keep the two in step)."""
    page = reverse("certification:agent", args=[certification.business_id])
    return f"{page}#track-{certification.track_id}"


def tell_agent(
    certification: Certification,
    event: str,
    text: str,
    *,
    data: Mapping[str, Any] | None = None,
    **extra: Any,
) -> int:
    """Tell the agent about ``event`` (a catalogued type such as ``certification.certified``;
    its in-app kind is the same name with an underscore). Returns how many were told."""
    return notification_send(
        user_ids=[certification.agent_id],
        business_id=certification.business_id,
        kind=event.replace(".", "_"),
        text=text,
        link=certification_link_for_agent(certification),
        event=event,
        data=_payload(certification, data),
        **extra,
    )


def tell_staff(certification: Certification, event: str, text: str, *roles: Role) -> None:
    notification_send(
        user_ids=staff_user_ids(certification.business_id, *roles),
        business_id=certification.business_id,
        kind=event.replace(".", "_"),
        text=text,
        link=reverse(
            "certification:certification_detail",
            args=[certification.business_id, certification.agent_id, certification.track_id],
        ),
        event=event,
        data=_payload(certification, None),
    )


def as_day(value: datetime | None) -> str:
    """A date as notifications show it."""
    return value.date().isoformat() if value else "-"


def announce_certified(certification: Certification, now: datetime, *, renewed: bool) -> None:
    """Tell the agent, and announce it: support access activates if this completes the support
    tracks (PRODUCT.md §5)."""
    track = certification.track
    verb = "renewed" if renewed else "earned"
    tell_agent(
        certification,
        "certification.certified",
        f"You {verb} the {track.badge_name} certification ({track.name}); it is valid until "
        f"{as_day(certification.expires_at)}.",
        data={"expires_at": certification.expires_at, "renewed": renewed},
    )
    events.publish(
        Certified(
            certification_id=certification.pk,
            business_id=certification.business_id,
            track_id=certification.track_id,
            agent_id=certification.agent_id,
            renewed=renewed,
            at=now,
        )
    )
