"""Routing reads: a business's rules, and everything a routing decision is made from
(PRODUCT.md §7). Every read here is a fixed number of queries, whatever the number of agents."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Count, Max

from refairn.certification import domain as certification_domain
from refairn.certification.models import Certification
from refairn.core.tenancy import Actor
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business, Customer
from refairn.routing import domain
from refairn.routing.models import RoutingDecision, RoutingRuleSet
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import Assignment, Ticket, Unavailability
from refairn.support.selectors import support_eligibility_map
from refairn.support.selectors.intake import Policy, policy_for
from refairn.training.models import Track


def track_ids_of(business_id: uuid.UUID) -> set[str]:
    return {
        str(t) for t in Track.objects.filter(business_id=business_id).values_list("id", flat=True)
    }


def routing_rules_get_for(actor: Actor) -> list[dict[str, Any]]:
    """API.md "Routing": the business's rules for its staff, in their normalized form."""
    actor.require_staff()
    stored = RoutingRuleSet.objects.for_actor(actor).values_list("rules", flat=True).first()
    return list(stored or [])


def routing_rules_for(business_id: uuid.UUID) -> list[domain.Rule]:
    """The business's rules, ready to match (none without a rule set)."""
    stored = RoutingRuleSet.objects.filter(business_id=business_id).values_list("rules", flat=True)
    raw = stored.first()
    if not raw:
        return []
    # Validated when saved, and tracks are never deleted, so this parses.
    return domain.parse_rules(raw, known_track_ids=track_ids_of(business_id))


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
            business=business, assigned_agent_id__in=agent_ids, status=TicketStatus.OPEN
        )
        .values_list("assigned_agent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    last_routed = dict(
        RoutingDecision.objects.filter(business=business, agent_id__in=agent_ids)
        .values_list("agent_id")
        .annotate(at=Max("at"))
        .order_by()
    )
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


@dataclass(frozen=True)
class Routed:
    """A routing decision for a ticket about to be opened or reopened: what support stores on
    the ticket (``agent_id``, ``as_json()``) and what ``services.routing_decision_record``
    records."""

    decision: domain.RoutingDecision

    @property
    def agent_id(self) -> uuid.UUID | None:
        return None if self.decision.agent_id is None else uuid.UUID(self.decision.agent_id)

    @property
    def fallback(self) -> str | None:
        return self.decision.fallback_used

    @property
    def by_certification(self) -> bool:
        d = self.decision
        return d.rule_name is not None and d.fallback_used is None and d.agent_id is not None

    def as_json(self) -> dict[str, object]:
        """API.md: the ticket's ``routing``, with the reason in words."""
        return {**self.decision.as_json(), "reason": self.decision.reason}


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
    rules = routing_rules_for(business.id)
    facts = domain.TicketFacts(
        tags=frozenset(tags),
        tier=customer.tier,
        priority=priority,
        escalation_flag=suggested_escalation is not None,
    )
    team = routing_team(business=business, now=now)
    preference = preference_for(customer=customer, team=team, policy=policy_for(business.id))
    decision = domain.route(
        rules,
        facts,
        team.candidates,
        preferred_agent_id=None if preference.agent_id is None else str(preference.agent_id),
    )
    if preference.stand_in and decision.agent_id == str(preference.agent_id):
        decision = replace(
            decision,
            reason=decision.reason.replace(
                "the customer's assigned agent",
                "the stand-in for the customer's unavailable agent (reassign policy)",
            ),
        )
    return Routed(decision)
