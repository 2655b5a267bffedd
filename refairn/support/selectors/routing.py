"""The facts a routing decision is made from (PRODUCT.md §6–§7): the business's agents as
candidates (eligible, skills, workload, last routing), and whom the customer's ticket should
go to first. Routing (``routing.selectors.route``) decides; every read here is a fixed number of
queries, whatever the number of agents."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    QuerySet,
    Sum,
    Value,
    When,
)

from refairn.certification import domain as certification_domain
from refairn.certification import selectors as certification_selectors
from refairn.certification.domain import CertSnapshot, Standing, track_standing
from refairn.certification.models import Certification
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business, Customer
from refairn.routing import domain
from refairn.routing.selectors import Routed, route, routing_rules_for
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.eligibility import eligibility_from_standings, lapsed_security_track_ids
from refairn.support.models import Assignment, RoutingStanding, SupportAccess, Unavailability
from refairn.support.selectors.access import support_track_ids_for
from refairn.support.selectors.intake import Policy, policy_for
from refairn.training.domain import Requirement
from refairn.training.models import Track


@dataclass(frozen=True)
class Team:
    """The business's agents as routing sees them."""

    candidates: list[domain.Candidate]
    # Agents an unavailability notice covers now (they are not eligible).
    unavailable: frozenset[uuid.UUID]
    # Every track of the business by id: what routing's reasons name them by.
    track_names: dict[str, str] = field(default_factory=dict)
    # Read for a customer's ticket: their assigned agent, when one of the team.
    customer_agent: uuid.UUID | None = None


def routing_team(*, business: Business, now: datetime, customer: Customer | None = None) -> Team:
    """PRODUCT.md §7 candidates: the business's approved agents with their certified
    (unexpired) tracks, open workload and last routing. Eligible means they can receive tickets
    (``certification.domain.support_eligibility``: active access, no revoked or uncertified
    support track, no expired security-critical one) and no unavailability notice covers
    ``now``. With ``customer``, which of them is the customer's assigned agent.

    Issue 17: three queries, each by the business's indexes, whatever the team. One row per
    agent (``_team_rows``) carries everything routing ranks on as small values: the stored
    standing (open workload, last routed at), the support access, whether they are away, and
    the current certifications as a bit mask over the business's tracks (an agent assigned to
    a customer is an approved agent, so ``unavailable`` covers every preferred agent). Only
    certifications that are not current (expired, revoked, never earned) in support or
    security-critical tracks are read whole, for the domain to judge; eligibility is then
    decided once per distinct combination."""
    tracks = list(
        Track.objects.filter(business=business)
        .order_by("position", "created_at", "id")
        .only("id", "name", "requirement", "status", "security_critical")
    )
    track_ids = [str(track.id) for track in tracks]
    names = dict(zip(track_ids, (track.name for track in tracks), strict=True))
    rows = _team_rows(business, now, tracks, customer)
    if not rows:
        return Team([], frozenset(), names)
    support_ids = support_track_ids_for(business, tracks)
    security_ids = {str(t.id) for t in tracks if t.security_critical}
    lapsed = _not_current(business, now, {*support_ids, *security_ids} & set(track_ids), tracks)
    certified_sets: dict[tuple[int, ...], frozenset[str]] = {}
    # Agents without a lapsed or missing certification differ only by access and tracks.
    settled: dict[tuple[str, frozenset[str]], bool] = {}
    away = []
    customer_agent = None
    candidates = []
    for row in rows:
        agent_id, access, workload, last_routed, is_away, assigned = row[:6]
        masks = row[6:]
        certified = certified_sets.get(masks)
        if certified is None:
            certified = certified_sets[masks] = _tracks_of(masks, track_ids)
        access = access or AccessStatus.NONE
        not_current = lapsed.get(agent_id)
        if not_current is None:
            receives = settled.get((access, certified))
            if receives is None:
                receives = settled[access, certified] = _receives_tickets(
                    access, certified, {}, support_ids, security_ids, now
                )
        else:
            receives = _receives_tickets(
                access, certified, not_current, support_ids, security_ids, now
            )
        if is_away:
            away.append(uuid.UUID(agent_id))
        if assigned:
            customer_agent = uuid.UUID(agent_id)
        candidates.append(
            domain.Candidate(
                agent_id=agent_id,
                certified_track_ids=certified,
                eligible=receives and not is_away,
                open_workload=workload or 0,
                last_routed_at=None if last_routed is None else _aware(last_routed),
            )
        )
    return Team(candidates, frozenset(away), names, customer_agent)


def _team_rows(
    business: Business, now: datetime, tracks: Sequence[Track], customer: Customer | None
) -> list[Any]:
    """One row per approved agent of ``business``, in one statement: (agent id, support
    access, open workload, last routed at, away, assigned to ``customer``, *certified masks),
    the id and the timestamp as text, a missing row's values as NULL.

    Each part is the business's rows read by its index and joined once (a correlated
    subquery per part and agent probed five indexes per agent). The ids stay text and the
    row a tuple of plain values: thousands of UUID and row objects per ticket kept the
    garbage collector's full passes coming (issue 17: p99 three times p50)."""
    parts: list[QuerySet[Any, Any]] = [
        Agent.objects.filter(business=business, status=AgentStatus.APPROVED).values("user_id"),
        SupportAccess.objects.filter(business=business).values("agent_id", "status"),
        RoutingStanding.objects.filter(business=business).values(
            "agent_id", "open_workload", "last_routed_at"
        ),
        Unavailability.objects.filter(business=business, starts_at__lte=now, ends_at__gt=now)
        .values("agent_id")
        .distinct(),
        Certification.objects.filter(
            certification_selectors.currently_certified(now), business=business
        )
        .values("agent_id")
        .annotate(**_certified_masks(tracks)),
    ]
    if customer is not None:
        # At most one open assignment per customer (a constraint).
        parts.append(
            Assignment.objects.filter(customer=customer, ended_at__isnull=True).values("agent_id")
        )
    compiled = [part.order_by().query.sql_with_params() for part in parts]
    masks = "".join(f", COALESCE(c.{name}, 0)" for name in _mask_names(tracks))
    assigned, assignment = "NULL", ""
    if customer is not None:
        assigned = "p.agent_id IS NOT NULL"
        assignment = f"LEFT JOIN ({compiled[5][0]}) p ON p.agent_id = a.user_id"
    sql = f"""
        SELECT CAST(a.user_id AS text), s.status, r.open_workload,
               CAST(r.last_routed_at AS text), u.agent_id IS NOT NULL, {assigned}{masks}
          FROM ({compiled[0][0]}) a
          LEFT JOIN ({compiled[1][0]}) s ON s.agent_id = a.user_id
          LEFT JOIN ({compiled[2][0]}) r ON r.agent_id = a.user_id
          LEFT JOIN ({compiled[3][0]}) u ON u.agent_id = a.user_id
          LEFT JOIN ({compiled[4][0]}) c ON c.agent_id = a.user_id
          {assignment}
    """  # noqa: S608 - the parts are the ORM's own SQL, the names this module's
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in compiled for param in params])
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        # SQLite keeps a UUID as 32 hex digits; routing names agents by the canonical form.
        rows = [(str(uuid.UUID(row[0])), *row[1:]) for row in rows]
    return rows


def _receives_tickets(
    access: str,
    certified: frozenset[str],
    not_current: dict[str, CertSnapshot],
    support_ids: Sequence[str],
    security_ids: set[str],
    now: datetime,
) -> bool:
    """``support_eligibility`` from the current tracks and the certifications that are not."""
    return eligibility_from_standings(
        support_access=access,
        support_standings=tuple(
            Standing.CERTIFIED
            if track_id in certified
            else track_standing(not_current.get(track_id), now)
            for track_id in support_ids
        ),
        security_lapsed=bool(
            lapsed_security_track_ids(
                {t: c for t, c in not_current.items() if t in security_ids}, now
            )
        ),
    ).can_receive_tickets


# Bits per mask: below 2**31 every term is an INTEGER, whose SUM PostgreSQL returns as a
# BIGINT (larger terms would sum to NUMERIC, read as Decimal). More tracks, more masks.
MASK_BITS = 31


def _mask_names(tracks: Sequence[Track]) -> list[str]:
    return [f"certified_{n}" for n in range(0, len(tracks), MASK_BITS)]


def _certified_masks(tracks: Sequence[Track]) -> dict[str, Sum]:
    """Per agent (grouped by agent), the tracks of the current certifications as bits in the
    order of ``tracks``."""
    masks = {}
    for name, start in zip(_mask_names(tracks), range(0, len(tracks), MASK_BITS), strict=True):
        bits = Case(
            *(
                When(track_id=track.id, then=Value(1 << n))
                for n, track in enumerate(tracks[start : start + MASK_BITS])
            ),
            default=Value(0),
            output_field=BigIntegerField(),
        )
        masks[name] = Sum(bits)
    return masks


def _tracks_of(masks: tuple[int, ...], track_ids: list[str]) -> frozenset[str]:
    return frozenset(
        track_ids[chunk * MASK_BITS + bit]
        for chunk, mask in enumerate(masks)
        for bit in range(MASK_BITS)
        if mask >> bit & 1
    )


def _aware(text: str) -> datetime:
    """A timestamp read as text: ISO with its offset on PostgreSQL, naive UTC on SQLite."""
    at = datetime.fromisoformat(text)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _not_current(
    business: Business, now: datetime, track_ids: set[str], tracks: Sequence[Track]
) -> dict[str, dict[str, CertSnapshot]]:
    """Each agent's certifications in ``track_ids`` that are not current, whole: whether
    they lapsed or were never earned is the domain's call (``track_standing``)."""
    by_id = {str(track.id): track for track in tracks}
    found: dict[str, dict[str, CertSnapshot]] = defaultdict(dict)
    if not track_ids:
        return found
    rows = (
        Certification.objects.filter(business=business, track_id__in=track_ids)
        .exclude(certification_selectors.currently_certified(now))
        .values_list("agent_id", "track_id", "status", "expires_at")
    )
    for agent_id, track_id, status, expires_at in rows:
        track = by_id[str(track_id)]
        found[str(agent_id)][str(track_id)] = CertSnapshot(
            status=certification_domain.Status(status),
            expires_at=expires_at,
            requirement=Requirement(track.requirement),
            security_critical=track.security_critical,
        )
    return found


@dataclass(frozen=True)
class Preference:
    """Whom the ticket should go to if they are in the pool (PRODUCT.md §6, §7)."""

    agent_id: uuid.UUID | None
    # The customer's agent is unavailable and the business's reassign policy names a stand-in.
    stand_in: bool = False


def preference_for(*, customer: Customer, team: Team, policy: Policy | None = None) -> Preference:
    """PRODUCT.md §7: the customer's assigned agent is preferred (``team`` read for
    ``customer``: an assigned agent who is not one of the team is never in a pool, so there is
    no one to prefer). §6: while that agent is unavailable under the reassign policy, their
    tickets go to the business's stand-in (who is still preferred only from the rule's pool).
    ``policy``: the business's, read only when the assigned agent is away if not given."""
    assigned = team.customer_agent
    if assigned is None or assigned not in team.unavailable:
        return Preference(assigned)
    policy = policy or policy_for(customer.business_id)
    stand_in = policy.reassign_to_id
    if policy.pauses_intake or stand_in is None or stand_in == assigned:
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
    team = routing_team(business=business, now=now, customer=customer)
    preference = preference_for(customer=customer, team=team)
    routed = route(
        business_id=business.id,
        facts=facts,
        candidates=team.candidates,
        preferred_agent_id=preference.agent_id,
        track_names=team.track_names,
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
