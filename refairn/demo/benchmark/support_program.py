"""The support measures (issue 17): ticket creation with routing over 2,000 eligible agents, the
SLA sweep with 1% of open tickets due (and its growth), the staff's ticket list and an agent's
workspace per request, each against a floor measured in the same run and database.

Seeded program: one business with the ``support-standard`` routing rules over five required
tracks; every agent approved, with active support access and certified in every track (so the
catch-all rule's pool is every agent); closed tickets of the past year, each with its routing
decision; open tickets, first response met, whose resolution deadlines fall in hourly buckets
of 1% each, so each timed sweep (an hour later than the previous one) finds exactly 1% due.
One agent has the issue's workspace: 50 assigned customers and 300 tickets.
"""

from __future__ import annotations

import json
import logging
import random
import statistics
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.test import Client

from refairn.accounts.models import User
from refairn.accounts.services import token_issue
from refairn.certification.domain import Status as CertStatus
from refairn.certification.models import Certification
from refairn.core import clock
from refairn.core.pagination import MAX_PAGE
from refairn.demo.benchmark.database import rows_copy
from refairn.demo.benchmark.figures import Measure, Timed, timed
from refairn.programs.domain import AgentStatus, Tier
from refairn.programs.models import Agent, Business, Customer, StaffMembership
from refairn.programs.selectors import actor_for
from refairn.routing.domain import ROUTED_TRACK_NAMES, support_standard_rules
from refairn.routing.models import RoutingDecision, RoutingRuleSet
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import Assignment, OverdueFlag, SupportAccess, Ticket
from refairn.support.services import overdue_flags_raise, ticket_create
from refairn.training.models import Track

AGENTS = 2_000
OPEN_TICKETS = 1_000_000
CLOSED_TICKETS = 200_000
TICKETS_PER_CUSTOMER = 20
# The sweep's growth: measured once with this share of the open tickets, then with all.
FIRST_STAGE = 0.1
# Open tickets' resolution deadlines: 100 hourly buckets from FIRST_BUCKET hours after "now";
# the second stage's tickets start SWEEP_RUNS buckets later, past what the first stage swept.
BUCKETS, FIRST_BUCKET = 100, 10
WORKSPACE_CUSTOMERS, WORKSPACE_OPEN, WORKSPACE_CLOSED = 50, 100, 200
TICKETS_CREATED = 200
LIST_PAGE = 100
REQUESTS = 20
CHUNK = 20_000
HOUR = timedelta(hours=1)
ROUTING = {"rule": "Standard Tickets", "pool_size": AGENTS, "fallback": None}
TICKET_FIELDS = (
    "id",
    "business",
    "customer",
    "subject",
    "body",
    "tags",
    "priority",
    "status",
    "assigned_agent",
    "routing",
    "suggested_escalation",
    "created_at",
    "first_response_due_at",
    "resolution_due_at",
    "first_responded_at",
    "resolved_at",
    "escalation_category",
    "escalation_note",
)

DECISION_FIELDS = (
    "id",
    "ticket_id",
    "business",
    "subject",
    "agent",
    "at",
    "rule_name",
    "pool_size",
    "by_certification",
    "reason",
    "notify_managers",
    "flag_for_review",
    "route_to_manager",
    "escalate_to_security",
)
NO_NOTICES = (False, False, False, False)

Progress = Callable[[str, int, int], None]


@dataclass
class SupportProgram:
    business: Business
    owner: User
    agents: list[uuid.UUID]
    customers: list[uuid.UUID]
    workspace_agent: User
    fundamentals: uuid.UUID
    now: datetime
    scale: float
    open_tickets: int = 0
    sweeps: int = 0


def sizes(scale: float) -> dict[str, int]:
    """The issue's sizes times ``scale``; 2,000 agents from a twentieth of it up."""
    return {
        "agents": max(50, min(AGENTS, round(AGENTS * scale * 20))),
        "open_tickets": max(2_000, round(OPEN_TICKETS * scale)),
        "closed_tickets": max(400, round(CLOSED_TICKETS * scale)),
    }


def seed(scale: float, now: datetime, progress: Progress) -> SupportProgram:
    """The business, its agents and workspace, its closed tickets and the sweep's first stage
    of open tickets (``grow`` adds the rest)."""
    rng = random.Random(17)  # noqa: S311 - seeded data, not secrets
    size = sizes(scale)
    began = now - timedelta(days=800)
    business = Business.objects.create(name="Bench support", slug="bench-support", created_at=began)
    owner = User.objects.create(email="owner@bench.test", name="Owner")
    StaffMembership.objects.create(business=business, user=owner, role="owner")
    tracks = [
        Track.objects.create(
            business=business,
            name=name,
            requirement="required",
            passing_score=Decimal(80),
            recertification_months=24,
            badge_name=name,
            question_count=10,
            time_limit_minutes=60,
            position=n,
        )
        for n, name in enumerate(ROUTED_TRACK_NAMES)
    ]
    RoutingRuleSet.objects.create(
        business=business, rules=support_standard_rules({t.name: str(t.id) for t in tracks})
    )
    agent_ids = [uuid.uuid4() for _ in range(size["agents"])]
    _agents_insert(business.id, [t.id for t in tracks], agent_ids, began, now)
    progress("agents", len(agent_ids), len(agent_ids))
    customers_count = max(WORKSPACE_CUSTOMERS * 2, size["open_tickets"] // TICKETS_PER_CUSTOMER)
    customer_ids = [uuid.uuid4() for _ in range(customers_count)]
    for start in range(0, customers_count, CHUNK):
        chunk = customer_ids[start : start + CHUNK]
        rows_copy(
            Customer,
            (
                "id",
                "business",
                "name",
                "email",
                "tier",
                "monthly_value",
                "subscribed_at",
                "created_at",
            ),
            (
                (
                    pk,
                    business.id,
                    f"Customer {start + n}",
                    "",
                    Tier.STANDARD,
                    Decimal("99.00"),
                    began,
                    began,
                )
                for n, pk in enumerate(chunk)
            ),
        )
        progress("customers", start + len(chunk), customers_count)
    workspace_agent = User.objects.get(pk=agent_ids[0])
    mine = customer_ids[:WORKSPACE_CUSTOMERS]
    rows_copy(
        Assignment,
        ("id", "business", "customer", "agent", "started_at", "end_reason"),
        ((uuid.uuid4(), business.id, pk, workspace_agent.pk, began, "") for pk in mine),
    )
    program = SupportProgram(
        business=business,
        owner=owner,
        agents=agent_ids,
        # Routing's customers: none assigned, so no preferred agent bends the pick.
        customers=customer_ids[WORKSPACE_CUSTOMERS:],
        workspace_agent=workspace_agent,
        fundamentals=tracks[0].id,
        now=now,
        scale=scale,
    )
    _workspace_tickets(program, rng, mine)
    _closed_tickets(program, rng, size["closed_tickets"], progress)
    _open_tickets(program, rng, round(size["open_tickets"] * FIRST_STAGE), 0, progress)
    _analyze()
    return program


def _agents_insert(
    business_id: uuid.UUID,
    track_ids: list[uuid.UUID],
    agent_ids: list[uuid.UUID],
    began: datetime,
    now: datetime,
) -> None:
    """Approved agents with active support access, certified in every track until long after
    ``now``."""
    first = Agent.objects.filter(business_id=business_id).count()
    rows_copy(
        User,
        ("id", "email", "name", "password", "is_active", "is_staff", "is_superuser", "date_joined"),
        (
            (
                pk,
                f"support{first + n}@bench.test",
                f"Agent {first + n}",
                "!",
                True,
                False,
                False,
                began,
            )
            for n, pk in enumerate(agent_ids)
        ),
    )
    rows_copy(
        Agent,
        ("business", "user", "status", "applied_at", "decided_at", "decision_reason"),
        ((business_id, pk, AgentStatus.APPROVED, began, began, "") for pk in agent_ids),
    )
    rows_copy(
        SupportAccess,
        ("business", "agent", "status", "changed_at"),
        ((business_id, pk, AccessStatus.ACTIVE, began) for pk in agent_ids),
    )
    rows_copy(
        Certification,
        (
            "business",
            "track",
            "agent",
            "status",
            "certified_at",
            "expires_at",
            "cycle",
            "attempts_used",
            "granted_attempts",
            "updated_at",
        ),
        (
            (
                business_id,
                t,
                pk,
                CertStatus.CERTIFIED,
                began,
                now + 400 * 24 * HOUR,
                1,
                1,
                0,
                began,
            )
            for pk in agent_ids
            for t in track_ids
        ),
    )


def agents_add(program: SupportProgram, count: int) -> None:
    """``count`` more agents like the seeded ones (the tests compare team sizes)."""
    agent_ids = [uuid.uuid4() for _ in range(count)]
    track_ids = list(
        Track.objects.filter(business=program.business)
        .order_by("position")
        .values_list("id", flat=True)
    )
    _agents_insert(
        program.business.id, track_ids, agent_ids, program.now - timedelta(days=800), program.now
    )
    program.agents.extend(agent_ids)


def grow(program: SupportProgram, progress: Progress) -> None:
    """The sweep's second stage: the rest of the open tickets, their deadlines after every
    bucket swept so far."""
    rng = random.Random(18)  # noqa: S311 - seeded data, not secrets
    total = sizes(program.scale)["open_tickets"]
    _open_tickets(program, rng, total - program.open_tickets, program.sweeps, progress)
    _analyze()


def _ticket_row(
    program: SupportProgram,
    customer: uuid.UUID,
    agent: uuid.UUID | None,
    *,
    created: datetime,
    resolution_due: datetime,
    resolved: datetime | None,
) -> tuple[Any, ...]:
    status = TicketStatus.OPEN if resolved is None else TicketStatus.CLOSED
    return (
        uuid.uuid4(),
        program.business.id,
        customer,
        "Cannot sign in",
        "Since this morning the sign-in page says my password is wrong.",
        [],
        "P3",
        status,
        agent,
        ROUTING,
        "",
        created,
        created + HOUR,
        resolution_due,
        created + timedelta(minutes=5),
        resolved,
        "",
        "",
    )


def _workspace_tickets(program: SupportProgram, rng: random.Random, mine: list[uuid.UUID]) -> None:
    now, agent = program.now, program.workspace_agent.pk
    rows = []
    for n in range(WORKSPACE_OPEN + WORKSPACE_CLOSED):
        created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
        closed = n >= WORKSPACE_OPEN
        # A few open ones are past their deadline: the workspace's overdue list.
        due = created + 24 * HOUR if closed or n % 10 == 0 else now + BUCKETS * 10 * HOUR
        rows.append(
            _ticket_row(
                program,
                rng.choice(mine),
                agent,
                created=created,
                resolution_due=due,
                resolved=created + 2 * HOUR if closed else None,
            )
        )
    rows_copy(Ticket, TICKET_FIELDS, rows)


def _closed_tickets(
    program: SupportProgram, rng: random.Random, count: int, progress: Progress
) -> None:
    now = program.now
    for start in range(0, count, CHUNK):
        tickets, decisions = [], []
        for _ in range(min(CHUNK, count - start)):
            created = now - timedelta(minutes=rng.randint(60 * 24, 60 * 24 * 365))
            agent = rng.choice(program.agents)
            row = _ticket_row(
                program,
                rng.choice(program.customers),
                agent,
                created=created,
                resolution_due=created + 24 * HOUR,
                resolved=created + timedelta(hours=rng.randint(1, 20)),
            )
            tickets.append(row)
            decisions.append((uuid.uuid4(), row[0], program.business.id, row[3], agent, created))
        rows_copy(Ticket, TICKET_FIELDS, tickets)
        rows_copy(
            RoutingDecision,
            DECISION_FIELDS,
            (
                (
                    *d,
                    "Standard Tickets",
                    len(program.agents),
                    True,
                    "least recently routed",
                    *NO_NOTICES,
                )
                for d in decisions
            ),
        )
        progress("closed tickets", start + len(tickets), count)


def _open_tickets(
    program: SupportProgram, rng: random.Random, count: int, first_bucket: int, progress: Progress
) -> None:
    now = program.now
    for start in range(0, count, CHUNK):
        rows = []
        for n in range(start, min(start + CHUNK, count)):
            bucket = FIRST_BUCKET + first_bucket + n % BUCKETS
            due = now + bucket * HOUR + timedelta(seconds=rng.randint(0, 3599))
            rows.append(
                _ticket_row(
                    program,
                    rng.choice(program.customers),
                    rng.choice(program.agents),
                    created=now - timedelta(minutes=rng.randint(10, 60 * 24 * 5)),
                    resolution_due=due,
                    resolved=None,
                )
            )
        rows_copy(Ticket, TICKET_FIELDS, rows)
        progress(f"open tickets ({program.open_tickets + count:,})", start + len(rows), count)
    program.open_tickets += count


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- ticket creation with routing ---------------------------------------------------------

# The same choice as routing's catch-all rule over this program: certified (unexpired) in the
# rule's track, active support access, no unavailability, then lowest open workload, never
# routed first, least recently routed, lowest id.
_PICK_SQL = """
    SELECT user_id FROM (
        SELECT a.user_id,
               (SELECT COUNT(*) FROM support_ticket t
                 WHERE t.business_id = a.business_id AND t.assigned_agent_id = a.user_id
                   AND t.status = 'open') AS workload,
               (SELECT MAX(d.at) FROM routing_routingdecision d
                 WHERE d.business_id = a.business_id AND d.agent_id = a.user_id) AS last_routed
          FROM programs_agent a
          JOIN support_supportaccess s
            ON s.business_id = a.business_id AND s.agent_id = a.user_id
          JOIN certification_certification c
            ON c.business_id = a.business_id AND c.agent_id = a.user_id
           AND c.track_id = %(track)s
         WHERE a.business_id = %(business)s AND a.status = 'approved' AND s.status = 'active'
           AND c.status = 'certified' AND c.expires_at > %(now)s) pool
     ORDER BY workload, last_routed IS NOT NULL, last_routed, user_id
     LIMIT 1
"""


def _sql_pick(program: SupportProgram, now: datetime) -> Any:
    prep = Customer._meta.get_field("business").get_db_prep_value
    params = {
        "business": prep(program.business.id, connection),
        "track": prep(program.fundamentals, connection),
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(_PICK_SQL, params)
        row = cursor.fetchone()
    return row[0]


def measure_routing(program: SupportProgram, runs: int) -> list[Measure]:
    """Each run opens ``TICKETS_CREATED`` tickets (scaled down on small programs) through the
    service as the owner, each timed, and before each the SQL pick, timed; p50 and p99 of a
    run are one run of each measure."""
    p50 = Measure("ticket create, routing p50", "one indexed SQL pick of the agent, p50")
    p99 = Measure("ticket create, routing p99", "one indexed SQL pick of the agent, p99")
    actor = actor_for(program.owner, program.business.id)
    count = max(20, min(TICKETS_CREATED, round(TICKETS_CREATED * program.scale * 10)))
    rng = random.Random(19)  # noqa: S311 - seeded data, not secrets
    agreed = total = 0
    at = program.now
    for _ in range(runs):
        created, picks, queries = [], [], []
        for _ in range(count):
            at += timedelta(seconds=7)
            with clock.frozen(at):
                with timed() as floor:
                    expected = _sql_pick(program, at)
                with timed() as run:
                    ticket = ticket_create(
                        actor=actor,
                        customer_id=rng.choice(program.customers),
                        subject="Invoice question",
                        body="Where do I find last month's invoice?",
                        tags=[],
                        priority="P3",
                    )
            created.append(run.seconds)
            picks.append(floor.seconds)
            queries.append(run.queries)
            total += 1
            agreed += str(expected).replace("-", "") == str(ticket.assigned_agent_id).replace(
                "-", ""
            )
        query_count = round(statistics.median(queries))
        p50.add(Timed(_percentile(created, 0.5), query_count), Timed(_percentile(picks, 0.5)))
        p99.add(Timed(_percentile(created, 0.99), query_count), Timed(_percentile(picks, 0.99)))
    pool = f"pool of {len(program.agents):,} eligible agents"
    for measure in (p50, p99):
        measure.rows = count
        measure.note = f"{pool}; SQL pick agreed {agreed}/{total}"
    return [p50, p99]


# --- the SLA sweep ------------------------------------------------------------------------

FLOOR_TABLE = "bench_flag_floor"
_TIMESTAMP = {"postgresql": "timestamp with time zone", "sqlite": "datetime"}


def _floor_table_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(
            f"""CREATE TABLE {FLOOR_TABLE} (
                ticket_id varchar(36) NOT NULL, agent_id varchar(36), kind varchar(16) NOT NULL,
                at {_TIMESTAMP[connection.vendor]} NOT NULL, UNIQUE (ticket_id, kind))"""
        )


def _floor_flags(since: datetime, now: datetime) -> int:
    """One INSERT…SELECT of the resolution flags the sweep raises: open tickets whose deadline
    passed since the previous sweep, unmet and not escalated."""
    sql = f"""
        INSERT INTO {FLOOR_TABLE} (ticket_id, agent_id, kind, at)
        SELECT CAST(id AS text), CAST(assigned_agent_id AS text), 'resolution', resolution_due_at
          FROM support_ticket
         WHERE resolution_due_at >= %(since)s AND resolution_due_at < %(now)s
           AND resolved_at IS NULL AND escalated_at IS NULL
        ON CONFLICT DO NOTHING
    """  # noqa: S608 - the table name is this module's
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"since": since, "now": now})
        return cursor.rowcount


def measure_sweep(program: SupportProgram, runs: int) -> Measure:
    """``runs`` sweeps an hour apart, each finding the next bucket (1%) of open tickets due."""
    measure = Measure(
        f"SLA sweep, {program.open_tickets:,} open, 1% due",
        "one INSERT…SELECT of the same flags",
    )
    _floor_table_create()
    if program.sweeps == 0:
        # The workspace's overdue tickets were due before the program's "now": flagged first,
        # untimed, so every timed sweep finds only its own bucket.
        with clock.frozen(program.now):
            overdue_flags_raise()
    mismatches = []
    for _ in range(runs):
        since = program.now + (FIRST_BUCKET + program.sweeps) * HOUR
        at = since + HOUR
        program.sweeps += 1
        with timed() as floor:
            expected = _floor_flags(since, at)
        before = OverdueFlag.objects.count()
        with clock.frozen(at), timed() as run:
            raised = overdue_flags_raise()
        measure.add(run, floor)
        measure.rows = raised
        if raised != expected or OverdueFlag.objects.count() - before != expected:
            mismatches.append(f"sweep raised {raised}, floor {expected}")
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FLOOR_TABLE}")  # noqa: S608
    measure.note = "; ".join(mismatches) or "same flag count"
    return measure


# --- read paths per request ---------------------------------------------------------------


def _missed(due: str, done: str) -> str:
    """A deadline passed unmet, not paused before it, not escalated by it."""
    return f"""(t.{due} < %(now)s AND (t.paused_at IS NULL OR t.{due} < t.paused_at)
        AND (t.{done} IS NULL OR t.{done} > t.{due})
        AND (t.escalated_at IS NULL OR t.escalated_at > t.{due}))"""


# A ticket's ``overdue`` as the endpoints compute it (``support.selectors.tickets._overdue``).
_OVERDUE = f"""(EXISTS (SELECT 1 FROM support_overdueflag f WHERE f.ticket_id = t.id)
    OR {_missed("first_response_due_at", "first_responded_at")}
    OR {_missed("resolution_due_at", "resolved_at")}) AS overdue"""  # noqa: S608 - constants
# The columns of the ticket list's answer (``TicketOut``; ``flagged_for_review`` and
# ``allowed_events`` follow from ``routing`` and ``status``).
_TICKET_COLUMNS = f"""
    t.id, t.business_id, t.customer_id, c.name AS customer_name, t.subject, t.body, t.tags,
    t.priority, t.status, t.assigned_agent_id, t.routing, t.suggested_escalation,
    t.suggested_escalation_confidence, t.created_at, t.first_response_due_at,
    t.resolution_due_at, t.first_responded_at, t.escalated_at, t.escalation_category,
    t.resolved_at, t.paused_at, {_OVERDUE}
"""
_LIST_SQL = f"""
    SELECT {_TICKET_COLUMNS}
      FROM support_ticket t JOIN programs_customer c ON c.id = t.customer_id
     WHERE t.business_id = %(business)s
     ORDER BY t.created_at DESC, t.id DESC
     LIMIT {LIST_PAGE}
"""  # noqa: S608 - constants of this module
# The workspace's first page: a page of each of its three lists (``WorkspaceOut``).
_WORKSPACE_TICKET = f"""
    SELECT t.id, c.name, t.subject, t.created_at, t.first_response_due_at,
           t.resolution_due_at, {_OVERDUE}, t.status
      FROM support_ticket t JOIN programs_customer c ON c.id = t.customer_id
     WHERE t.business_id = %(business)s AND t.assigned_agent_id = %(agent)s
"""  # noqa: S608 - constants of this module
_WORKSPACE_SQL = (
    f"""SELECT c.id, c.name, c.cancelled_at, c.subscribed_at
         FROM support_assignment a JOIN programs_customer c ON c.id = a.customer_id
        WHERE a.business_id = %(business)s AND a.agent_id = %(agent)s AND a.ended_at IS NULL
        ORDER BY c.name, c.id
        LIMIT {MAX_PAGE}""",  # noqa: S608 - constants of this module
    f"""{_WORKSPACE_TICKET} AND t.status <> 'closed'
        ORDER BY t.created_at, t.id
        LIMIT {MAX_PAGE}""",
    f"""{_WORKSPACE_TICKET} AND t.status = 'closed'
        ORDER BY t.resolved_at DESC, t.id DESC
        LIMIT {MAX_PAGE}""",
)


def floor_rows(queries: tuple[str, ...], params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Each query's rows through Django's connection, as JSON objects."""
    payload = []
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            payload.append([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
    return payload


def _raw_payload(queries: tuple[str, ...], params: dict[str, Any]) -> int:
    """``floor_rows`` serialised: the floor of an endpoint returning the same rows. Returns
    the bytes."""
    return len(json.dumps(floor_rows(queries, params), default=str))


def read_floors(program: SupportProgram) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Each read measured: its path, its reader's token and its floor's statements."""
    business = program.business.id
    return {
        "list": (
            f"/api/v1/businesses/{business}/tickets?limit={LIST_PAGE}",
            token_issue(user=program.owner),
            (_LIST_SQL,),
        ),
        "workspace": (
            f"/api/v1/businesses/{business}/support/workspace",
            token_issue(user=program.workspace_agent),
            _WORKSPACE_SQL,
        ),
    }


def read_params(program: SupportProgram) -> dict[str, Any]:
    """The floors' parameters, as the database compares them."""
    prep = Customer._meta.get_field("business").get_db_prep_value
    return {
        "business": prep(program.business.id, connection),
        "agent": prep(program.workspace_agent.pk, connection),
        "now": program.now,
    }


def _get(client: Client, path: str, token: str) -> int:
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost")
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.content[:300]!r}")
    return len(response.content)


def _per_request(fetch: Callable[[], int]) -> tuple[Timed, int]:
    """``REQUESTS`` calls of ``fetch``: the mean time and queries of one, and its bytes."""
    with timed() as spent:
        sizes_seen = [fetch() for _ in range(REQUESTS)]
    mean = Timed(spent.seconds / REQUESTS, round(spent.queries / REQUESTS))
    return mean, sizes_seen[0]


def measure_reads(program: SupportProgram, runs: int) -> list[Measure]:
    """The staff's ticket list (a page of 100) and the workspace agent's workspace, each
    request through the whole HTTP stack, against raw SQL of the same rows serialised."""
    client = Client()
    params = read_params(program)
    floors = read_floors(program)
    reads = (
        (Measure("ticket list, page of 100", "raw SQL of the same rows, as JSON"), *floors["list"]),
        (
            Measure(
                f"workspace, {WORKSPACE_CUSTOMERS} customers, "
                f"{WORKSPACE_OPEN + WORKSPACE_CLOSED} tickets",
                "raw SQL of the same rows, as JSON",
            ),
            *floors["workspace"],
        ),
    )
    measures = []
    # One log line per request would drown the progress and cost its own time.
    request_log = logging.getLogger("refairn.request")
    level = request_log.level
    request_log.setLevel(logging.WARNING)
    with clock.frozen(program.now):
        for (measure, path, token, queries), rows in zip(
            reads,
            (LIST_PAGE, WORKSPACE_CUSTOMERS + WORKSPACE_OPEN + min(WORKSPACE_CLOSED, MAX_PAGE)),
            strict=True,
        ):
            for _ in range(runs):
                run, size = _per_request(partial(_get, client, path, token))
                floor, raw_size = _per_request(partial(_raw_payload, queries, params))
                measure.add(run, floor)
            measure.rows = rows
            measure.note = f"{size:,} bytes per answer, the floor's JSON {raw_size:,} bytes"
            measures.append(measure)
    request_log.setLevel(level)
    return measures
