"""The quarterly report as plain text in the third seed's layout (PRODUCT.md §8). Changes from
the previous quarter read "(↑ 8.0 pts from Q3)"; a rate that fell is marked ⚠.
"""

from __future__ import annotations

from decimal import Decimal

from refairn.reporting.domain.metrics import Comparison, Direction
from refairn.reporting.domain.periods import parse_quarter, quarter_title
from refairn.reporting.domain.quarterly import QuarterlyReport
from refairn.reporting.domain.text_layout import (
    per_year,
    percent,
    period_text,
    plural,
    rating,
    share,
    signed,
    title,
    utc_minute,
)


def _quarter_label(quarter: str, relative_to: str) -> str:
    """ "Q3" within the same year, "Q4 2025" across a year boundary (the seed's "from Q3")."""
    label = quarter_title(parse_quarter(quarter))
    return label.split()[0] if quarter[:4] == relative_to[:4] else label


def _change(comparison: Comparison, label: str) -> str:
    if comparison.previous is None:
        return f"no {label} data"
    change = comparison.change_points
    if change is None or comparison.direction is None:
        return f"no {label} comparison"
    arrow = {Direction.UP: "↑", Direction.DOWN: "↓", Direction.SAME: "→"}[comparison.direction]
    return f"{arrow} {abs(change)} pts from {label}"


def _mark(comparison: Comparison) -> str:
    if comparison.direction is None:
        return ""
    return " ⚠" if comparison.direction is Direction.DOWN else " ✓"


def _effect(value: Decimal | None, unit: str, better_when_negative: bool = False) -> str:
    if value is None:
        return ""
    if value == 0:
        return " → no difference"
    improved = (value < 0) if better_when_negative else (value > 0)
    if better_when_negative:
        word = "reduction" if improved else "increase"
    else:
        word = "improvement" if improved else "decline"
    return f" → {signed(value)}{unit} {word}"


def _completion(report: QuarterlyReport, label: str) -> list[str]:
    c = report.completion
    lines = [
        "COMPLETION RATES:",
        f"  Overall certification rate: {share(c.overall.current)} "
        f"({_change(c.overall, label)}){_mark(c.overall)}",
    ]
    if c.security is None:
        lines.append("  Security compliance: — (no required security-critical track)")
    else:
        current = c.security.current
        missing = current.whole - current.part
        note = (
            "all agents certified) ✓"
            if current.whole and not missing
            else f"{plural(missing, 'agent')} not certified) ⚠"
        )
        lines.append(f"  Security compliance: {share(current)} (mandatory — {note}")
    required = f"  Required certifications complete: {share(c.required.current)} "
    required += f"({_change(c.required, label)}; target: {percent(c.required_target_percent)})"
    if c.required_met is not None:
        required += " ✓" if c.required_met else " ⚠"
    return [*lines, required]


def _impact(report: QuarterlyReport, label: str) -> list[str]:
    i = report.impact
    costs = report.costs
    escalation = i.escalation_change_percent
    escalation_label = (
        "Escalation rate reduction"
        if escalation is not None and escalation < 0
        else "Escalation rate change"
    )
    return [
        "BUSINESS IMPACT:",
        f"  Tickets routed by certification: {share(i.by_certification.current, 0)} "
        f"({_change(i.by_certification, label)})",
        f"  Certified agent FCR: {share(i.certified_fcr)} "
        f"(vs {share(i.non_certified_fcr)} non-certified)"
        + _effect(i.fcr_difference_points, " pts"),
        f"  Certified agent CSAT: {rating(i.certified_csat)} (vs {rating(i.non_certified_csat)})"
        + _effect(i.csat_difference, ""),
        f"  {escalation_label}: {share(i.certified_escalation)} "
        f"(vs {share(i.non_certified_escalation)})"
        + _effect(escalation, "%", better_when_negative=True),
        f"  Revenue impact: {per_year(costs.revenue_impact, costs.currency)} "
        "from certified routing",
    ]


def _so_far(report: QuarterlyReport) -> str:
    if report.as_of >= report.period.end:
        return ""
    return f" (so far: as of {utc_minute(report.as_of)})"


def render_quarterly_text(report: QuarterlyReport) -> str:
    """PRODUCT.md §8: the quarterly report in the third seed's plain-text layout."""
    label = _quarter_label(report.previous_quarter, report.quarter)
    costs = report.costs
    recommendations = [
        f"  {number}. {item.text}" for number, item in enumerate(report.recommendations, start=1)
    ] or ["  none: every figure is on target"]
    blocks = [
        [
            *title(f"CERTIFICATION PROGRAM QUARTERLY REPORT — {quarter_title(report.period)}"),
            f"{report.business_name} — {period_text(report.period)}{_so_far(report)}",
        ],
        _completion(report, label),
        _impact(report, label),
        [
            "ROI:",
            f"  Program cost: {per_year(costs.annual_cost, costs.currency)}",
            f"  Revenue impact: {per_year(costs.revenue_impact, costs.currency)}",
            f"  ROI: {percent(costs.roi_percent)}",
        ],
        [
            f"RECOMMENDATIONS FOR {quarter_title(parse_quarter(report.next_quarter))}:",
            *recommendations,
        ],
    ]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
