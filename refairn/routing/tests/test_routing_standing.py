"""Issue 17: each agent's stored routing standing (open workload, last routed at) never drifts
from a recount of the tickets and decisions, whatever sequence of ticket writes moved it (the
services, bulk updates, deletes), on SQLite and PostgreSQL alike; the command repairs it; and
routing's compact reads agree with the domain's own rules."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max

from refairn.accounts.models import User
from refairn.certification.domain import Status, is_currently_certified
from refairn.certification.models import Certification
from refairn.certification.selectors import currently_certified
from refairn.core import clock
from refairn.core.errors import DomainError
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import actor_for
from refairn.routing.domain import Candidate
from refairn.routing.models import RoutingDecision
from refairn.routing.tests.conftest import Program
from refairn.support.domain.tickets import OPEN_WORKLOAD
from refairn.support.models import RoutingStanding, SupportAccess, Ticket, Unavailability
from refairn.support.selectors import routing as routing_selectors
from refairn.support.selectors import routing_team, support_eligibility_map
from refairn.support.services import (
    ticket_create,
    ticket_escalate,
    ticket_reopen,
    ticket_resolve,
    tickets_requeue_for_agent,
)
from refairn.support.services.routing_standing import (
    routing_standings_counted,
    routing_standings_rebuild,
    routing_standings_stored,
)
from refairn.support.services.ticket_workflow import ticket_pend, ticket_reassign, ticket_resume
from refairn.support.services.tickets import tickets_reroute_for_agent
from refairn.training.models import Track
from tests.support import make_user

pytestmark = pytest.mark.django_db

TAGS = [[], ["api"], ["billing"], ["security"], ["churn"], ["webhook"]]
OPERATIONS = (
    "create",
    "create",
    "create",
    "reassign",
    "pend",
    "resume",
    "resolve",
    "reopen",
    "escalate",
    "requeue",
    "reroute",
    "bulk_close",
    "delete",
    "decision_delete",
)


class Desk:
    """A business with a few agents and customers, driven by random ticket operations."""

    def __init__(self, program: Program, owner: User, rng: random.Random) -> None:
        self.program, self.rng = program, rng
        self.owner = actor_for(owner, program.business.id)
        self.agents = [program.agent("fund", "adv", "bill", name=f"Agent {n}") for n in range(3)]
        self.agents.append(program.agent("fund", "sec", name="Security"))
        self.customers = []
        for n in range(3):
            customer = program.customer()
            customer.user = make_user(f"customer{n}@standing.test")
            customer.save(update_fields=["user"])
            self.customers.append(customer)

    def ticket(self) -> Ticket | None:
        tickets = list(Ticket.objects.filter(business=self.program.business).order_by("id"))
        return self.rng.choice(tickets) if tickets else None

    def run(self, operation: str) -> None:
        rng, ticket = self.rng, self.ticket()
        if operation == "create" or ticket is None:
            ticket_create(
                actor=self.owner,
                customer_id=rng.choice(self.customers).id,
                subject="Help",
                body="Something is wrong.",
                tags=rng.choice(TAGS),
                priority=rng.choice(["P1", "P2", "P3"]),
            )
        elif operation == "reassign":
            ticket_reassign(actor=self.owner, ticket=ticket, agent_id=rng.choice(self.agents).id)
        elif operation == "pend":
            ticket_pend(actor=self.owner, ticket=ticket)
        elif operation == "resume":
            ticket_resume(actor=self.owner, ticket=ticket)
        elif operation == "resolve":
            ticket_resolve(actor=self.owner, ticket=ticket)
        elif operation == "reopen":
            customer = ticket.customer
            ticket_reopen(actor=actor_for(customer.user, customer.business_id), ticket=ticket)
        elif operation == "escalate":
            ticket_escalate(
                actor=self.owner,
                ticket=ticket,
                category=rng.choice(["billing_dispute", "platform_defect"]),
                note="",
            )
        elif operation == "requeue":
            tickets_requeue_for_agent(
                business_id=self.program.business.id,
                agent_id=rng.choice(self.agents).id,
                by=None,
                note="requeued",
            )
        elif operation == "reroute":
            tickets_reroute_for_agent(
                business=self.program.business, agent_id=rng.choice(self.agents).id, why="test"
            )
        elif operation == "bulk_close":
            # Writes past the services move the standing too.
            Ticket.objects.filter(pk=ticket.pk).update(status="closed", resolved_at=clock.now())
        elif operation == "delete":
            Ticket.objects.filter(pk=ticket.pk).delete()
        elif operation == "decision_delete":
            RoutingDecision.objects.filter(ticket_id=ticket.pk).order_by("-at")[:1].get().delete()


@pytest.mark.parametrize("seed", range(6))
def test_the_stored_standing_equals_a_recount_after_any_sequence_of_ticket_writes(
    program: Program, standard_rules: Any, alice: User, seed: int
) -> None:
    rng = random.Random(seed)
    desk = Desk(program, alice, rng)
    at = clock.now()
    for step in range(30):
        operation = rng.choice(OPERATIONS)
        # Now and then two writes share an instant: ties must not break the latest routing.
        at += timedelta(seconds=rng.choice([0, 1, 60]))
        try:
            with clock.frozen(at), transaction.atomic():
                desk.run(operation)
        except (DomainError, RoutingDecision.DoesNotExist):
            pass  # refused by the rules (e.g. resolving a closed ticket): nothing moved
        stored = routing_standings_stored(program.business.id)
        assert stored == routing_standings_counted(program.business.id), (step, operation)
    assert routing_standings_stored(), "the sequence moved some standing"


def test_the_command_reports_and_repairs_drift(
    program: Program, standard_rules: Any, alice: User
) -> None:
    desk = Desk(program, alice, random.Random(1))
    for _ in range(4):
        desk.run("create")
    counted = routing_standings_counted()
    (_, first), (_, second), *_ = sorted(counted, key=str)
    # Standings changed behind the triggers' back (a restore of one table, a manual edit).
    RoutingStanding.objects.filter(agent_id=first).update(open_workload=7, last_routed_at=None)
    RoutingStanding.objects.filter(agent_id=second).delete()
    with pytest.raises(CommandError, match="differ from the recount"):
        call_command("routing_standing", "--check")
    call_command("routing_standing")
    assert routing_standings_stored() == counted
    assert routing_standings_rebuild(repair=False) == []


def test_current_certification_as_sql_is_the_domain_rule(program: Program) -> None:
    now = clock.now()
    agent = program.agent()
    expected = {}
    # One certification per (status, expiry around now), each in a track of its own.
    cases = [
        (status, expires_at)
        for status in Status
        for expires_at in (None, now - timedelta(microseconds=1), now, now + timedelta(seconds=1))
    ]
    for n, (status, expires_at) in enumerate(cases):
        track = Track.objects.create(
            business=program.business,
            name=f"Case {n}",
            requirement="optional",
            passing_score=Decimal(80),
            recertification_months=12,
            badge_name=f"Case {n}",
            question_count=10,
            time_limit_minutes=30,
        )
        certification = Certification.objects.create(
            business=program.business,
            track=track,
            agent=agent,
            status=status,
            expires_at=expires_at,
        )
        expected[certification.pk] = is_currently_certified(Status(status), expires_at, now)
    current = set(
        Certification.objects.filter(currently_certified(now), agent=agent).values_list(
            "pk", flat=True
        )
    )
    assert current == {pk for pk, yes in expected.items() if yes}
    assert 0 < len(current) < len(expected)


@pytest.mark.parametrize("mask_bits", [routing_selectors.MASK_BITS, 2])
def test_routing_eligibility_is_support_eligibility(
    program: Program, standard_rules: Any, monkeypatch: pytest.MonkeyPatch, mask_bits: int
) -> None:
    """The team's compact read (current tracks as bits, only lapsed certifications whole)
    decides as ``support_eligibility_map`` does, agent by agent; with two tracks a mask, the
    business's six tracks take three masks (a business of more tracks than one mask holds)."""
    monkeypatch.setattr(routing_selectors, "MASK_BITS", mask_bits)
    now = clock.now()
    fine = program.agent("fund", "sec", name="Fine")
    expired = program.agent("fund", "adv", name="Expired support track")
    Certification.objects.filter(agent=expired, track_id=program.track_ids["fund"]).update(
        expires_at=now - timedelta(days=1)
    )
    revoked = program.agent("fund", name="Revoked support track")
    Certification.objects.filter(agent=revoked).update(status="revoked")
    lapsed = program.agent("fund", "sec", name="Security lapsed")
    Certification.objects.filter(agent=lapsed, track_id=program.track_ids["sec"]).update(
        expires_at=now - timedelta(days=1)
    )
    never = program.agent("adv", name="Never certified in the support track")
    suspended = program.agent("fund", name="Suspended", eligible=False)
    no_access = program.agent("fund", name="No access row")
    SupportAccess.objects.filter(agent=no_access).delete()
    team = routing_team(business=program.business, now=now)
    by_id = {candidate.agent_id: candidate for candidate in team.candidates}
    agents = [fine, expired, revoked, lapsed, never, suspended, no_access]
    eligibility = support_eligibility_map(
        business=program.business, agent_ids=[a.id for a in agents], now=now
    )
    assert {str(a.id): eligibility[a.id].can_receive_tickets for a in agents} == {
        str(a.id): by_id[str(a.id)].eligible for a in agents
    }
    assert by_id[str(fine.id)].eligible and not by_id[str(lapsed.id)].eligible
    assert by_id[str(fine.id)].certified_track_ids == {
        program.track_ids["fund"],
        program.track_ids["sec"],
    }
    assert by_id[str(expired.id)].certified_track_ids == {program.track_ids["adv"]}
    everything = program.agent(*program.track_ids, name="Every track")
    team = routing_team(business=program.business, now=now)
    (candidate,) = [c for c in team.candidates if c.agent_id == str(everything.id)]
    assert candidate.certified_track_ids == set(program.track_ids.values())


def _team_the_long_way(business: Business, now: datetime) -> set[Candidate]:
    """Each approved agent read on its own, by the domain's rules: what ``routing_team``'s
    one-statement read must equal."""
    agent_ids = list(
        Agent.objects.filter(business=business, status="approved").values_list("user_id", flat=True)
    )
    eligibility = support_eligibility_map(business=business, agent_ids=agent_ids, now=now)
    team = set()
    for agent_id in agent_ids:
        certifications = Certification.objects.filter(business=business, agent_id=agent_id)
        tickets = Ticket.objects.filter(
            business=business, assigned_agent_id=agent_id, status__in=OPEN_WORKLOAD
        )
        away = Unavailability.objects.filter(
            business=business, agent_id=agent_id, starts_at__lte=now, ends_at__gt=now
        ).exists()
        team.add(
            Candidate(
                agent_id=str(agent_id),
                certified_track_ids=frozenset(
                    str(c.track_id)
                    for c in certifications
                    if is_currently_certified(Status(c.status), c.expires_at, now)
                ),
                eligible=eligibility[agent_id].can_receive_tickets and not away,
                open_workload=tickets.count(),
                last_routed_at=RoutingDecision.objects.filter(
                    business=business, agent_id=agent_id
                ).aggregate(at=Max("at"))["at"],
            )
        )
    return team


@pytest.mark.parametrize("seed", range(3))
def test_the_team_read_in_one_statement_equals_each_agent_read_on_its_own(
    program: Program, business_b: Business, seed: int
) -> None:
    """Issue 17: random teams (certifications current, expired, revoked or never earned in
    each track, access active, suspended or missing, away now, before or later, open tickets
    and past routings, agents not approved, another business's agent) read the same as each
    agent read on its own by the domain's rules; read for a customer, their assigned agent is
    the team's when one of it."""
    rng = random.Random(seed)
    now = clock.now()
    shorts = list(program.track_ids)
    agents = []
    for n in range(24):
        agent = program.agent(name=f"Random {n}", eligible=rng.random() < 0.8)
        agents.append(agent)
        for short in shorts:
            kind = rng.choice(["current", "current", "expired", "revoked", "forever", None])
            if kind is None:
                continue
            Certification.objects.create(
                business=program.business,
                track_id=program.track_ids[short],
                agent=agent,
                status="revoked" if kind == "revoked" else "certified",
                certified_at=now - timedelta(days=400),
                expires_at={
                    "current": now + timedelta(days=rng.randint(1, 90)),
                    "expired": now - timedelta(days=rng.randint(0, 90)),
                    "forever": None,
                }.get(kind, now + timedelta(days=30)),
            )
        if rng.random() < 0.15:
            SupportAccess.objects.filter(agent=agent).delete()
        when = rng.choice([None, "now", "before", "later"])
        if when is not None:
            starts = now + {"now": -1, "before": -48, "later": 24}[when] * timedelta(hours=1)
            Unavailability.objects.create(
                business=program.business,
                agent=agent,
                starts_at=starts,
                ends_at=starts + timedelta(hours=rng.choice([2, 12])),
            )
        if rng.random() < 0.6:
            program.busy(
                agent,
                tickets=rng.randint(1, 3),
                routed_ago=timedelta(minutes=rng.randint(1, 10_000)),
            )
        if rng.random() < 0.1:
            Agent.objects.filter(business=program.business, user=agent).update(status="applied")
    stranger = make_user("stranger@b.test", "Stranger")
    Agent.objects.create(business=business_b, user=stranger, status="approved")
    expected = _team_the_long_way(program.business, now)
    team = routing_team(business=program.business, now=now)
    assert len(team.candidates) == len(expected)
    assert set(team.candidates) == expected
    assert team.customer_agent is None
    for agent in rng.sample(agents, 4):
        customer = program.customer(agent=agent)
        team = routing_team(business=program.business, now=now, customer=customer)
        assert set(team.candidates) == expected
        in_team = str(agent.id) in {c.agent_id for c in expected}
        assert team.customer_agent == (agent.id if in_team else None)
    assert (
        routing_team(business=program.business, now=now, customer=program.customer()).customer_agent
        is None
    )
    assert team.unavailable == {
        uuid.UUID(c.agent_id)
        for c in expected
        if Unavailability.objects.filter(
            agent_id=c.agent_id, starts_at__lte=now, ends_at__gt=now
        ).exists()
    }
    assert {c.eligible for c in expected} == {True, False}
