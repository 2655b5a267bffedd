"""The quarterly report from records (PRODUCT.md §8: "compares with the previous quarter and
lists recommendations derived from the gaps")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from refairn.reporting.domain.quarterly_text import render_quarterly_text
from refairn.reporting.selectors import quarterly_report_build
from tests.support import T0, ApiClient

pytestmark = pytest.mark.django_db


def day(year: int, month: int, dom: int) -> datetime:
    return datetime(year, month, dom, tzinfo=UTC)


@pytest.fixture
def program(business_a: Business) -> Business:
    """Four agents and one required track: Ana certified in May, Bo in August, Cy on
    10 October; Di since December 2025, so her certification expires on 15 December 2026.
    Q3 has two API tickets, one solved at first contact."""
    Business.objects.filter(pk=business_a.pk).update(created_at=day(2026, 1, 1))
    business_a.refresh_from_db()
    records = Records(business_a)
    track = records.track("Product Fundamentals")
    joined = day(2025, 6, 1)
    certified = {"Ana": day(2026, 5, 1), "Bo": day(2026, 8, 1), "Cy": day(2026, 10, 10)}
    certified["Di"] = day(2025, 12, 15)
    agents = {}
    for name, at in certified.items():
        agents[name] = records.agent(name, joined_at=joined)
        records.certified(agents[name], track, at=at)
    customer = records.customer("Globex", since=joined)
    for replies in (1, 2):
        opened = day(2026, 8, 10)
        records.ticket(
            customer,
            created_at=opened,
            agent=agents["Ana"],
            rule="API Issues",
            by_certification=True,
            replies=replies,
            resolved_at=opened + timedelta(hours=5),
        )
    records.flush()
    return business_a


def test_a_quarter_compares_with_the_one_before(program: Business) -> None:
    report = quarterly_report_build(program, quarter="2026-Q3")

    overall = report.completion.overall
    # Ana, Bo and Di of four at 1 October; Ana and Di at 1 July.
    assert (overall.current.part, overall.current.whole) == (3, 4)
    assert overall.previous is not None
    assert (overall.previous.part, overall.change_points) == (2, 25)
    assert report.impact.certified_fcr.part == 1
    text = render_quarterly_text(report)
    assert "  Overall certification rate: 75.0% (↑ 25.0 pts from Q2) ✓" in text
    assert "  Certified agent FCR: 50.0% (vs — non-certified)" in text


def test_a_running_quarter_is_reported_as_of_now(program: Business) -> None:
    """2026-Q4 runs until 1 January 2027; on 2 November (the test clock) all four hold the
    track, Di until 15 December: the report agrees with the dashboard of today."""
    report = quarterly_report_build(program, quarter="2026-Q4")

    assert report.as_of == T0
    overall = report.completion.overall
    assert (overall.current.part, overall.current.whole) == (4, 4)
    assert "Business A — 2026-10-01 to 2026-12-31 (so far: as of 2026-11-02 09:00 UTC)" in (
        render_quarterly_text(report)
    )


def test_a_finished_quarter_is_reported_as_of_its_end(program: Business) -> None:
    report = quarterly_report_build(program, quarter="2026-Q3")

    assert report.as_of == day(2026, 10, 1)
    assert "so far" not in render_quarterly_text(report)


def test_a_program_first_quarter_has_nothing_to_compare(program: Business) -> None:
    Business.objects.filter(pk=program.pk).update(created_at=day(2026, 8, 1))
    program.refresh_from_db()

    report = quarterly_report_build(program, quarter="2026-Q3")

    assert report.completion.overall.previous is None
    assert "(no Q2 data)" in render_quarterly_text(report)


def test_quarterly_endpoint_reads_the_named_quarter(as_alice: ApiClient, program: Business) -> None:
    body = as_alice.get(f"/businesses/{program.id}/reports/quarterly?quarter=2026-Q3").body

    assert body["quarter"] == "2026-Q3"
    assert body["completion"]["overall"]["current"] == {"part": 3, "whole": 4, "percent": "75.0"}
    assert body["completion"]["overall"]["direction"] == "up"
