"""Routing impact from ticket records (PRODUCT.md §7 decisions, §8): resolution, escalation,
CSAT and first-contact resolution (resolved with a single reply, never reopened or escalated)
per rule, certified against fallback, as they stood at ``as_of``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from refairn.reporting.domain.inputs import RoutingRow, RuleRef
from refairn.reporting.domain.periods import trailing_window
from refairn.reporting.selectors.certifications import track_rows
from refairn.reporting.selectors.routing import REMOVED_RULE, routing_rows, rule_refs
from refairn.routing.models import RoutingRuleSet
from tests.support import T0

pytestmark = pytest.mark.django_db

OPENED = T0 - timedelta(days=5)
SOLVED = OPENED + timedelta(hours=6)
API = RuleRef("API Issues", "Advanced Troubleshooting")
BILLING = RuleRef("Billing Issues", "2+ certifications")


@pytest.fixture
def business(business_a: Business) -> Business:
    records = Records(business_a)
    advanced = records.track("Advanced Troubleshooting")
    agent = records.agent("Ada", joined_at=T0 - timedelta(days=300))
    customer = records.customer("Globex", since=T0 - timedelta(days=300))
    records.flush()
    RoutingRuleSet.objects.create(
        business=business_a,
        rules=[
            {"name": "API Issues", "require": {"track_id": str(advanced.id)}},
            {"name": "Billing Issues", "require": {"min_certifications": 2}},
        ],
    )
    api = {"agent": agent, "rule": "API Issues", "by_certification": True}

    def ticket(**given: Any) -> None:
        records.ticket(customer, **{"created_at": OPENED, "resolved_at": SOLVED, **given})

    ticket(**api, rating=5)  # first contact
    ticket(**api, reopened_at=SOLVED + timedelta(hours=1))
    ticket(**api, escalated_at=OPENED + timedelta(minutes=30))
    ticket(**api, replies=2, rating=3)
    ticket(**api, replies=0)
    # Solved and rated half a day before T0.
    late = T0 - timedelta(hours=12)
    ticket(**api, resolved_at=late, rating=4)
    ticket(agent=agent, rule="API Issues", fallback="base_track_and_notify")
    # Answered once by the business's staff after the rule's fallback.
    ticket(rule="Billing Issues", fallback="route_to_manager")
    ticket(agent=agent, rule="Old Rule", by_certification=True)
    ticket(agent=agent, routed=False)
    ticket(agent=agent, rule=None, fallback="business_queue")
    ticket(agent=agent, rule="API Issues", created_at=T0 - timedelta(days=100))
    records.flush()
    return business_a


def rows_at(business: Business, as_of: datetime) -> list[RoutingRow]:
    rules = rule_refs(business, track_rows(business))
    return routing_rows(business, window=trailing_window(as_of), as_of=as_of, rules=rules)


def test_rows_per_rule_and_route_at_now(business: Business) -> None:
    assert rows_at(business, T0) == [
        RoutingRow(API, True, 6, 6, 1, 2, 12, 3),
        RoutingRow(API, False, 1, 1, 0, 1, 0, 0),
        RoutingRow(BILLING, False, 1, 1, 0, 1, 0, 0),
        RoutingRow(RuleRef("Old Rule", REMOVED_RULE), True, 1, 1, 0, 1, 0, 0),
        # No decision recorded, or no rule matched: one group, never by certification.
        RoutingRow(None, False, 2, 2, 0, 2, 0, 0),
    ]


def test_rows_as_they_stood_a_day_earlier(business: Business) -> None:
    rows = rows_at(business, T0 - timedelta(days=1))

    # The ticket solved and rated half a day before T0 was still open.
    assert rows[0] == RoutingRow(API, True, 6, 5, 1, 1, 8, 2)
