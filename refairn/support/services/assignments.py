"""Which agent supports which customer (PRODUCT.md §6). An assignment is never edited after it
ends: the history (start, end, who, why) is what support commissions are computed from."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction

from refairn.core import clock
from refairn.core.errors import Conflict, NotFound, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.notifications.services import notification_send
from refairn.programs.models import Customer
from refairn.programs.selectors import agent_get_for, agent_name, business_get_for
from refairn.support.models import Assignment
from refairn.support.selectors.intake import intake_for, reasons_text

REASSIGNED = "reassigned"
UNASSIGNED = "unassigned"


@transaction.atomic
def assignments_end_for_agent(
    *,
    business_id: uuid.UUID,
    agent_id: uuid.UUID,
    reason: str,
    by: uuid.UUID | None,
    at: datetime | None = None,
) -> int:
    """End every open assignment of the agent in the business at once, with the reason
    (support removal and certification revocation, PRODUCT.md §5–§6). Returns how many ended."""
    return Assignment.objects.filter(
        business_id=business_id, agent_id=agent_id, ended_at__isnull=True
    ).update(ended_at=at or clock.now(), ended_by_id=by, end_reason=reason)


def _lock_customer(customer: Customer) -> Customer:
    # Serializes every assignment change of one customer: the open assignment read below
    # decides what is written.
    return Customer.objects.select_for_update().get(pk=customer.pk)


@transaction.atomic
def assignment_set(*, actor: Actor, customer: Customer, agent_id: uuid.UUID) -> Assignment:
    """PRODUCT.md §6: assign a Certified Support Agent to a customer. An agent who is not
    certified, expired, suspended, removed or away under the pause-intake policy is refused
    with 409 ``agent_not_eligible`` naming why. A different current agent's assignment ends
    ("reassigned"); assigning the current agent again changes nothing."""
    actor.require(*ADMIN_ROLES)
    customer = _lock_customer(customer)
    try:
        agent_get_for(actor, agent_id)
    except NotFound:
        raise field_error(
            "agent_id", "is not an agent of this business", code="unknown_agent"
        ) from None
    if customer.cancelled_at is not None:
        raise Conflict(
            "The customer's subscription is cancelled; there is no one to support.",
            code="customer_cancelled",
        )
    current = Assignment.objects.filter(customer=customer, ended_at__isnull=True).first()
    if current is not None and current.agent_id == agent_id:
        return current
    now = clock.now()
    business = business_get_for(actor)
    intake = intake_for(business=business, agent_id=agent_id, now=now)
    if not intake.takes_new_customers:
        reasons = intake.new_customer_blockers
        raise Conflict(
            f"The agent cannot be assigned new customers: {reasons_text(reasons)}.",
            code="agent_not_eligible",
            extra={"reasons": list(reasons)},
        )
    if current is not None:
        current.ended_at, current.ended_by_id, current.end_reason = now, actor.user_id, REASSIGNED
        current.save(update_fields=["ended_at", "ended_by", "end_reason"])
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                business_id=actor.business_id,
                customer=customer,
                agent_id=agent_id,
                started_at=now,
                started_by_id=actor.user_id,
            )
    except IntegrityError:
        raise Conflict(
            "The customer's assignment changed at the same time; try again.",
            code="assignment_changed",
        ) from None
    notification_send(
        user_ids=[agent_id],
        business_id=actor.business_id,
        kind="customer_assigned",
        text=f"{customer.name} is now one of your support customers at {business.name}.",
        link=f"/b/{business.id}/",
        event="customer.assigned",
        data={
            "agent_id": agent_id,
            "agent_name": agent_name(business.id, agent_id),
            "customer_id": customer.id,
            "customer_name": customer.name,
        },
    )
    return assignment


@transaction.atomic
def assignment_end(*, actor: Actor, customer: Customer) -> Assignment:
    """PRODUCT.md §6/§10: unassigning stops only this customer's support (and its accrual)."""
    actor.require(*ADMIN_ROLES)
    customer = _lock_customer(customer)
    current = Assignment.objects.filter(customer=customer, ended_at__isnull=True).first()
    if current is None:
        raise Conflict("The customer has no support agent assigned.", code="not_assigned")
    current.ended_at, current.ended_by_id, current.end_reason = (
        clock.now(),
        actor.user_id,
        UNASSIGNED,
    )
    current.save(update_fields=["ended_at", "ended_by", "end_reason"])
    return current
