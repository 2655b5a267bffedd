"""The facts a routing decision is made from (PRODUCT.md §6–§7): the business's agents as
candidates (eligible, skills, workload, last routing), and whom the customer's ticket should
go to first. Routing (``routing.selectors.route``) decides; every read here is a fixed number of
queries, whatever the number of agents."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Count

from refairn.certification import domain as certification_domain
from refairn.certification.models import Certification
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business, Customer
from refairn.routing import domain
from refairn.routing.selectors import Routed, last_routed_at, route, routing_rules_for
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import Assignment, Ticket, Unavailability
from refairn.support.selectors.access import support_eligibility_map
from refairn.support.selectors.intake import Policy, policy_for


@dataclass(frozen=True)
class Team:
    """The business's agents as routing sees them."""

    candidates: list[domain.Candidate]
    # Agents an unavailability notice covers now (they are not eligible).
    unavailable: frozenset[uuid.UUID]


def routing_team(*, business: Business, now: datetime) -> Team:
    """PRODUCT.md §7 candidates: the business's approved agents with their certified
    (unexpired) tracks, open workload and last routing. Eligible means they can receive tickets
    (``certification.domain.support_eligibility``: active access, no revoked or uncertified
    support track, no expired security-critical one) and no unavailability notice covers
    ``now``. Eight queries."""
    agent_ids = list(
        Agent.objects.filter(business=business, status=AgentStatus.APPROVED)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    if not agent_ids:
        return Team([], frozenset())
    eligibility = support_eligibility_map(business=business, agent_ids=agent_ids, now=now)
    away = _unavailable_ids(business.id, agent_ids, now)
    tracks: dict[uuid.UUID, set[str]] = defaultdict(set)
    for agent_id, track_id, status, expires_at in Certification.objects.filter(
        business=business,
        agent_id__in=agent_ids,
        status=certification_domain.Status.CERTIFIED,
    ).values_list("agent_id", "track_id", "status", "expires_at"):
        if certification_domain.is_currently_certified(
            certification_domain.Status(status), expires_at, now
        ):
            tracks[agent_id].add(str(track_id))
    workload = dict(
        Ticket.objects.filter(
            business=business,
            assigned_agent_id__in=agent_ids,
            status__in=[TicketStatus.OPEN, TicketStatus.PENDING],
        )
        .values_list("assigned_agent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    last_routed = last_routed_at(business_id=business.id, agent_ids=agent_ids)
    candidates = [
        domain.Candidate(
            agent_id=str(agent_id),
            certified_track_ids=frozenset(tracks[agent_id]),
            eligible=eligibility[agent_id].can_receive_tickets and agent_id not in away,
            open_workload=workload.get(agent_id, 0),
            last_routed_at=last_routed.get(agent_id),
        )
        for agent_id in agent_ids
    ]
    return Team(candidates, frozenset(away))


def _unavailable_ids(
    business_id: uuid.UUID, agent_ids: Sequence[uuid.UUID], at: datetime
) -> set[uuid.UUID]:
    """``support.intake.is_unavailable`` for many agents in one query."""
    return set(
        Unavailability.objects.filter(
            business_id=business_id, agent_id__in=agent_ids, starts_at__lte=at, ends_at__gt=at
        ).values_list("agent_id", flat=True)
    )


@dataclass(frozen=True)
class Preference:
    """Whom the ticket should go to if they are in the pool (PRODUCT.md §6, §7)."""

    agent_id: uuid.UUID | None
    # The customer's agent is unavailable and the business's reassign policy names a stand-in.
    stand_in: bool = False


def preference_for(*, customer: Customer, team: Team, policy: Policy) -> Preference:
    """PRODUCT.md §7: the customer's assigned agent is preferred. §6: while that agent is
    unavailable under the reassign policy, their tickets go to the business's stand-in (who is
    still preferred only from the rule's pool)."""
    assigned = (
        Assignment.objects.filter(customer=customer, ended_at__isnull=True)
        .values_list("agent_id", flat=True)
        .first()
    )
    stand_in = policy.reassign_to_id
    if (
        assigned is None
        or assigned not in team.unavailable
        or policy.pauses_intake
        or stand_in is None
        or stand_in == assigned
    ):
        return Preference(assigned)
    return Preference(stand_in, stand_in=True)


def route_ticket(
    *,
    business: Business,
    customer: Customer,
    tags: Sequence[str],
    priority: str,
    suggested_escalation: str | None,
    now: datetime,
) -> Routed:
    """PRODUCT.md §7: the business's first matching rule picks the pool, then the preferred
    agent, skill match, workload and last routing pick the agent. A ticket is flagged for
    escalation when the topic detector suggested an escalation category (PRODUCT.md §6)."""
    facts = domain.TicketFacts(
        tags=frozenset(tags),
        tier=customer.tier,
        priority=priority,
        escalation_flag=suggested_escalation is not None,
    )
    team = routing_team(business=business, now=now)
    preference = preference_for(customer=customer, team=team, policy=policy_for(business.id))
    routed = route(
        business_id=business.id,
        facts=facts,
        candidates=team.candidates,
        preferred_agent_id=preference.agent_id,
    )
    decision = routed.decision
    if preference.stand_in and decision.agent_id == str(preference.agent_id):
        decision = replace(
            decision,
            reason=decision.reason.replace(
                "the customer's assigned agent",
                "the stand-in for the customer's unavailable agent (reassign policy)",
            ),
        )
    return Routed(decision)


def reassign_choices(*, business: Business, now: datetime) -> list[tuple[str, str]]:
    """Issue 12 item 7: the agents a ticket may be reassigned to (routing's eligible
    candidates now), as (id, name) for the staff's form, by name."""
    team = routing_team(business=business, now=now)
    eligible = [uuid.UUID(c.agent_id) for c in team.candidates if c.eligible]
    rows = Agent.objects.filter(business=business, user_id__in=eligible).values_list(
        "user_id", "user__name", "user__email"
    )
    return sorted(((str(i), name or email) for i, name, email in rows), key=lambda r: r[1])


def routing_rules_tags(business_id: uuid.UUID) -> list[str]:
    """The tags the business's routing rules match on: the categories a customer picks from
    on the new-ticket form, so the choice reaches the agents who know the topic (§7)."""
    tags = {tag for rule in routing_rules_for(business_id) for tag in rule.match.tags_any}
    return sorted(tags)
