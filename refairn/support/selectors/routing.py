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

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from refairn.certification import domain as certification_domain
from refairn.certification.models import Certification
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business, Customer
from refairn.routing import domain
from refairn.routing.selectors import Routed, last_routed_subquery, route, routing_rules_for
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
    ``now``. Six queries, each by the business's indexes: no list of the agents' ids is sent
    back, and each agent's workload and last routing are read from their own index range."""
    open_work = (
        Ticket.objects.filter(
            business_id=OuterRef("business_id"),
            assigned_agent_id=OuterRef("user_id"),
            status__in=[TicketStatus.OPEN, TicketStatus.PENDING],
        )
        .order_by()
        .values("assigned_agent_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    agents = list(
        Agent.objects.filter(business=business, status=AgentStatus.APPROVED)
        .annotate(
            workload=Coalesce(Subquery(open_work), 0),
            last_routed=last_routed_subquery(
                business_id=OuterRef("business_id"), agent_id=OuterRef("user_id")
            ),
        )
        .order_by("user_id")
        .values_list("user_id", "workload", "last_routed")
    )
    if not agents:
        return Team([], frozenset())
    agent_ids = [agent_id for agent_id, _, _ in agents]
    # One read of the business's certifications serves eligibility and the certified tracks.
    certifications = list(
        Certification.objects.filter(business=business).values_list(
            "agent_id", "track_id", "status", "expires_at"
        )
    )
    eligibility = support_eligibility_map(
        business=business, agent_ids=agent_ids, now=now, certifications=certifications
    )
    away = _unavailable_ids(business.id, now)
    tracks: dict[uuid.UUID, set[str]] = defaultdict(set)
    for agent_id, track_id, status, expires_at in certifications:
        if (
            status == certification_domain.Status.CERTIFIED
            and certification_domain.is_currently_certified(
                certification_domain.Status(status), expires_at, now
            )
        ):
            tracks[agent_id].add(str(track_id))
    candidates = [
        domain.Candidate(
            agent_id=str(agent_id),
            certified_track_ids=frozenset(tracks[agent_id]),
            eligible=eligibility[agent_id].can_receive_tickets and agent_id not in away,
            open_workload=workload,
            last_routed_at=last_routed,
        )
        for agent_id, workload, last_routed in agents
    ]
    return Team(candidates, frozenset(away))


def _unavailable_ids(business_id: uuid.UUID, at: datetime) -> set[uuid.UUID]:
    """``support.intake.is_unavailable`` for every agent of the business in one query."""
    return set(
        Unavailability.objects.filter(
            business_id=business_id, starts_at__lte=at, ends_at__gt=at
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
