"""The business's decisions on one agent's certification (API.md "Business decisions")."""

from __future__ import annotations

from django.db import transaction

from refairn.certification import domain
from refairn.certification.events import Revoked
from refairn.certification.models import AttemptGrant, Certification
from refairn.certification.selectors import (
    certification_get_or_create,
    certification_target_for,
)
from refairn.certification.services.transitions import (
    announce_certified,
    certification_locked,
    certification_transition,
    certify,
    staff_kind,
    tell_agent,
)
from refairn.core import clock, events
from refairn.core.errors import field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role


def _decision_target(actor: Actor, agent_id: object, track_id: object) -> Certification:
    track, agent = certification_target_for(actor, agent_id, track_id)
    certification = certification_get_or_create(track=track, agent_id=agent.user_id)
    return certification_locked(certification.pk)


def _required_reason(reason: str) -> str:
    if not reason.strip():
        raise field_error("reason", "a reason is required")
    return reason.strip()


def _renewal_waiting(certification: Certification) -> bool:
    """A passed renewal waits for the business (manual final approval, issue 11 item 3)."""
    return certification.renewal_passed_at is not None and certification.status in (
        domain.Status.CERTIFIED,
        domain.Status.EXPIRED,
    )


@transaction.atomic
def certification_approve(*, actor: Actor, agent_id: object, track_id: object) -> Certification:
    """PRODUCT.md §5: the business confirms a pass: ``passed`` → ``certified`` (owners,
    managers, reviewers), or a passed renewal waiting for it → ``renew``. The expiry extends
    from the old one while that is still ahead, else runs one full interval from now. 409
    ``invalid_transition`` from any other status."""
    kind = staff_kind(actor)
    certification = _decision_target(actor, agent_id, track_id)
    now = clock.now()
    renewing = _renewal_waiting(certification)
    certification_transition(
        certification,
        domain.Event.RENEW if renewing else domain.Event.APPROVE,
        actor_kind=kind,
        by=actor.user_id,
        reason="Renewal approved by the business." if renewing else "Approved by the business.",
        at=now,
    )
    certify(certification, now)
    announce_certified(certification, now, renewed=renewing)
    return certification


@transaction.atomic
def certification_decline(
    *, actor: Actor, agent_id: object, track_id: object, reason: str
) -> Certification:
    """PRODUCT.md §5: the business declines a pass with a reason: ``passed`` → ``failed``; the
    retry rules apply from now. Declining a passed renewal changes no status: the current
    certification stays valid to its expiry."""
    kind = staff_kind(actor)
    reason = _required_reason(reason)
    certification = _decision_target(actor, agent_id, track_id)
    now = clock.now()
    fields = ["last_failed_at"]
    if _renewal_waiting(certification):
        certification.renewal_passed_at = None
        fields.append("renewal_passed_at")
    else:
        certification_transition(
            certification,
            domain.Event.DECLINE,
            actor_kind=kind,
            by=actor.user_id,
            reason=reason,
            at=now,
        )
    certification.last_failed_at = now
    certification.save(update_fields=fields)
    tell_agent(
        certification,
        "certification.declined",
        f"The business declined your {certification.track.name} certification: {reason}",
        data={"reason": reason},
    )
    return certification


def _admin_kind(actor: Actor) -> domain.ActorKind:
    actor.require(*ADMIN_ROLES)
    return domain.ActorKind.OWNER if actor.has(Role.OWNER) else domain.ActorKind.MANAGER


@transaction.atomic
def certification_revoke(
    *, actor: Actor, agent_id: object, track_id: object, reason: str
) -> Certification:
    """PRODUCT.md §5: the business revokes a certification with a reason (from any status but
    ``revoked``), and announces it: when that costs the agent support eligibility (a support
    track), every support assignment ends; referral commissions are never touched."""
    kind = _admin_kind(actor)
    reason = _required_reason(reason)
    certification = _decision_target(actor, agent_id, track_id)
    now = clock.now()
    certification_transition(
        certification, domain.Event.REVOKE, actor_kind=kind, by=actor.user_id, reason=reason, at=now
    )
    events.publish(
        Revoked(
            certification_id=certification.pk,
            business_id=certification.business_id,
            track_id=certification.track_id,
            agent_id=certification.agent_id,
            reason=reason,
            by=actor.user_id,
            at=now,
        )
    )
    tell_agent(
        certification,
        "certification.revoked",
        f"The business revoked your {certification.track.name} certification: {reason}",
        data={"reason": reason},
    )
    return certification


@transaction.atomic
def certification_reopen(
    *, actor: Actor, agent_id: object, track_id: object, reason: str = ""
) -> Certification:
    """PRODUCT.md §5 (the way back from a revocation): ``revoked`` → ``not_started`` in a new
    certification cycle, with no expiry; the agent starts the track over."""
    kind = _admin_kind(actor)
    certification = _decision_target(actor, agent_id, track_id)
    now = clock.now()
    certification_transition(
        certification,
        domain.Event.REOPEN,
        actor_kind=kind,
        by=actor.user_id,
        reason=reason.strip() or "Reopened by the business.",
        at=now,
    )
    certification.certified_at = None
    certification.expires_at = None
    certification.save(update_fields=["certified_at", "expires_at"])
    tell_agent(
        certification,
        "certification.reopened",
        f"The business reopened the {certification.track.name} track for you.",
    )
    return certification


@transaction.atomic
def certification_grant_attempts(
    *, actor: Actor, agent_id: object, track_id: object, count: int, reason: str = ""
) -> Certification:
    """PRODUCT.md §4: the business grants extra attempts (1–20 at a time) in the current cycle,
    the exception an agent who reached the maximum asks for."""
    _admin_kind(actor)
    if not 1 <= count <= 20:
        raise field_error("count", "must be between 1 and 20")
    certification = _decision_target(actor, agent_id, track_id)
    now = clock.now()
    certification.granted_attempts += count
    certification.save(update_fields=["granted_attempts"])
    AttemptGrant.objects.create(
        certification=certification,
        business_id=certification.business_id,
        cycle=certification.cycle,
        count=count,
        at=now,
        by_id=actor.user_id,
        reason=reason.strip(),
    )
    tell_agent(
        certification,
        "certification.attempts_granted",
        f"The business granted you {count} more attempt{'s' if count > 1 else ''} at "
        f"{certification.track.name}.",
        data={"count": count},
    )
    return certification
