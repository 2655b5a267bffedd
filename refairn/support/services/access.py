"""Support access (PRODUCT.md §2, §5, §6): the agent's request, activation once certified, and the
business's suspend, reinstate, remove and re-approve. Every change goes through ``_change``: the
table in ``support.domain.access`` decides whether it is legal and who may make it, a
``SupportAccessEvent`` records it (commissions read those), and the training library follows.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction

from refairn.certification.domain import ActorKind
from refairn.certification.domain.errors import ForbiddenTransition, InvalidTransition
from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import (
    agent_get_for,
    agent_name,
    business_get_for,
    staff_user_ids,
)
from refairn.support.domain.access import (
    AccessEvent,
    AccessStatus,
    check_access_actor,
    next_access,
    opens_training,
)
from refairn.support.domain.eligibility import IneligibleReason
from refairn.support.models import SupportAccess, SupportAccessEvent
from refairn.support.selectors import support_certified, support_eligibility_for
from refairn.support.selectors.intake import reasons_text
from refairn.support.services.assignments import assignments_end_for_agent
from refairn.support.services.tickets import tickets_requeue_for_agent
from refairn.training.services import library_access_set

ACTIONS = {
    "suspend": AccessEvent.SUSPEND,
    "reinstate": AccessEvent.REINSTATE,
    "remove": AccessEvent.REMOVE,
    "reapprove": AccessEvent.REAPPROVE,
}
# Decisions that take support work away: they must say why (PRODUCT.md §6), and the agent's
# open tickets return to the business queue.
_WITHDRAWALS = frozenset({AccessEvent.SUSPEND, AccessEvent.REMOVE})
# Re-approval restores the access itself, so only the certification reasons can block it.
_ACCESS_REASONS = frozenset(
    {
        IneligibleReason.SUPPORT_ACCESS_NOT_ACTIVE,
        IneligibleReason.SUPPORT_ACCESS_SUSPENDED,
        IneligibleReason.SUPPORT_ACCESS_REMOVED,
    }
)

# The catalogued event of each decision (notifications.domain.catalogue).
_EVENT_TYPES = {
    AccessEvent.SUSPEND: "support_access.suspended",
    AccessEvent.REINSTATE: "support_access.reinstated",
    AccessEvent.REMOVE: "support_access.removed",
    AccessEvent.REAPPROVE: "support_access.reapproved",
}

_TOLD = {
    AccessEvent.SUSPEND: "Your support access at {business} was suspended.",
    AccessEvent.REINSTATE: "Your support access at {business} was reinstated.",
    AccessEvent.REMOVE: "Your support access at {business} was removed. "
    "Your referral commissions continue as before.",
    AccessEvent.REAPPROVE: "Your support access at {business} was re-approved.",
}


def _locked(business_id: uuid.UUID, agent_id: uuid.UUID) -> SupportAccess:
    """The agent's access record, created at ``none`` on first need and locked: the status read
    decides the write, and two changes at once queue here."""
    record, _ = SupportAccess.objects.get_or_create(
        business_id=business_id, agent_id=agent_id, defaults={"status": AccessStatus.NONE}
    )
    return SupportAccess.objects.select_for_update().get(pk=record.pk)


def _change(
    record: SupportAccess,
    event: AccessEvent,
    *,
    actor_kind: ActorKind,
    by: uuid.UUID | None,
    reason: str,
    at: datetime,
) -> AccessStatus:
    """Apply one event to a locked access record: the only write of support access. 403 for an
    actor who may not, 409 ``invalid_transition`` for an illegal change."""
    try:
        check_access_actor(event, actor_kind)
        current = AccessStatus(record.status)
        new = next_access(current, event)
    except ForbiddenTransition as exc:
        raise Forbidden(str(exc)) from None
    except InvalidTransition as exc:
        raise Conflict(str(exc), code="invalid_transition") from None
    record.status, record.changed_at = new, at
    record.save(update_fields=["status", "changed_at"])
    SupportAccessEvent.objects.create(
        business_id=record.business_id,
        agent_id=record.agent_id,
        event=event,
        from_status=current,
        to_status=new,
        at=at,
        by_id=by,
        reason=reason,
    )
    if opens_training(current) != opens_training(new):
        library_access_set(
            business_id=record.business_id,
            agent_id=record.agent_id,
            open=opens_training(new),
            at=at,
        )
    return new


@transaction.atomic
def support_access_request(*, actor: Actor) -> AccessStatus:
    """PRODUCT.md §2: an approved agent asks for support access; with training access
    ``on_request`` the request unlocks the training library at once, and the business is told.

    Requested, active or suspended access: 409 ``already_requested``; removed access needs the
    business to re-approve it (409 ``invalid_transition``).
    """
    actor.require(Role.AGENT)
    agent = agent_get_for(actor, actor.user_id)
    record = _locked(actor.business_id, actor.user_id)
    current = AccessStatus(record.status)
    if current in {AccessStatus.REQUESTED, AccessStatus.ACTIVE, AccessStatus.SUSPENDED}:
        raise Conflict(f"Support access is already {current.value}.", code="already_requested")
    if current is AccessStatus.REMOVED:
        raise Conflict(
            "Support access was removed; the business must re-approve it.",
            code="invalid_transition",
        )
    now = clock.now()
    status = _change(
        record,
        AccessEvent.REQUEST,
        actor_kind=ActorKind.AGENT,
        by=actor.user_id,
        reason="The agent requested support access.",
        at=now,
    )
    business = business_get_for(actor)
    notification_send(
        user_ids=staff_user_ids(business.id, *ADMIN_ROLES),
        business_id=business.id,
        kind="support_access_requested",
        text=f"{agent.user.name or agent.user.email} requested support access in {business.name}.",
        link=f"/b/{business.id}/agents/{actor.user_id}/",
        event="support_access.requested",
        data={"agent_id": actor.user_id, "agent_name": agent.user.name or agent.user.email},
    )
    # Certified before asking (e.g. training access is automatic): nothing left to wait for.
    if support_access_activate_if_certified(business=business, agent_id=actor.user_id, now=now):
        return AccessStatus.ACTIVE
    return status


def support_access_activate_if_certified(
    *, business: Business, agent_id: uuid.UUID, now: datetime
) -> bool:
    """PRODUCT.md §5: an agent certified in every support track becomes a Certified Support
    Agent — access ``none``/``requested`` turns ``active`` (a system event). Suspended or
    removed access is the business's call and is left alone. Returns whether it activated."""
    approved = Agent.objects.filter(
        business=business, user_id=agent_id, status=AgentStatus.APPROVED
    ).exists()
    if not approved:
        return False
    record = _locked(business.id, agent_id)
    if record.status not in {AccessStatus.NONE, AccessStatus.REQUESTED}:
        return False
    if not support_certified(business=business, agent_id=agent_id, now=now):
        return False
    _change(
        record,
        AccessEvent.ACTIVATE,
        actor_kind=ActorKind.SYSTEM,
        by=None,
        reason="Certified in every support track.",
        at=now,
    )
    notification_send(
        user_ids=[agent_id],
        business_id=business.id,
        kind="support_access_active",
        text=f"You are now a Certified Support Agent of {business.name}.",
        link=f"/b/{business.id}/support/",
        event="support_access.active",
        data={"agent_id": agent_id, "agent_name": agent_name(business.id, agent_id)},
    )
    return True


def _actor_kind(actor: Actor) -> ActorKind:
    return ActorKind.OWNER if actor.has(Role.OWNER) else ActorKind.MANAGER


@transaction.atomic
def support_access_change(
    *, actor: Actor, agent_id: object, action: str, reason: str
) -> AccessStatus:
    """PRODUCT.md §6: suspend (no tickets, no new customers; assignments are kept and resume on
    reinstatement), reinstate, remove (every assignment ends at once, open tickets return to
    the queue; referral records are never touched) and re-approve (removed → active, only for an
    agent still certified in every support track). Each change is a ``SupportAccessEvent``
    with actor and reason."""
    actor.require(*ADMIN_ROLES)
    event = ACTIONS.get(action)
    if event is None:
        raise field_error("action", f"must be one of {', '.join(ACTIONS)}")
    try:
        check_access_actor(event, _actor_kind(actor))
    except ForbiddenTransition as exc:
        raise Forbidden(str(exc)) from None
    reason = reason.strip()
    if event in _WITHDRAWALS and not reason:
        raise field_error("reason", "a reason is required")
    agent = agent_get_for(actor, agent_id)
    record = _locked(actor.business_id, agent.user_id)
    try:
        next_access(AccessStatus(record.status), event)
    except InvalidTransition as exc:
        raise Conflict(str(exc), code="invalid_transition") from None
    now = clock.now()
    business = business_get_for(actor)
    if event is AccessEvent.REAPPROVE:
        _require_certified(business=business, agent_id=agent.user_id)
    new = _change(
        record, event, actor_kind=_actor_kind(actor), by=actor.user_id, reason=reason, at=now
    )
    if event is AccessEvent.REMOVE:
        assignments_end_for_agent(
            business_id=actor.business_id,
            agent_id=agent.user_id,
            reason=f"support access removed: {reason}",
            by=actor.user_id,
            at=now,
        )
    if event in _WITHDRAWALS:
        tickets_requeue_for_agent(
            business_id=actor.business_id,
            agent_id=agent.user_id,
            by=actor.user_id,
            note=f"support access {new.value}: {reason}",
        )
    notification_send(
        user_ids=[agent.user_id],
        business_id=actor.business_id,
        kind=f"support_access_{event.value}",
        text=_TOLD[event].format(business=business.name) + (f" Reason: {reason}" if reason else ""),
        link=f"/b/{actor.business_id}/",
        event=_EVENT_TYPES[event],
        data={
            "agent_id": agent.user_id,
            "agent_name": agent.user.name or agent.user.email,
            "reason": reason,
        },
    )
    return new


def _require_certified(*, business: Business, agent_id: uuid.UUID) -> None:
    eligibility = support_eligibility_for(business=business, agent_id=agent_id, now=clock.now())
    blocking = tuple(str(r) for r in eligibility.reasons if r not in _ACCESS_REASONS)
    if blocking:
        raise Conflict(
            f"Support access cannot be re-approved: {reasons_text(blocking)}.",
            code="agent_not_eligible",
            extra={"reasons": list(blocking)},
        )
