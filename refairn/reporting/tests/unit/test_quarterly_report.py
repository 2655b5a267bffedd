"""The quarterly report: previous-quarter comparison and recommendations derived from gaps."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from refairn.reporting.domain.inputs import RoutingRow
from refairn.reporting.domain.metrics import Direction, Ratio
from refairn.reporting.domain.periods import parse_quarter
from refairn.reporting.domain.quarterly import QuarterlyReport, build_quarterly
from refairn.reporting.domain.quarterly_text import render_quarterly_text
from refairn.reporting.domain.recommendations import RecommendationKind as K
from refairn.reporting.tests.unit.seed_fixture import (
    API,
    BILLING,
    seed_tracks_program,
)

D = Decimal
Q4 = parse_quarter("2025-Q4")
Q3 = parse_quarter("2025-Q3")
Q3_ROUTING = (
    RoutingRow(API, True, 500, 400, 40, 300, 450, 100),
    RoutingRow(None, False, 500, 350, 70, 200, 420, 100),
)


def q4_report(adv_holders_in_q3: int = 15) -> QuarterlyReport:
    current = seed_tracks_program(as_of=Q4.end, routing_window=Q4)
    previous = seed_tracks_program(
        as_of=Q3.end, routing_window=Q3, routing=Q3_ROUTING, adv_holders=adv_holders_in_q3
    )
    return build_quarterly(quarter="2025-Q4", current=current, previous=previous)


def test_parse_quarter_gives_the_half_open_utc_quarter() -> None:
    period = parse_quarter("2026-Q4")

    assert (period.start, period.end) == (
        datetime(2026, 10, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    "text",
    ["2026-q4", "2026-Q5", "2026-Q0", "26-Q4", " 2026-Q4", "2026-Q4\n", "0000-Q1", "9999-Q4"],
)
def test_parse_quarter_is_strict(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quarter(text)


def test_completion_rates_compare_with_the_previous_quarter() -> None:
    completion = q4_report().completion

    # Fully certified 28/42 now, 20/42 in Q3: +8/42 = +19.0 points.
    assert completion.overall.current == Ratio(28, 42)
    assert completion.overall.previous == Ratio(20, 42)
    assert (completion.overall.change_points, completion.overall.direction) == (
        D("19.0"),
        Direction.UP,
    )
    assert completion.security is not None
    assert completion.security.current == Ratio(42, 42)
    # Required certifications: 40 + 42 + 28 of 126, target (100 + 100 + 80) / 3.
    assert completion.required.current == Ratio(110, 126)
    assert completion.required.change_points == D("6.3")
    assert completion.required_target_percent == D("93.3")
    assert completion.required_met is False


def test_business_impact_compares_certified_with_non_certified_routing() -> None:
    impact = q4_report().impact

    assert impact.certified_fcr == Ratio(702, 820)
    assert impact.non_certified_fcr == Ratio(242, 360)
    assert impact.fcr_difference_points == D("18.4")
    assert impact.csat_difference == D("0.3")
    # (6.8 - 14.2) / 14.2 = -52.1%.
    assert impact.escalation_change_percent == D(-52)
    assert impact.by_certification.change_points == D("16.7")


def test_recommendations_are_derived_from_the_gaps() -> None:
    recommendations = q4_report().recommendations

    assert [(r.kind, r.subject) for r in recommendations] == [
        (K.TRACK_BELOW_TARGET, "Advanced Troubleshooting"),
        (K.TRACK_BELOW_TARGET, "Billing & Accounts"),
        (K.TRACK_BELOW_TARGET, "Product Fundamentals"),
        (K.DIFFICULT_TOPICS, "API rate limits, GDPR erasure, Churn risk, Proration"),
        (K.RULE_LOW_FCR, "Standard Tickets"),
        (K.RULE_FALLBACK_HEAVY, "Billing Issues"),
        (K.RULE_FALLBACK_HEAVY, "VIP Customer Tickets"),
    ]
    assert recommendations[0].text == (
        "Push Advanced Troubleshooting completion to 80% (currently 66.7%)"
    )
    assert recommendations[3].text == (
        "Create supplemental training for the 4 most difficult assessment topics: "
        "API rate limits, GDPR erasure, Churn risk, Proration"
    )
    assert recommendations[5].text == (
        "Grow the certified pool for Billing Issues (Billing & Accounts): 120 of 320 tickets "
        "(37.5%) went to the fallback"
    )


def test_a_rule_whose_certified_agents_do_no_better_than_its_fallback_is_flagged() -> None:
    routing = (
        RoutingRow(BILLING, True, 40, 40, 0, 28, 0, 0),
        RoutingRow(BILLING, False, 45, 40, 0, 30, 0, 0),
    )
    current = seed_tracks_program(as_of=Q4.end, routing_window=Q4, routing=routing)

    report = build_quarterly(quarter="2025-Q4", current=current, previous=None)

    fcr = [r.text for r in report.recommendations if r.kind is K.RULE_LOW_FCR]
    assert fcr == [
        "Review the training behind Billing Issues (Billing & Accounts): certified agents "
        "resolve 70% at first contact, no better than fallback routing (75%)"
    ]


def test_a_fall_in_full_certification_is_a_recommendation() -> None:
    report = q4_report(adv_holders_in_q3=30)

    assert report.completion.overall.direction is Direction.DOWN
    assert report.recommendations[-1].text == (
        "Full certification fell to 66.7% from 83.3% in Q3 2025: follow up with the "
        "14 partially certified agents"
    )


def test_dashboards_not_at_the_quarter_end_are_refused() -> None:
    mid_quarter = seed_tracks_program()

    with pytest.raises(ValueError):
        build_quarterly(quarter="2025-Q4", current=mid_quarter, previous=None)


def test_quarterly_text_reproduces_the_seeds_layout() -> None:
    text = render_quarterly_text(q4_report())

    assert text.startswith(
        "CERTIFICATION PROGRAM QUARTERLY REPORT — Q4 2025\n"
        "================================================\n"
        "Acme — 2025-10-01 to 2025-12-31\n"
        "\n"
        "COMPLETION RATES:\n"
        "  Overall certification rate: 66.7% (↑ 19.0 pts from Q3) ✓\n"
        "  Security compliance: 100% (mandatory — all agents certified) ✓\n"
        "  Required certifications complete: 87.3% (↑ 6.3 pts from Q3; target: 93.3%) ⚠\n"
    )
    assert (
        "  Certified agent FCR: 85.6% (vs 67.2% non-certified) → +18.4 pts improvement\n"
        "  Certified agent CSAT: 4.5/5.0 (vs 4.2/5.0) → +0.3 improvement\n"
        "  Escalation rate reduction: 6.8% (vs 14.2%) → -52% reduction\n"
        "  Revenue impact: $89,000/year from certified routing\n"
    ) in text
    assert (
        "ROI:\n  Program cost: $12,000/year\n  Revenue impact: $89,000/year\n  ROI: 642%\n" in text
    )
    assert (
        "RECOMMENDATIONS FOR Q1 2026:\n  1. Push Advanced Troubleshooting completion to 80%" in text
    )


def test_a_first_quarter_has_no_comparison() -> None:
    current = seed_tracks_program(as_of=Q4.end, routing_window=Q4)

    report = build_quarterly(quarter="2025-Q4", current=current, previous=None)

    assert report.completion.overall.direction is None
    assert "  Overall certification rate: 66.7% (no Q3 data)\n" in render_quarterly_text(report)
