"""Issue 17: the dashboard's routing figures come from each ticket's stored outcome
(``support.models.TicketOutcome``, kept by triggers); they must equal the recount from the
tickets' events, replies, decisions and ratings, for any window and instant, after inserts,
updates and deletes of any of those rows. Run on both engines (each has its own triggers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.demo.benchmark.dashboard_builder import DAY, Size, build_program
from refairn.programs.models import Business
from refairn.reporting.domain.periods import Period, trailing_window
from refairn.reporting.selectors.certifications import track_rows
from refairn.reporting.selectors.routing import routing_rows, routing_rows_recounted, rule_refs
from refairn.routing.models import RoutingDecision
from refairn.support.models import Rating, Ticket, TicketEvent, TicketMessage, TicketOutcome
from tests.support import T0

pytestmark = pytest.mark.django_db


def _assert_agree(business: Business) -> None:
    rules = rule_refs(business, track_rows(business))
    # Now; a day and a month back (figures that moved since, recounted); a window that starts
    # after some tickets' events (those recounted too).
    instants = [T0, T0 - DAY, T0 - 30 * DAY]
    windows = [(trailing_window(at), at) for at in instants]
    windows.append((Period(T0 - 200 * DAY, T0 - 100 * DAY), T0 - 60 * DAY))
    for window, as_of in windows:
        stored = routing_rows(business, window=window, as_of=as_of, rules=rules)
        recounted = routing_rows_recounted(business, window=window, as_of=as_of, rules=rules)
        assert stored == recounted, (window, as_of)
        assert sum(row.tickets for row in stored) > 0


@pytest.fixture
def program(business_a: Business) -> Business:
    build_program(business_a, Size(agents=12, attempts=20, tickets=300), now=T0)
    return business_a


def test_every_ticket_has_an_outcome_agreeing_with_the_recount(program: Business) -> None:
    assert TicketOutcome.objects.count() == Ticket.objects.count() == 300
    _assert_agree(program)


def test_outcomes_follow_updates_and_deletes(program: Business) -> None:
    recent = Ticket.objects.filter(business=program, created_at__gte=T0 - 80 * DAY)
    first, second, third, fourth = list(recent.order_by("id")[:4])
    TicketMessage.objects.filter(ticket=first).update(internal=True)
    TicketEvent.objects.filter(ticket=second, event="resolve").delete()
    TicketEvent.objects.filter(ticket=third).update(at=T0 - timedelta(hours=1))
    RoutingDecision.objects.filter(ticket_id=fourth.id).update(rule_name="Renamed")
    RoutingDecision.objects.filter(ticket_id=third.id).delete()
    Rating.objects.filter(ticket__business=program).update(overall=1)
    Ticket.objects.filter(pk=first.pk).update(created_at=T0 - 150 * DAY)
    TicketMessage.objects.filter(ticket=fourth).update(ticket=second)
    _assert_agree(program)
    Ticket.objects.filter(pk=second.pk).delete()
    assert not TicketOutcome.objects.filter(ticket_id=second.pk).exists()
    _assert_agree(program)


def test_a_current_dashboard_reads_only_the_stored_outcomes(program: Business) -> None:
    """Nothing moved after now: one query, whatever the number of tickets. A month back, a
    second query recounts the tickets whose outcomes moved since, reading those outcomes once
    per part of the recount: PostgreSQL without statistics (as here, and after a fresh load)
    once read them again for every decision and ticket (seconds on the demo's quarterly
    report)."""
    rules = rule_refs(program, track_rows(program))
    with CaptureQueriesContext(connection) as queries:
        routing_rows(program, window=trailing_window(T0), as_of=T0, rules=rules)
    assert len(queries) == 1
    assert "support_ticketevent" not in queries[0]["sql"]

    past = T0 - 30 * DAY
    with CaptureQueriesContext(connection) as queries:
        routing_rows(program, window=trailing_window(past), as_of=past, rules=rules)
    assert len(queries) == 2
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + queries[1]["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        window_reads = [line for line in plan if "ticketoutcome_window" in line]
        assert window_reads
        assert all(line.endswith("loops=1)") for line in window_reads), plan
