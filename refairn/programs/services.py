"""Writes for businesses, staff, agents and customers (PRODUCT.md §1–2).

Each function is the only way to make its change: it checks the actor's role, validates, writes
atomically and records who did it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from refairn.accounts.models import User
from refairn.core import clock
from refairn.core.errors import Conflict, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.domain import AgentStatus, SupportLevel, Tier
from refairn.programs.models import (
    Agent,
    Business,
    Customer,
    StaffMembership,
    SupportLevelChange,
)
from refairn.programs.selectors import (
    agent_get_for,
    agent_is_approved,
    business_get,
    business_get_for,
    staff_user_ids,
)
from refairn.programs.settings_sections import settings_defaults, settings_validate


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "business"
    slug, n = base, 1
    while Business.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def business_create(*, user: User, name: str, slug: str | None = None) -> Business:
    """A new program with default settings; its creator becomes the owner."""
    name = name.strip()
    if not name:
        raise field_error("name", "must not be blank")
    business = Business.objects.create(
        name=name,
        slug=slug or _unique_slug(name),
        settings=settings_defaults(),
    )
    StaffMembership.objects.create(business=business, user=user, role=Role.OWNER)
    return business


@transaction.atomic
def settings_update(*, actor: Actor, patch: dict[str, Any]) -> dict[str, Any]:
    """PRODUCT.md §2: PATCH semantics of ``programs.domain.merge_patch``, validated whole through
    every settings section (each by its own app's domain rules); nothing is written unless the
    whole result is valid. Returns the stored document."""
    actor.require(*ADMIN_ROLES)
    business = business_get_for(actor, lock=True)
    business.settings = settings_validate(business.settings, patch, business_id=business.id)
    business.save(update_fields=["settings"])
    return business.settings


@transaction.atomic
def staff_add(*, actor: Actor, email: str, role: str) -> StaffMembership:
    actor.require(Role.OWNER)
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        raise field_error(
            "email", "no account uses this email; they must sign up first", code="unknown_user"
        )
    if role not in StaffMembership.StaffRole.values:
        raise field_error("role", f"must be one of {', '.join(StaffMembership.StaffRole.values)}")
    try:
        with transaction.atomic():
            return StaffMembership.objects.create(
                business_id=actor.business_id, user=user, role=role
            )
    except IntegrityError:
        raise Conflict(
            f"{email} is already {role} of this business.", code="already_member"
        ) from None


@transaction.atomic
def agent_apply(*, user: User, business_id: object) -> Agent:
    """Any user may apply to a program; the business decides (PRODUCT.md §1)."""
    business = business_get(business_id)
    try:
        with transaction.atomic():
            agent = Agent.objects.create(business=business, user=user)
    except IntegrityError:
        raise Conflict(
            "You have already applied to this program.", code="already_applied"
        ) from None
    notification_send(
        user_ids=staff_user_ids(business.id, *ADMIN_ROLES),
        business_id=business.id,
        kind="agent_applied",
        text=f"{user.name or user.email} applied to join {business.name}.",
        link=f"/b/{business.id}/",
        event="agent.applied",
        data={"agent_id": user.id, "agent_name": user.name or user.email},
    )
    return agent


def _decide(actor: Actor, agent_id: object, status: AgentStatus, reason: str) -> Agent:
    actor.require(*ADMIN_ROLES)
    agent = agent_get_for(actor, agent_id, lock=True)
    if agent.status != AgentStatus.PENDING:
        raise Conflict(f"The application is already {agent.status}.", code="invalid_transition")
    agent.status, agent.decided_at = status, clock.now()
    agent.decided_by_id, agent.decision_reason = actor.user_id, reason
    agent.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    business = agent.business
    verdict = "approved" if status == AgentStatus.APPROVED else "declined"
    notification_send(
        user_ids=[agent.user_id],
        business_id=business.id,
        kind=f"application_{verdict}",
        text=f"Your application to {business.name} was {verdict}."
        + (f" Reason: {reason}" if reason else ""),
        link=f"/b/{business.id}/",
        event=f"application.{verdict}",
        data={
            "agent_id": agent.user_id,
            "agent_name": agent.user.name or agent.user.email,
            **({"reason": reason} if status == AgentStatus.REJECTED else {}),
        },
    )
    return agent


@transaction.atomic
def agent_approve(*, actor: Actor, agent_id: object) -> Agent:
    """Pending → approved referral agent."""
    return _decide(actor, agent_id, AgentStatus.APPROVED, "")


@transaction.atomic
def agent_reject(*, actor: Actor, agent_id: object, reason: str) -> Agent:
    if not reason.strip():
        raise field_error("reason", "a reason is required")
    return _decide(actor, agent_id, AgentStatus.REJECTED, reason.strip())


@transaction.atomic
def agent_support_level_set(*, actor: Actor, agent_id: object, level: str) -> Agent:
    """Issue 11 item 6: owners and managers set an agent's support level (L1, L2, L3, CSM);
    each change is kept (``SupportLevelChange``) for the audit log. Setting the level the
    agent already has changes nothing."""
    actor.require(*ADMIN_ROLES)
    try:
        new_level = SupportLevel(level)
    except ValueError:
        raise field_error(
            "support_level", f"one of {', '.join(SupportLevel)}", code="invalid_support_level"
        ) from None
    agent = agent_get_for(actor, agent_id, lock=True)
    if agent.support_level == new_level:
        return agent
    SupportLevelChange.objects.create(
        business_id=agent.business_id,
        agent_id=agent.user_id,
        from_level=agent.support_level,
        to_level=new_level,
        at=clock.now(),
        by_id=actor.user_id,
    )
    agent.support_level = new_level
    agent.save(update_fields=["support_level"])
    return agent


@transaction.atomic
def customer_create(
    *,
    actor: Actor,
    name: str,
    email: str,
    tier: Tier,
    monthly_value: Decimal,
    referred_by: uuid.UUID | None,
    subscribed_at: datetime | None,
) -> Customer:
    """A paying customer of the business. If ``email`` belongs to a user who verified it, that
    user can log in to the customer portal as this customer; someone who signs up with it later
    is linked when they verify it (``reactions.on_email_verified``). An unverified sign-up with
    the address is never linked: anyone can type an address."""
    actor.require_staff()
    now = clock.now()
    if subscribed_at is not None and subscribed_at > now:
        raise field_error("subscribed_at", "cannot be in the future")
    if referred_by is not None and not agent_is_approved(actor, referred_by):
        raise field_error("referred_by", "is not an approved agent of this business")
    email = email.strip().lower()
    return Customer.objects.create(
        business_id=actor.business_id,
        user=(
            User.objects.filter(email=email, email_verified_at__isnull=False).first()
            if email
            else None
        ),
        name=name.strip(),
        email=email,
        tier=tier,
        monthly_value=monthly_value,
        referred_by_id=referred_by,
        subscribed_at=subscribed_at or now,
    )


@transaction.atomic
def customer_cancel(*, actor: Actor, customer: Customer, at: datetime | None) -> Customer:
    """Ends the subscription at ``at`` (default now): support and future recurring referral
    accruals stop from then (PRODUCT.md §10)."""
    actor.require_staff()
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.cancelled_at is not None:
        raise Conflict("The subscription is already cancelled.", code="already_cancelled")
    now = clock.now()
    at = at or now
    if at > now:
        raise field_error("at", "cannot be in the future")
    if at < customer.subscribed_at:
        raise field_error("at", "cannot be before the subscription started")
    customer.cancelled_at = at
    customer.save(update_fields=["cancelled_at"])
    return customer
