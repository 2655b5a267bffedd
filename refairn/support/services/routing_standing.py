"""Agents' routing standing (issue 17): the stored open workload and last routing that
database triggers keep (migration ``support.0012_routing_standing``), checked against a recount
from the tickets and decisions themselves and repaired from it (``refairn routing_standing``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Max

from refairn.routing.models import RoutingDecision
from refairn.support.domain.tickets import OPEN_WORKLOAD
from refairn.support.models import RoutingStanding, Ticket

# (open workload, last routed at) of one agent in one business.
Standing = tuple[int, datetime | None]
Key = tuple[uuid.UUID, uuid.UUID]
NONE: Standing = (0, None)


@dataclass(frozen=True)
class Drift:
    business_id: uuid.UUID
    agent_id: uuid.UUID
    stored: Standing
    counted: Standing


def routing_standings_counted(business_id: uuid.UUID | None = None) -> dict[Key, Standing]:
    """Each agent's standing counted from the tickets and decisions (one business, or all):
    what the stored rows must always equal. Agents with neither are left out."""
    tickets = Ticket.objects.filter(assigned_agent__isnull=False, status__in=OPEN_WORKLOAD)
    decisions = RoutingDecision.objects.filter(agent__isnull=False)
    if business_id is not None:
        tickets = tickets.filter(business_id=business_id)
        decisions = decisions.filter(business_id=business_id)
    counted: dict[Key, Standing] = {}
    for business, agent, open_workload in (
        tickets.order_by().values_list("business_id", "assigned_agent_id").annotate(n=Count("*"))
    ):
        counted[business, agent] = (open_workload, None)
    for business, agent, at in (
        decisions.order_by().values_list("business_id", "agent_id").annotate(at=Max("at"))
    ):
        counted[business, agent] = (counted.get((business, agent), NONE)[0], at)
    return counted


def routing_standings_stored(business_id: uuid.UUID | None = None) -> dict[Key, Standing]:
    """The stored standings, rows equal to no standing at all left out."""
    rows = RoutingStanding.objects.all()
    if business_id is not None:
        rows = rows.filter(business_id=business_id)
    return {
        (business, agent): (open_workload, at)
        for business, agent, open_workload, at in rows.values_list(
            "business_id", "agent_id", "open_workload", "last_routed_at"
        )
        if (open_workload, at) != NONE
    }


@transaction.atomic
def routing_standings_rebuild(
    *, business_id: uuid.UUID | None = None, repair: bool = True
) -> list[Drift]:
    """The stored standings that differ from a recount, and (``repair``) set to it. Ticket and
    decision writes wait meanwhile (PostgreSQL), so nothing moves between count and repair."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE support_ticket, routing_routingdecision, support_routingstanding"
                " IN SHARE ROW EXCLUSIVE MODE"
            )
    counted = routing_standings_counted(business_id)
    stored = routing_standings_stored(business_id)
    drifts = [
        Drift(key[0], key[1], stored.get(key, NONE), counted.get(key, NONE))
        for key in sorted(counted.keys() | stored.keys(), key=str)
        if stored.get(key, NONE) != counted.get(key, NONE)
    ]
    if repair:
        for drift in drifts:
            workload, at = drift.counted
            RoutingStanding.objects.update_or_create(
                business_id=drift.business_id,
                agent_id=drift.agent_id,
                defaults={"open_workload": workload, "last_routed_at": at},
            )
    return drifts
