"""Suspending, reinstating, removing and re-approving an agent's support access (PRODUCT.md §6).

Requesting and activating access belong to certification; the transitions all come from the
one table in ``certification.domain.access``.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from refairn.certification.domain.access import (
    AccessEvent,
    SupportAccess,
    check_access_actor,
    next_access,
)
from refairn.certification.domain.eligibility import IneligibleReason
from refairn.certification.domain.errors import ForbiddenTransition, InvalidTransition
from refairn.certification.domain.status import ActorKind
from refairn.certification.selectors import support_eligibility_for
from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import agent_get_for, business_get_for
from refairn.support.intake import reasons_text
from refairn.support.models import SupportAccessEvent
from refairn.support.services.assignments import assignments_end_for_agent
from refairn.support.services.tickets import tickets_requeue_for_agent

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

_TOLD = {
    AccessEvent.SUSPEND: "Your support access at {business} was suspended.",
    AccessEvent.REINSTATE: "Your support access at {business} was reinstated.",
    AccessEvent.REMOVE: "Your support access at {business} was removed. "
    "Your referral commissions continue as before.",
    AccessEvent.REAPPROVE: "Your support access at {business} was re-approved.",
}


def _actor_kind(actor: Actor) -> ActorKind:
    return ActorKind.OWNER if actor.has(Role.OWNER) else ActorKind.MANAGER


@transaction.atomic
def support_access_change(*, actor: Actor, agent_id: object, action: str, reason: str) -> Agent:
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
    agent = agent_get_for(actor, agent_id, lock=True)
    current = SupportAccess(agent.support_access)
    try:
        new = next_access(current, event)
    except InvalidTransition as exc:
        raise Conflict(str(exc), code="invalid_transition") from None
    now = clock.now()
    business = business_get_for(actor)
    if event is AccessEvent.REAPPROVE:
        _require_certified(business=business, agent_id=agent.user_id)
    agent.support_access = new
    agent.save(update_fields=["support_access"])
    SupportAccessEvent.objects.create(
        business_id=actor.business_id,
        agent_id=agent.user_id,
        event=event.value,
        from_status=current.value,
        to_status=new.value,
        at=now,
        by_id=actor.user_id,
        reason=reason,
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
    )
    return agent


def _require_certified(*, business: Business, agent_id: uuid.UUID) -> None:
    eligibility = support_eligibility_for(business=business, agent_id=agent_id, now=clock.now())
    blocking = tuple(str(r) for r in eligibility.reasons if r not in _ACCESS_REASONS)
    if blocking:
        raise Conflict(
            f"Support access cannot be re-approved: {reasons_text(blocking)}.",
            code="agent_not_eligible",
            extra={"reasons": list(blocking)},
        )
