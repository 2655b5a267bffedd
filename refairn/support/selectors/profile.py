"""The agent's public profile (PRODUCT.md §5–§6): badges, support partnerships, ratings."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Sum

from refairn.accounts.models import User
from refairn.certification.selectors import badges_for_agent
from refairn.core import clock
from refairn.core.errors import NotFound
from refairn.core.tenancy import parse_uuid
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business
from refairn.support.domain.ratings import quality_tier, summary_from_totals
from refairn.support.models import (
    Rating,
)
from refairn.support.selectors.access import support_partner_business_ids


def agent_profile(agent_id: object) -> dict[str, Any]:
    """PRODUCT.md §5–§6: what anyone may see of an agent: badges, support partnerships and
    rating averages with the quality tier. Only approved agents have a profile."""
    key = parse_uuid(agent_id, what="agent")
    user = User.objects.filter(
        pk=key,
        is_active=True,
        pk__in=Agent.objects.filter(status=AgentStatus.APPROVED).values("user_id"),
    ).first()
    if user is None:
        raise NotFound("agent")
    now = clock.now()
    totals = Rating.objects.filter(agent_id=key).aggregate(
        count=Count("id"),
        responsiveness=Sum("responsiveness"),
        product_knowledge=Sum("product_knowledge"),
        professionalism=Sum("professionalism"),
        overall=Sum("overall"),
    )
    summary = summary_from_totals(**{name: value or 0 for name, value in totals.items()})
    return {
        "agent_id": user.id,
        "name": user.name,
        "badges": badges_for_agent(agent_id=key, now=now),
        "certified_support_partner": support_partner_business_ids(agent_id=key, now=now),
        "ratings": summary,
        "quality_tier": quality_tier(summary).value,
    }


def business_names(business_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names for the businesses a public profile lists (names are public, like the profile)."""
    return dict(Business.objects.filter(pk__in=set(business_ids)).values_list("id", "name"))
