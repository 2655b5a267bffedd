"""The certification dashboard measures (issue 17): one business of 2,000 agents, then one
business among many (20,000 agents across 200 businesses at full scale), each timed against
its own SQL replayed raw, fetching every row (what the database alone costs).

The programs are built by ``dashboard_builder`` (which ``bench/dashboard.py`` also uses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.demo.benchmark.dashboard_builder import Size, build_program
from refairn.demo.benchmark.figures import Measure, timed
from refairn.programs.models import Business
from refairn.reporting.selectors import dashboard_build

AGENTS, ATTEMPTS, TICKETS = 2_000, 50_000, 200_000
# The many-business program: agents of each, and its share of attempts and tickets.
BUSINESSES, AGENTS_EACH, ATTEMPTS_EACH, TICKETS_EACH = 200, 100, 500, 1_000
DAY = timedelta(days=1)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DashboardProgram:
    large: Business
    agents: int
    one_of_many: Business
    businesses: int
    now: datetime


def _business(slug: str, now: datetime) -> Business:
    return Business.objects.create(
        name=f"Bench {slug}",
        slug=slug,
        created_at=now - 1000 * DAY,
        settings={"report": {"annual_cost": "12000", "revenue_impact": "89000"}},
    )


def seed(scale: float, now: datetime, progress: Progress) -> DashboardProgram:
    agents = max(50, min(AGENTS, round(AGENTS * scale * 20)))
    large = _business("bench-dashboard", now)
    size = Size(
        agents=agents,
        attempts=max(1_000, round(ATTEMPTS * scale)),
        tickets=max(2_000, round(TICKETS * scale)),
    )
    build_program(large, size, now=now)
    progress("dashboard program", 1, 1)
    businesses = max(2, round(BUSINESSES * scale))
    each = Size(AGENTS_EACH, ATTEMPTS_EACH, TICKETS_EACH)
    last = large
    for n in range(businesses):
        last = _business(f"bench-dashboard-{n}", now)
        build_program(last, each, now=now, seed=n)
        progress("dashboard businesses", n + 1, businesses)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return DashboardProgram(large, agents, last, businesses, now)


def _replay(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()


def _measure(name: str, business: Business, agents: int, now: datetime, runs: int) -> Measure:
    measure = Measure(name, "its own SQL replayed raw, every row fetched")
    with CaptureQueriesContext(connection) as captured:
        dashboard_build(business, as_of=now)
    statements = [q["sql"] for q in captured.captured_queries]
    for _ in range(runs):
        with timed() as floor:
            _replay(statements)
        with timed() as run:
            dashboard_build(business, as_of=now)
        measure.add(run, floor)
    measure.rows = agents
    return measure


def measure(program: DashboardProgram, runs: int) -> list[Measure]:
    total = program.agents + program.businesses * AGENTS_EACH
    return [
        _measure(
            f"dashboard, {program.agents:,} agents",
            program.large,
            program.agents,
            program.now,
            runs,
        ),
        _measure(
            f"dashboard, 1 of {program.businesses + 1} businesses ({total:,} agents)",
            program.one_of_many,
            AGENTS_EACH,
            program.now,
            runs,
        ),
    ]
