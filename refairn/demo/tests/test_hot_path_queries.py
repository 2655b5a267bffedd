"""The hot paths send a fixed number of statements whatever the team or the due count, and no
list of the team's ids (issue 17), over the benchmark's own seeded support program."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.core import clock
from refairn.demo.benchmark import support_program
from refairn.programs.selectors import actor_for
from refairn.support.models import OverdueFlag
from refairn.support.services import overdue_flags_raise, ticket_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
IN_LIST = re.compile(r" IN \(([^()]*)\)")


@pytest.fixture
def program() -> support_program.SupportProgram:
    # 200 agents, 500 open tickets (5,000 once grown: 50 due per hourly bucket), 1,000 closed.
    return support_program.seed(0.005, NOW, lambda *_: None)


def _longest_in_list(statements: list[str]) -> int:
    return max(
        (match.count(",") + 1 for sql in statements for match in IN_LIST.findall(sql)), default=0
    )


def test_ticket_creation_routes_in_a_fixed_number_of_statements(
    program: support_program.SupportProgram,
) -> None:
    assert len(program.agents) == 200
    actor = actor_for(program.owner, program.business.id)
    with clock.frozen(NOW), CaptureQueriesContext(connection) as captured:
        ticket = ticket_create(
            actor=actor,
            customer_id=program.customers[0],
            subject="Invoice question",
            body="Where is my invoice?",
            tags=[],
            priority="P3",
        )
    statements = [query["sql"] for query in captured.captured_queries]
    assert ticket.routing["pool_size"] == 200 and ticket.assigned_agent_id is not None
    # Before: five IN lists of the 200 agents' ids.
    assert _longest_in_list(statements) < 10
    assert len(statements) <= 30


def test_ticket_creation_sends_as_many_statements_for_four_times_the_team() -> None:
    """Issue 17: the statements of one ticket's creation with routing do not grow with the
    number of eligible agents (50, then 200)."""
    program = support_program.seed(0.00125, NOW, lambda *_: None)
    actor = actor_for(program.owner, program.business.id)

    def statements(customer: int) -> list[str]:
        with clock.frozen(NOW), CaptureQueriesContext(connection) as captured:
            ticket = ticket_create(
                actor=actor,
                customer_id=program.customers[customer],
                subject="Invoice question",
                body="Where is my invoice?",
                tags=[],
                priority="P3",
            )
        assert ticket.routing["pool_size"] == len(program.agents)
        return [query["sql"] for query in captured.captured_queries]

    assert len(program.agents) == 50
    few = statements(0)
    support_program.agents_add(program, 150)
    many = statements(1)
    assert len(program.agents) == 200
    assert len(many) == len(few)
    assert _longest_in_list(many) < 10


def test_the_sweep_raises_and_judges_in_a_fixed_number_of_statements(
    program: support_program.SupportProgram,
) -> None:
    def sweep(hours: int) -> tuple[int, int]:
        with (
            clock.frozen(NOW + hours * support_program.HOUR),
            CaptureQueriesContext(connection) as captured,
        ):
            raised = overdue_flags_raise()
        return raised, len(captured.captured_queries)

    support_program.grow(program, lambda *_: None)
    assert program.open_tickets == 5_000
    # The workspace's overdue tickets first (due before "now"), then one bucket: 1% due.
    sweep(0)
    before = OverdueFlag.objects.count()
    raised, statements = sweep(support_program.FIRST_BUCKET + 1)

    assert raised == 50 == OverdueFlag.objects.count() - before
    assert OverdueFlag.objects.filter(judged=False).count() == 0
    # Before: a transaction of seven statements per agent with a new flag (about 340 here).
    assert statements <= 15
