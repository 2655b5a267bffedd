"""The hot paths' queries use indexes at the benchmark's scale (issue 17): PostgreSQL's plan for
every statement of ticket creation with routing, the SLA sweep, the staff's ticket list, the
agent's workspace and the certification dashboard has no sequential scan of tickets, messages,
events, attempts or ledgers.

Seeded with the benchmark's own support program (tens of thousands of tickets, ANALYZEd), so
the planner weighs real sizes; on SQLite there is no planner worth asking (skipped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from refairn.accounts.services import token_issue
from refairn.core import clock
from refairn.demo.benchmark import support_program
from refairn.demo.benchmark.dashboard_builder import DAY, Size, build_program
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for
from refairn.reporting.domain.periods import trailing_window
from refairn.reporting.selectors import dashboard_build
from refairn.reporting.selectors.routing import routing_rows_recounted
from refairn.support.services import overdue_flags_raise, ticket_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's planner is the one asked"
    ),
    pytest.mark.django_db,
]

# Tables a hot path must never read whole at scale.
GUARDED = (
    "support_ticket",
    "support_ticketmessage",
    "support_ticketevent",
    "support_ticketoutcome",
    "routing_routingdecision",
    "assessments_attempt",
    "assessments_attemptquestion",
    "commissions_referralentry",
    "commissions_supportentry",
)
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def program() -> support_program.SupportProgram:
    # A fifth of the small benchmark: 10,000 open tickets, 2,000 closed, 2,000 agents; then a
    # first sweep, so flags exist (and the planner knows) before the timed paths run.
    program = support_program.seed(0.01, NOW, lambda *_: None)
    support_program.grow(program, lambda *_: None)
    _sweep(program, hours=support_program.FIRST_BUCKET + 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return program


def _sweep(program: support_program.SupportProgram, *, hours: int) -> int:
    with clock.frozen(NOW + hours * support_program.HOUR):
        return overdue_flags_raise()


def _plans(work: Callable[[], object]) -> dict[str, str]:
    """Run ``work``, then EXPLAIN each SELECT it sent: its plan by its SQL."""
    with CaptureQueriesContext(connection) as captured:
        work()
    plans: dict[str, str] = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plans[sql] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


def _seq_scans(work: Callable[[], object]) -> dict[str, list[str]]:
    """Run ``work``; the guarded tables each of its plans reads whole."""
    found: dict[str, list[str]] = {}
    for sql, plan in _plans(work).items():
        scanned = [t for t in SEQ_SCAN.findall(plan) if t in GUARDED]
        if scanned:
            found[sql[:300]] = scanned
    return found


def test_ticket_creation_with_routing_reads_by_index(
    program: support_program.SupportProgram,
) -> None:
    actor = actor_for(program.owner, program.business.id)

    def create() -> object:
        with clock.frozen(NOW):
            return ticket_create(
                actor=actor,
                customer_id=program.customers[0],
                subject="Invoice question",
                body="Where is my invoice?",
                tags=[],
                priority="P3",
            )

    assert _seq_scans(create) == {}


def test_the_sla_sweep_reads_by_index(program: support_program.SupportProgram) -> None:
    def sweep() -> int:
        return _sweep(program, hours=support_program.FIRST_BUCKET + 2)

    assert _seq_scans(sweep) == {}


def test_the_sla_sweep_looks_up_due_tickets_without_compiling_the_plan(
    program: support_program.SupportProgram,
) -> None:
    """Issue 17: the planner guesses the unmet-deadline conditions (two columns compared)
    far above what the lookup reads; at a million tickets that guess is past every JIT
    threshold and compiling took seconds. Here every plan is made costly enough."""
    settings_seen: list[str] = []

    def jit_setting(execute: Callable[..., object], sql: str, *args: object) -> object:
        if sql.lstrip().startswith('SELECT "support_ticket"'):
            with connection.connection.cursor() as cursor:
                cursor.execute("SHOW jit")
                settings_seen.append(cursor.fetchone()[0])
        return execute(sql, *args)

    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
        cursor.execute("SET jit_above_cost = 0")
    with connection.execute_wrapper(jit_setting):
        assert _sweep(program, hours=support_program.FIRST_BUCKET + 2) > 0
    # One lookup per kind of deadline.
    assert settings_seen == ["off", "off"]


def test_the_ticket_list_and_workspace_read_by_index(
    program: support_program.SupportProgram,
) -> None:
    client = Client()
    business = program.business.id
    reads = (
        (f"/api/v1/businesses/{business}/tickets?limit=100", program.owner),
        (f"/api/v1/businesses/{business}/support/workspace", program.workspace_agent),
    )
    for path, user in reads:
        token = token_issue(user=user)

        def get(path: str = path, token: str = token) -> None:
            with clock.frozen(NOW):
                response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 200

        assert _seq_scans(get) == {}, path


@pytest.fixture
def dashboard_businesses() -> Business:
    """The dashboard's reader is one small business among larger ones (as one among the 200 of
    the full benchmark): its share of every table is a few percent, so reading whole tables
    would show in the plan. Returns the small business."""
    others = [_dashboard_business(f"plans-{n}") for n in range(4)]
    for n, business in enumerate(others):
        build_program(business, Size(agents=40, attempts=1_500, tickets=5_000), now=NOW, seed=n)
    reader = _dashboard_business("plans-reader")
    build_program(reader, Size(agents=20, attempts=150, tickets=400), now=NOW, seed=9)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return reader


def _dashboard_business(slug: str) -> Business:
    return Business.objects.create(name=slug, slug=slug, created_at=NOW - 1000 * DAY)


def test_the_dashboard_reads_its_business_by_index(dashboard_businesses: Business) -> None:
    """Item statistics read the business's own attempt questions; the routing figures the
    stored outcomes of its tickets of the window, and a recount (a past report's tickets that
    moved since) their events, replies and decisions (issue 17)."""

    def dashboard() -> object:
        return dashboard_build(dashboard_businesses, as_of=NOW)

    assert _seq_scans(dashboard) == {}
    assert "ticketoutcome_window" in "\n".join(_plans(dashboard).values())

    def recount() -> object:
        window = trailing_window(NOW)
        return routing_rows_recounted(dashboard_businesses, window=window, as_of=NOW, rules=[])

    assert _seq_scans(recount) == {}
    # The recount reaches events and replies through each window ticket's own rows.
    plans = "\n".join(_plans(recount).values())
    assert "ticketevent_ticket_time" in plans
    assert "ticketmessage_ticket_time" in plans
