"""Issue 11 item 17: the quarterly report's previous-quarter line holds the previous quarter's
own figures, as they stood at its end, whatever happened to its tickets afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from refairn.core import clock
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from refairn.reporting.domain.quarterly_text import render_quarterly_text
from refairn.reporting.selectors import quarterly_report_build
from refairn.routing.domain import RoutingDecision
from refairn.routing.selectors import Routed
from refairn.routing.services import routing_decision_record
from tests.support import T0

pytestmark = pytest.mark.django_db


def day(year: int, month: int, dom: int) -> datetime:
    return datetime(year, month, dom, tzinfo=UTC)


def _to_the_queue() -> Routed:
    return Routed(
        RoutingDecision(
            agent_id=None,
            rule_name=None,
            pool_size=0,
            fallback_used="business_queue",
            notify_managers=False,
            flag_for_review=False,
            route_to_manager=False,
            escalate_to_security=False,
            reason="No agent available.",
        )
    )


def test_reopening_a_ticket_later_does_not_rewrite_the_previous_quarter(
    business_a: Business,
) -> None:
    """Q3: three tickets, two routed by certification (2 of 3). Q4: one more routed by
    certification; one Q3 ticket is reopened on 20 October and routed again, to the queue."""
    Business.objects.filter(pk=business_a.pk).update(created_at=day(2026, 1, 1))
    business_a.refresh_from_db()
    records = Records(business_a)
    records.track("Product Fundamentals")
    ana = records.agent("Ana", joined_at=day(2026, 2, 1))
    customer = records.customer("Globex", since=day(2026, 2, 1))
    q3 = [
        records.ticket(
            customer,
            created_at=day(2026, 8, dom),
            agent=ana,
            rule="API Issues",
            by_certification=certified,
            fallback=None if certified else "any_agent",
            resolved_at=day(2026, 8, dom) + timedelta(hours=5),
        )
        for dom, certified in ((3, True), (10, True), (17, False))
    ]
    records.ticket(
        customer,
        created_at=day(2026, 10, 5),
        agent=ana,
        rule="API Issues",
        by_certification=True,
        resolved_at=day(2026, 10, 5) + timedelta(hours=5),
    )
    records.flush()
    with clock.frozen(day(2026, 10, 20)):
        routing_decision_record(
            business_id=business_a.id,
            ticket_id=q3[0].id,
            subject=q3[0].subject,
            routed=_to_the_queue(),
        )

    with clock.frozen(T0):
        report = quarterly_report_build(business_a, quarter="2026-Q4")

    routed = report.impact.by_certification
    assert routed.previous is not None
    assert (routed.previous.part, routed.previous.whole) == (2, 3)
    assert (routed.current.part, routed.current.whole) == (1, 1)
    assert "  Tickets routed by certification: 100% (↑ 33.3 pts from Q3)" in (
        render_quarterly_text(report)
    )
