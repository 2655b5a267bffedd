"""Issue 6: every report takes a fixed number of queries, whatever the number of agents,
certifications, attempts or tickets (no per-agent or per-ticket query loops)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.certification.domain.status import Event
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from tests.support import T0, ApiClient

pytestmark = pytest.mark.django_db

# The token, the caller's roles (three queries) and the business, then the report's own reads:
# ten for a dashboard (a quarterly report reads two), four for the analytics.
DASHBOARD_QUERIES = 15
QUARTERLY_QUERIES = 25
ANALYTICS_QUERIES = 12


def add_agents(business: Business, count: int, start: int = 0) -> None:
    """``count`` agents, each certified in one track and renewed or expired in another, with two
    graded attempts and three tickets (one escalated, one reopened, one rated)."""
    records = Records(business)
    tracks = [records.track(f"Track {start}-{n}", position=n) for n in range(2)]
    questions = [records.question(tracks[0], prompt=f"Q{n}") for n in range(3)]
    customer = records.customer(f"Customer {start}", since=T0 - timedelta(days=400))
    for n in range(start, start + count):
        agent = records.agent(f"Agent {n:03d}", joined_at=T0 - timedelta(days=300))
        first = records.certified(agent, tracks[0], at=T0 - timedelta(days=200))
        records.certification(
            agent,
            tracks[1],
            [
                (Event.START_TRAINING, T0 - timedelta(days=299)),
                (Event.SUBMIT, T0 - timedelta(days=298)),
                (Event.AUTO_PASS, T0 - timedelta(days=298)),
                (Event.APPROVE, T0 - timedelta(days=297)),
                (Event.RENEW if n % 2 else Event.EXPIRE, T0 - timedelta(days=5)),
            ],
        )
        for number in (1, 2):
            earned = [(q, Decimal((n + number + i) % 2)) for i, q in enumerate(questions)]
            records.attempt(
                first,
                tracks[0],
                submitted_at=T0 - timedelta(days=201, hours=number),
                earned=earned,
                number=number,
            )
        for k, extra in enumerate(({"escalated_at": T0 - timedelta(days=9)}, {}, {"rating": 4})):
            records.ticket(
                customer,
                created_at=T0 - timedelta(days=10, minutes=k),
                agent=agent,
                rule="API Issues" if k else None,
                by_certification=k == 1,
                resolved_at=T0 - timedelta(days=8),
                reopened_at=T0 - timedelta(days=7) if k == 1 else None,
                **extra,
            )
    records.flush()


def count_queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("certification-dashboard", DASHBOARD_QUERIES),
        ("quarterly?quarter=2026-Q3", QUARTERLY_QUERIES),
        ("assessment-analytics", ANALYTICS_QUERIES),
    ],
)
def test_reports_take_the_same_queries_for_30_and_60_agents(
    as_alice: ApiClient, business_a: Business, path: str, limit: int
) -> None:
    Business.objects.filter(pk=business_a.pk).update(created_at=T0 - timedelta(days=400))
    report = f"/businesses/{business_a.id}/reports/{path}"
    add_agents(business_a, 30)
    as_alice.get(report)  # records the token's use (at most once a minute)

    with_30 = count_queries(lambda: as_alice.get(report))
    add_agents(business_a, 30, start=30)
    with_60 = count_queries(lambda: as_alice.get(report))

    assert with_30 == with_60 <= limit


@pytest.mark.parametrize("agents", [30, 60])
def test_dashboard_stays_within_its_query_budget(
    as_alice: ApiClient,
    business_a: Business,
    agents: int,
    django_assert_max_num_queries: Any,
) -> None:
    add_agents(business_a, agents)
    path = f"/businesses/{business_a.id}/reports/certification-dashboard"
    as_alice.get(path)  # records the token's use (at most once a minute)

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = as_alice.get(path)

    assert response.status_code == 200
    assert response.body["overview"]["active_agents"] == agents
    assert response.body["routing"]["tickets"] == 3 * agents
