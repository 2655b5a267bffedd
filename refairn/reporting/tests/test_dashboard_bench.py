"""Keeps the dashboard benchmark's builder (refairn.demo.benchmark.dashboard_builder, used by
``refairn bench`` and bench/dashboard.py) working: at a tiny size, and the dashboard over what it
built (figures only checked for consistency; timings are the benchmark's business)."""

from __future__ import annotations

import pytest

from refairn.certification.models import Certification
from refairn.demo.benchmark.dashboard_builder import Size, build_program, time_dashboard
from refairn.programs.models import Business
from refairn.reporting.selectors import dashboard_build
from refairn.support.models import Ticket
from tests.support import T0

pytestmark = pytest.mark.django_db


def test_bench_builds_a_program_the_dashboard_reads(business_a: Business) -> None:
    built = build_program(business_a, Size(agents=20, attempts=60, tickets=300), now=T0)

    assert built.rows > 1000
    assert Ticket.objects.filter(business=business_a).count() == 300
    dashboard = dashboard_build(business_a, as_of=T0)
    assert dashboard.overview.active_agents == 20
    assert len(dashboard.tracks) == 6
    assert (
        dashboard.overview.certifications_held
        <= Certification.objects.filter(business=business_a).count()
    )
    assert 0 < dashboard.routing.tickets < 300
    assert [rule.rule.name for rule in dashboard.routing.rules][:2] == [
        "API Issues",
        "Billing Issues",
    ]
    assert sum(
        score.average_passing_score is not None for score in dashboard.analytics.track_scores
    )
    (timing,) = time_dashboard(business_a, as_of=T0, runs=1)
    assert timing.seconds > 0
    assert timing.queries <= 10
