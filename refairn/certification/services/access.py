"""Support access requests and activation (PRODUCT.md §2, §5, §6)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction

from refairn.certification import domain
from refairn.certification.selectors import (
    support_certified,
)
from refairn.core import clock
from refairn.core.errors import Conflict
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import staff_user_ids
from refairn.support.models import SupportAccessEvent


def _access_change(
    agent: Agent,
    event: domain.AccessEvent,
    *,
    actor_kind: domain.ActorKind,
    by: uuid.UUID | None,
    reason: str,
    at: datetime,
) -> None:
    """Apply one support access event (callers have ruled out illegal ones) and record it in
    the history commissions read."""
    domain.check_access_actor(event, actor_kind)
    current = domain.SupportAccess(agent.support_access)
    new = domain.next_access(current, event)
    SupportAccessEvent.objects.create(
        business_id=agent.business_id,
        agent_id=agent.user_id,
        event=event,
        from_status=current,
        to_status=new,
        at=at,
        by_id=by,
        reason=reason,
    )
    agent.support_access = new
    agent.save(update_fields=["support_access"])


@transaction.atomic
def support_access_request(*, actor: Actor) -> Agent:
    """PRODUCT.md §2: an approved agent asks for support access; with training access
    ``on_request`` the request unlocks the training library at once, and the business is told.

    Requested, active or suspended access: 409 ``already_requested``; removed access needs the
    business to re-approve it (409 ``invalid_transition``).
    """
    actor.require(Role.AGENT)
    agent = (
        Agent.objects.select_for_update(of=("self",))
        .select_related("business", "user")
        .get(business_id=actor.business_id, user_id=actor.user_id)
    )
    current = domain.SupportAccess(agent.support_access)
    if current in {
        domain.SupportAccess.REQUESTED,
        domain.SupportAccess.ACTIVE,
        domain.SupportAccess.SUSPENDED,
    }:
        raise Conflict(f"Support access is already {current.value}.", code="already_requested")
    if current is domain.SupportAccess.REMOVED:
        raise Conflict(
            "Support access was removed; the business must re-approve it.",
            code="invalid_transition",
        )
    now = clock.now()
    _access_change(
        agent,
        domain.AccessEvent.REQUEST,
        actor_kind=domain.ActorKind.AGENT,
        by=actor.user_id,
        reason="The agent requested support access.",
        at=now,
    )
    name = agent.user.name or agent.user.email
    notification_send(
        user_ids=staff_user_ids(agent.business_id, *ADMIN_ROLES),
        business_id=agent.business_id,
        kind="support_access_requested",
        text=f"{name} requested support access in {agent.business.name}.",
        link=f"/b/{agent.business_id}/agents/{agent.user_id}",
    )
    # Certified before asking (e.g. training access is automatic): nothing left to wait for.
    support_access_activate_if_certified(business=agent.business, agent_id=agent.user_id, now=now)
    agent.refresh_from_db(fields=["support_access"])
    return agent


def support_access_activate_if_certified(
    *, business: Business, agent_id: uuid.UUID, now: datetime
) -> bool:
    """PRODUCT.md §5: an agent certified in every support track becomes a Certified Support
    Agent — access ``none``/``requested`` turns ``active`` (a system event). Suspended or
    removed access is the business's call and is left alone. Returns whether it activated."""
    agent = (
        Agent.objects.select_for_update()
        .filter(business=business, user_id=agent_id, status=AgentStatus.APPROVED)
        .first()
    )
    if agent is None or agent.support_access not in {
        domain.SupportAccess.NONE,
        domain.SupportAccess.REQUESTED,
    }:
        return False
    if not support_certified(business=business, agent_id=agent_id, now=now):
        return False
    _access_change(
        agent,
        domain.AccessEvent.ACTIVATE,
        actor_kind=domain.ActorKind.SYSTEM,
        by=None,
        reason="Certified in every support track.",
        at=now,
    )
    notification_send(
        user_ids=[agent_id],
        business_id=business.id,
        kind="support_access_active",
        text=f"You are now a Certified Support Agent of {business.name}.",
        link=f"/b/{business.id}/support",
    )
    return True
