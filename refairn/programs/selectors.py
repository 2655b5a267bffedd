"""Reads for businesses, staff, agents and customers; the edge where an Actor is built."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast

from refairn.accounts.models import User
from refairn.core.errors import NotFound
from refairn.core.pagination import Page, keyset_page, keyset_window, page_limit
from refairn.core.tenancy import Actor, Role, parse_uuid
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business, Customer, StaffMembership
from refairn.programs.settings_sections import settings_for_members


def actor_for(user: User, business_id: object) -> Actor:
    """The user as an actor in ``business_id``; NotFound when they have no tie to it.

    Ties: a staff role, an agent application (any status: an applicant may see the program),
    or a customer record. Only an *approved* agent holds the ``agent`` role.
    """
    key = parse_uuid(business_id, what="business")
    # Every tie in one statement (issue 17: each API request starts here): (kind, value) rows.
    staff = StaffMembership.objects.filter(business_id=key, user=user).values_list(
        Value("staff"), "role"
    )
    agent = Agent.objects.filter(business_id=key, user=user).values_list(Value("agent"), "status")
    customers = Customer.objects.filter(business_id=key, user=user).values_list(
        Value("customer"), Cast("id", models.CharField())
    )
    ties = list(staff.order_by().union(agent.order_by(), customers.order_by(), all=True))
    roles = {Role(value) for kind, value in ties if kind == "staff"}
    agent_status = next((value for kind, value in ties if kind == "agent"), None)
    if agent_status == AgentStatus.APPROVED:
        roles.add(Role.AGENT)
    customer_ids = frozenset(uuid.UUID(value) for kind, value in ties if kind == "customer")
    if customer_ids:
        roles.add(Role.CUSTOMER)
    if not roles and agent_status is None:
        raise NotFound("business")
    return Actor(
        user_id=user.id, business_id=key, roles=frozenset(roles), customer_ids=customer_ids
    )


def actor_for_row_of(
    user: User, model: type[models.Model], pk: object, *, what: str
) -> tuple[Actor, uuid.UUID]:
    """For paths that name an object but not its business (``/tracks/{t}``, ``/tickets/{t}``,
    ...): the caller as an actor in that object's business, and the object's parsed id. An
    unknown id and an object in a business the caller has no tie to give the same NotFound, so
    ids of other businesses cannot be probed. The caller still loads the object through
    ``for_actor``: this only finds which business to scope to."""
    key = parse_uuid(pk, what=what)
    rows = model._default_manager.filter(pk=key)
    business_id = rows.values_list("business_id", flat=True).first()
    if business_id is None:
        raise NotFound(what)
    try:
        return actor_for(user, business_id), key
    except NotFound:
        raise NotFound(what) from None


def staff_user_ids(business_id: uuid.UUID, *roles: Role) -> list[uuid.UUID]:
    """The business's staff holding any of ``roles``: who to tell about something waiting for
    the business."""
    return list(
        StaffMembership.objects.filter(business_id=business_id, role__in=roles)
        .values_list("user_id", flat=True)
        .distinct()
    )


def agent_name(business_id: uuid.UUID, agent_id: uuid.UUID) -> str:
    """How notifications name an agent of the business: their name, else their e-mail."""
    name, email = (
        Agent.objects.filter(business_id=business_id, user_id=agent_id)
        .values_list("user__name", "user__email")
        .first()
    ) or ("", "")
    return _named(name, email)


def agent_names(business_id: uuid.UUID, agent_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """``agent_name`` of each of ``agent_ids``, in one read."""
    wanted = set(agent_ids)
    rows = Agent.objects.filter(business_id=business_id, user_id__in=wanted).values_list(
        "user_id", "user__name", "user__email"
    )
    found = {user_id: (name, email) for user_id, name, email in rows}
    return {agent_id: _named(*found.get(agent_id, ("", ""))) for agent_id in wanted}


def _named(name: str, email: str) -> str:
    return name or email or "An agent"


def business_get(business_id: object) -> Business:
    """Any business by id, for the few public actions (applying to a program)."""
    try:
        return Business.objects.get(pk=parse_uuid(business_id, what="business"))
    except Business.DoesNotExist:
        raise NotFound("business") from None


def business_get_for(actor: Actor, *, lock: bool = False) -> Business:
    qs = Business.objects.select_for_update() if lock else Business.objects
    return qs.get(pk=actor.business_id)


def business_settings_for(actor: Actor, business: Business) -> dict[str, Any]:
    """The program's settings as the actor may read them: whole for owners and managers, the
    part every member needs for anyone else (issue 18 item 6)."""
    if actor.is_admin:
        return business.settings
    return settings_for_members(business.settings)


def business_by_slug(slug: str) -> Business:
    """The operator's command line and the public program page name businesses by slug."""
    try:
        return Business.objects.get(slug=slug)
    except Business.DoesNotExist:
        raise NotFound(f"business {slug!r}") from None


@dataclass(frozen=True)
class Membership:
    business_id: uuid.UUID
    business_name: str
    role: str
    status: str | None = None


def memberships_for_user(user: User) -> list[Membership]:
    """Every tie the user has, for ``GET /me`` and the web home page."""
    rows = [
        Membership(m.business_id, m.business.name, m.role)
        for m in StaffMembership.objects.filter(user=user).select_related("business")
    ]
    rows += [
        Membership(a.business_id, a.business.name, Role.AGENT.value, a.status)
        for a in Agent.objects.filter(user=user).select_related("business")
    ]
    rows += [
        Membership(c.business_id, c.business.name, Role.CUSTOMER.value, c.subscription_status)
        for c in Customer.objects.filter(user=user).select_related("business")
    ]
    return sorted(rows, key=lambda m: (m.business_name, m.role))


def agent_get_for(actor: Actor, agent_id: object, *, lock: bool = False) -> Agent:
    """An agent of the actor's business. Agents may load only themselves."""
    qs = Agent.objects.select_related("user")
    if not actor.is_staff:
        qs = qs.filter(user_id=actor.user_id)
    if lock:
        qs = qs.select_for_update()
    return qs.get_for(actor, agent_id, what="agent", field="user_id")


def agent_is_approved(actor: Actor, agent_id: uuid.UUID) -> bool:
    """An approved agent of the actor's business (who may refer customers)."""
    return (
        Agent.objects.for_actor(actor)
        .filter(user_id=agent_id, status=AgentStatus.APPROVED)
        .exists()
    )


def agents_list_for(actor: Actor, *, status: str | None = None) -> list[Agent]:
    actor.require_staff()
    qs = Agent.objects.for_actor(actor).select_related("user").order_by("applied_at", "user_id")
    if status:
        qs = qs.filter(status=status)
    return list(qs)


AGENT_ORDER = ("applied_at", "id")


def agents_page_for(
    actor: Actor, *, status: str | None = None, limit: int | None, cursor: str | None
) -> Page[Agent]:
    """The business's agents, earliest applicant first, a page at a time (staff)."""
    actor.require_staff()
    qs = Agent.objects.for_actor(actor).select_related("user")
    if status:
        qs = qs.filter(status=status)
    return keyset_page(qs, order=AGENT_ORDER, limit=page_limit(limit), cursor=cursor)


def customer_get_for(actor: Actor, customer_id: object) -> Customer:
    """Staff see every customer of the business; a customer sees only their own record."""
    qs = Customer.objects.select_related("business")
    if not actor.is_staff:
        qs = qs.filter(id__in=actor.customer_ids)
    return qs.get_for(actor, customer_id, what="customer")


def customer_actor(user: User, customer_id: object) -> tuple[Actor, Customer]:
    """For paths that name a customer but not its business."""
    actor, key = actor_for_row_of(user, Customer, customer_id, what="customer")
    return actor, customer_get_for(actor, key)


CUSTOMER_ORDER = ("created_at", "id")


def customers_page_for(
    actor: Actor, *, limit: int | None, cursor: str | None, before: str | None = None
) -> Page[Customer]:
    """The business's customers, oldest first, a page at a time (staff); ``before``: the
    staff page's "previous" link."""
    actor.require_staff()
    return keyset_window(
        Customer.objects.for_actor(actor).select_related("business"),
        order=CUSTOMER_ORDER,
        limit=page_limit(limit),
        cursor=cursor,
        before=before,
    )
