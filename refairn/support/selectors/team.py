"""Support reads about the business's team: customer assignments, escalation topics, the
support policy, unavailability notices and each agent's SLA record (PRODUCT.md §6)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from refairn.core import clock
from refairn.core.errors import Forbidden
from refairn.core.pagination import Page, keyset_page, page_limit
from refairn.core.tenancy import Actor, Role
from refairn.programs.models import Customer
from refairn.programs.selectors import agent_get_for
from refairn.support.domain.escalation import DEFAULT_PHRASES, Category
from refairn.support.domain.thresholds import DEFAULT_WINDOW_DAYS, flags_in_window
from refairn.support.models import (
    AgentWarning,
    Assignment,
    EscalationTopic,
    OverdueFlag,
    PerformanceReview,
    Unavailability,
)
from refairn.support.selectors.intake import Policy, policy_for

ASSIGNMENT_ORDER = ("started_at", "id")
UNAVAILABILITY_ORDER = ("starts_at", "id")


def _assignments_of(actor: Actor, customer: Customer) -> QuerySet[Assignment]:
    actor.require_staff()
    return Assignment.objects.for_actor(actor).filter(customer=customer).select_related("agent")


def assignments_list_for(actor: Actor, customer: Customer) -> list[Assignment]:
    return list(_assignments_of(actor, customer).order_by(*ASSIGNMENT_ORDER))


def assignments_page_for(
    actor: Actor, customer: Customer, *, limit: int | None, cursor: str | None
) -> Page[Assignment]:
    """The customer's assignments, oldest first, a page at a time (staff)."""
    return keyset_page(
        _assignments_of(actor, customer),
        order=ASSIGNMENT_ORDER,
        limit=page_limit(limit),
        cursor=cursor,
    )


def open_assignment(customer: Customer) -> Assignment | None:
    return Assignment.objects.filter(customer=customer, ended_at__isnull=True).first()


def escalation_topics_for(business_id: uuid.UUID) -> tuple[dict[Category, tuple[str, ...]], bool]:
    """The business's phrases per category and whether it edited them (no rows: defaults)."""
    rows = list(EscalationTopic.objects.filter(business_id=business_id))
    if not rows:
        return dict(DEFAULT_PHRASES), False
    stored = {Category(row.category): tuple(row.phrases) for row in rows}
    return {category: stored.get(category, ()) for category in Category}, True


def topics_view_for(actor: Actor) -> dict[str, Any]:
    actor.require(Role.OWNER, Role.MANAGER)
    topics, customized = escalation_topics_for(actor.business_id)
    return _topics_view(topics, customized)


def _topics_view(topics: Mapping[Category, tuple[str, ...]], customized: bool) -> dict[str, Any]:
    return {
        "customized": customized,
        "categories": [
            {"category": c.value, "label": c.label, "phrases": list(topics.get(c, ()))}
            for c in Category
        ],
    }


def support_policy_view_for(actor: Actor) -> Policy:
    actor.require(Role.OWNER, Role.MANAGER)
    return policy_for(actor.business_id)


def _notices_for(actor: Actor) -> QuerySet[Unavailability]:
    """Staff see every notice of the business; an agent sees their own."""
    qs = Unavailability.objects.for_actor(actor)
    if not actor.is_staff:
        actor.require(Role.AGENT)
        qs = qs.filter(agent_id=actor.user_id)
    return qs


def unavailability_list_for(actor: Actor) -> list[Unavailability]:
    return list(_notices_for(actor).order_by(*UNAVAILABILITY_ORDER))


def unavailability_page_for(
    actor: Actor, *, limit: int | None, cursor: str | None
) -> Page[Unavailability]:
    """The notices the caller may see, earliest start first, a page at a time."""
    return keyset_page(
        _notices_for(actor), order=UNAVAILABILITY_ORDER, limit=page_limit(limit), cursor=cursor
    )


def flag_count(business_id: uuid.UUID, agent_id: uuid.UUID, now: datetime) -> int:
    """PRODUCT.md §2: the agent's overdue flags in the trailing window as of ``now``. The
    query only narrows the rows; the window's exact edges are the domain's."""
    times = OverdueFlag.objects.filter(
        business_id=business_id,
        agent_id=agent_id,
        at__gt=now - timedelta(days=DEFAULT_WINDOW_DAYS + 1),
        at__lte=now,
    ).values_list("at", flat=True)
    return flags_in_window(times, now)


def agent_sla_for(actor: Actor, agent_id: object) -> dict[str, Any]:
    """Staff, or the agent themself (another agent's record is NotFound)."""
    if not actor.is_staff and not actor.has(Role.AGENT):
        raise Forbidden("Only the business's staff and the agent see an agent's SLA record.")
    agent = agent_get_for(actor, agent_id)
    now = clock.now()
    since = now - timedelta(days=DEFAULT_WINDOW_DAYS)
    flags = OverdueFlag.objects.for_actor(actor).filter(
        agent_id=agent.user_id, at__gt=since, at__lte=now
    )
    return {
        "agent_id": agent.user_id,
        "overdue_flags_30d": flag_count(actor.business_id, agent.user_id, now),
        "flags": list(flags.order_by("-at", "-id")),
        "warnings": list(AgentWarning.objects.for_actor(actor).filter(agent_id=agent.user_id)),
        "reviews": list(PerformanceReview.objects.for_actor(actor).filter(agent_id=agent.user_id)),
    }


def review_get_for(actor: Actor, review_id: object, *, lock: bool = False) -> PerformanceReview:
    qs = PerformanceReview.objects.all()
    if not actor.is_staff:
        qs = qs.filter(agent_id=actor.user_id)
    if lock:
        qs = qs.select_for_update()
    return qs.get_for(actor, review_id, what="performance review")
