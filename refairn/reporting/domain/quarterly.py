"""The quarterly report (PRODUCT.md §8 "compares with the previous quarter and lists
recommendations derived from the gaps"; the third seed's "CERTIFICATION PROGRAM QUARTERLY
REPORT").

It reads two dashboards: ``current`` as of the quarter's end with the quarter as its routing
window, and ``previous`` (None for a program's first quarter) as of the previous quarter's end
with that quarter as its routing window. Definitions:

- **Overall certification rate**: the fully certified share (``overview``), with its change in
  percentage points from the previous quarter (``metrics.Comparison``: ↑, ↓ or unchanged).
- **Security compliance**: active agents holding every required, security-critical track /
  active agents; None without such a track.
- **Required certifications complete**: required certifications held / (active agents x
  required tracks), against the mean of those tracks' targets (``overview.effective_target``;
  every track has the same denominator, so the mean is the target of the total).
- **Business impact**: the share of tickets routed by certification, with its change; FCR of
  certified vs non-certified routing as a difference in points; CSAT as a difference in rating
  points; the escalation rate as a relative change, (certified - non-certified) /
  non-certified.
- **Recommendations**: ``recommendations.recommend``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from refairn.certification.domain.standing import Standing
from refairn.reporting.domain.analytics import CostAnalysis
from refairn.reporting.domain.dashboard import Dashboard
from refairn.reporting.domain.metrics import (
    HUNDRED,
    Comparison,
    Mean,
    Ratio,
    compare,
    relative_change,
    round_half_up,
)
from refairn.reporting.domain.overview import effective_target
from refairn.reporting.domain.periods import (
    Period,
    next_quarter,
    parse_quarter,
    previous_quarter,
    quarter_name,
    quarter_title,
)
from refairn.reporting.domain.recommendations import Recommendation, recommend
from refairn.training.domain import Requirement


@dataclass(frozen=True)
class QuarterlyCompletion:
    overall: Comparison
    security: Comparison | None
    required: Comparison
    # The mean target rounded to 0.1; ``required_met`` compares with the exact mean.
    required_target_percent: Decimal | None
    required_met: bool | None


@dataclass(frozen=True)
class BusinessImpact:
    by_certification: Comparison
    certified_fcr: Ratio
    non_certified_fcr: Ratio
    fcr_difference_points: Decimal | None
    certified_csat: Mean
    non_certified_csat: Mean
    csat_difference: Decimal | None
    certified_escalation: Ratio
    non_certified_escalation: Ratio
    escalation_change_percent: Decimal | None


@dataclass(frozen=True)
class QuarterlyReport:
    business_name: str
    quarter: str
    period: Period
    as_of: datetime  # the quarter's end, or earlier while it runs
    previous_quarter: str
    next_quarter: str
    completion: QuarterlyCompletion
    impact: BusinessImpact
    costs: CostAnalysis
    recommendations: tuple[Recommendation, ...]


def security_compliance(dashboard: Dashboard) -> Ratio | None:
    """Active agents holding every required, security-critical track (module docs)."""
    critical = [
        track.track_id
        for track in dashboard.tracks
        if track.requirement == Requirement.REQUIRED and track.security_critical
    ]
    if not critical:
        return None
    compliant = sum(
        all(row.standings[track_id] is Standing.CERTIFIED for track_id in critical)
        for row in dashboard.matrix
    )
    return Ratio(compliant, len(dashboard.matrix))


def required_completion(dashboard: Dashboard) -> tuple[Ratio, Fraction | None]:
    """Required certifications held of those required, and the mean target (module docs)."""
    required = dashboard.overview.required_track_ids
    held = sum(
        row.standings[track_id] is Standing.CERTIFIED
        for row in dashboard.matrix
        for track_id in required
    )
    targets = [
        Fraction(target)
        for track in dashboard.tracks
        if track.track_id in required and (target := effective_target(track)) is not None
    ]
    mean = sum(targets, Fraction(0)) / len(targets) if targets else None
    return Ratio(held, len(dashboard.matrix) * len(required)), mean


def _check_dashboard(dashboard: Dashboard, period: Period, which: str, *, running: bool) -> None:
    """The dashboard must be the quarter's: its routing window, as of its end (or, for a
    ``running`` quarter, as of any time within it)."""
    at_end = dashboard.as_of == period.end
    within = running and period.start < dashboard.as_of < period.end
    if not (at_end or within) or dashboard.routing.window != period:
        raise ValueError(
            f"the {which} dashboard must be as of {period.end} with the quarter "
            f"{quarter_name(period)} as its routing window"
        )


def _completion(current: Dashboard, previous: Dashboard | None) -> QuarterlyCompletion:
    security = security_compliance(current)
    required, target = required_completion(current)
    rate = required.fraction
    return QuarterlyCompletion(
        overall=compare(
            current.overview.fully_certified,
            previous.overview.fully_certified if previous else None,
        ),
        security=None
        if security is None
        else compare(security, security_compliance(previous) if previous else None),
        required=compare(required, required_completion(previous)[0] if previous else None),
        required_target_percent=None if target is None else round_half_up(target, 1),
        required_met=None if target is None or rate is None else rate * HUNDRED >= target,
    )


def _difference(value: Fraction | None, other: Fraction | None, scale: Fraction) -> Decimal | None:
    return None if value is None or other is None else round_half_up((value - other) * scale, 1)


def _impact(current: Dashboard, previous: Dashboard | None) -> BusinessImpact:
    certified, non_certified = current.routing.certified, current.routing.non_certified
    return BusinessImpact(
        by_certification=compare(
            current.routing.by_certification,
            previous.routing.by_certification if previous else None,
        ),
        certified_fcr=certified.first_contact,
        non_certified_fcr=non_certified.first_contact,
        fcr_difference_points=_difference(
            certified.first_contact.fraction, non_certified.first_contact.fraction, HUNDRED
        ),
        certified_csat=certified.csat,
        non_certified_csat=non_certified.csat,
        csat_difference=_difference(
            certified.csat.fraction, non_certified.csat.fraction, Fraction(1)
        ),
        certified_escalation=certified.escalation,
        non_certified_escalation=non_certified.escalation,
        escalation_change_percent=relative_change(
            certified.escalation.fraction, non_certified.escalation.fraction
        ),
    )


def build_quarterly(
    *, quarter: str, current: Dashboard, previous: Dashboard | None
) -> QuarterlyReport:
    """PRODUCT.md §8 quarterly report for ``quarter`` ("2026-Q4"), compared with the previous
    quarter (module docs). Dashboards not taken at the quarters' ends are refused, except the
    current one of a quarter still running."""
    period = parse_quarter(quarter)
    before = previous_quarter(period)
    _check_dashboard(current, period, "current", running=True)
    if previous is not None:
        _check_dashboard(previous, before, "previous", running=False)
    completion = _completion(current, previous)
    return QuarterlyReport(
        business_name=current.business_name,
        quarter=quarter,
        period=period,
        as_of=current.as_of,
        previous_quarter=quarter_name(before),
        next_quarter=quarter_name(next_quarter(period)),
        completion=completion,
        impact=_impact(current, previous),
        costs=current.costs,
        recommendations=recommend(current, completion.overall, quarter_title(before)),
    )
