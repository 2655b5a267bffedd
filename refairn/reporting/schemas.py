"""The reports' JSON (API.md "Reports"), documented for the OpenAPI document.

The JSON itself comes from ``reporting.domain.json_export`` (the dataclass tree field by field);
these schemas describe it and check it on the way out. Decimals are strings ("81.0"), instants
ISO 8601 strings in UTC; a ``Ratio`` is ``{"part","whole","percent"}`` and a ``Mean``
``{"total","count","value"}`` (the rounded figure null when the denominator is 0).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from refairn.certification.domain.levels import Level
from refairn.certification.domain.standing import Standing
from refairn.reporting.domain.audit import AuditKind
from refairn.reporting.domain.metrics import Direction
from refairn.reporting.domain.overview import CompletionStatus
from refairn.reporting.domain.recommendations import RecommendationKind
from refairn.reporting.domain.renewals import Priority
from refairn.training.domain import Requirement

Instant = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
DecimalText = Annotated[str, Field(json_schema_extra={"format": "decimal"})]


class PeriodOut(Schema):
    """``[start, end)`` in UTC."""

    start: Instant
    end: Instant


class RatioOut(Schema):
    part: int
    whole: int
    percent: DecimalText | None


class MeanOut(Schema):
    total: int
    count: int
    value: DecimalText | None


class TrackRowOut(Schema):
    track_id: str
    name: str
    requirement: Requirement
    security_critical: bool
    target_percent: DecimalText | None
    short_name: str | None


class OverviewOut(Schema):
    active_agents: int
    required_track_ids: list[str]
    fully_certified: RatioOut
    partially_certified: RatioOut
    not_yet_certified: RatioOut
    new_hires_not_yet_certified: int
    certifications_held: int
    expiring_within_30_days: int
    expired: int
    agents_flagged_for_renewal: int


class TrackCompletionOut(Schema):
    track_id: str
    name: str
    requirement: Requirement
    completed: RatioOut
    target_percent: DecimalText | None
    status: CompletionStatus
    missing_agents: int


class MatrixRowOut(Schema):
    agent_id: str
    name: str
    standings: dict[str, Standing] = Field(description="track id -> standing")
    certified: int
    track_count: int
    level: Level


class RouteStatsOut(Schema):
    tickets: int
    resolution: RatioOut
    escalation: RatioOut
    first_contact: RatioOut
    csat: MeanOut


class RuleRefOut(Schema):
    name: str
    requires: str


class RuleImpactOut(Schema):
    rule: RuleRefOut
    certified: RouteStatsOut
    fallback: RouteStatsOut


class RoutingImpactOut(Schema):
    window: PeriodOut
    tickets: int
    by_certification: RatioOut
    certified: RouteStatsOut
    non_certified: RouteStatsOut
    fallback: RouteStatsOut
    unmatched: RouteStatsOut
    rules: list[RuleImpactOut]


class TrackRenewalsOut(Schema):
    track_id: str
    name: str
    requirement: Requirement
    security_critical: bool
    expiring_this_quarter: int
    completed: int
    pending: int
    overdue: int
    due_within_30_days: int
    priority: Priority | None


class RenewalTrackingOut(Schema):
    quarter: PeriodOut
    expiring_this_quarter: int
    completed: RatioOut
    pending: RatioOut
    overdue_certifications: int
    overdue_agents: int
    tracks: list[TrackRenewalsOut]
    priorities: list[TrackRenewalsOut]


class TrackScoreOut(Schema):
    track_id: str
    name: str
    average_passing_score: DecimalText | None


class DifficultQuestionOut(Schema):
    question_id: str
    track_id: str
    track_name: str
    topic: str
    prompt: str
    answered: int
    percent_correct: DecimalText
    discrimination: DecimalText | None


class AnalyticsSummaryOut(Schema):
    below_percent: DecimalText
    min_answered: int
    track_scores: list[TrackScoreOut]
    difficult_total: int
    difficult_questions: list[DifficultQuestionOut]
    training_gap_topics: list[str]


class TopAgentOut(Schema):
    agent_id: str
    name: str
    certified: int
    track_count: int
    renewed_early: int


class NamedAgentOut(Schema):
    agent_id: str
    name: str


class FirstCertificationOut(Schema):
    agent_id: str
    name: str
    new_hire: bool
    track_names: list[str]


class RecognitionOut(Schema):
    month: PeriodOut
    top_agent: TopAgentOut | None
    new_certifications: int
    masters: list[NamedAgentOut]
    first_certifications: list[FirstCertificationOut]


class CostAnalysisOut(Schema):
    currency: str
    annual_cost: DecimalText | None
    revenue_impact: DecimalText | None
    roi_percent: DecimalText | None


class DashboardOut(Schema):
    """PRODUCT.md §8, the third seed's certification dashboard; docs/metrics.md defines every
    figure."""

    business_name: str
    as_of: Instant
    month: PeriodOut
    quarter: PeriodOut
    new_hire_days: int
    tracks: list[TrackRowOut]
    overview: OverviewOut
    completion: list[TrackCompletionOut]
    matrix: list[MatrixRowOut]
    routing: RoutingImpactOut
    renewals: RenewalTrackingOut
    analytics: AnalyticsSummaryOut
    recognition: RecognitionOut
    costs: CostAnalysisOut


class ComparisonOut(Schema):
    current: RatioOut
    previous: RatioOut | None
    change_points: DecimalText | None
    direction: Direction | None


class QuarterlyCompletionOut(Schema):
    overall: ComparisonOut
    security: ComparisonOut | None
    required: ComparisonOut
    required_target_percent: DecimalText | None
    required_met: bool | None


class BusinessImpactOut(Schema):
    by_certification: ComparisonOut
    certified_fcr: RatioOut
    non_certified_fcr: RatioOut
    fcr_difference_points: DecimalText | None
    certified_csat: MeanOut
    non_certified_csat: MeanOut
    csat_difference: DecimalText | None
    certified_escalation: RatioOut
    non_certified_escalation: RatioOut
    escalation_change_percent: DecimalText | None


class RecommendationOut(Schema):
    kind: RecommendationKind
    subject: str
    text: str


class QuarterlyReportOut(Schema):
    """PRODUCT.md §8, the third seed's quarterly report, compared with the previous quarter."""

    business_name: str
    quarter: str
    period: PeriodOut
    as_of: Instant = Field(description="the quarter's end, or now while the quarter runs")
    previous_quarter: str
    next_quarter: str
    completion: QuarterlyCompletionOut
    impact: BusinessImpactOut
    costs: CostAnalysisOut
    recommendations: list[RecommendationOut]


class TrackAnalyticsOut(Schema):
    track_id: str
    name: str
    attempts: int = Field(description="attempts handed in by as_of")
    passed_attempts: int
    average_passing_score: DecimalText | None
    adaptive: bool
    theta_cut: DecimalText | None = Field(
        description="adaptive: the ability where the bank's expected score is the passing score"
    )


class QuestionAnalyticsOut(Schema):
    question_id: str
    track_id: str
    type: str
    topic: str
    prompt: str
    active: bool
    answered: int = Field(description="final attempts that drew the question")
    correct: int = Field(description="of those, answers that earned full points")
    percent_correct: DecimalText | None
    discrimination: DecimalText | None = Field(description="upper-lower 27% index, -1 to 1")
    difficult: bool
    exposure: DecimalText | None = Field(
        description="adaptive: percent of the track's adaptive attempts that showed it"
    )
    information: DecimalText | None = Field(
        description="adaptive: Fisher information of its 3PL curve at the track's cut"
    )
    fit_rmsd: DecimalText | None = Field(description="adaptive: the last calibration's RMSD")
    misfit: bool = Field(description="adaptive: fit_rmsd above 0.1")


class AssessmentAnalyticsOut(Schema):
    as_of: Instant
    tracks: list[TrackAnalyticsOut]
    questions: list[QuestionAnalyticsOut]
    summary: AnalyticsSummaryOut


class AuditEntryOut(Schema):
    """One line of a business's audit log (issue 18): ``actor_id`` null when the platform acted
    (a scheduled job, the router); ``id`` names the line across pages."""

    id: str
    at: datetime
    kind: AuditKind
    action: str
    actor_id: str | None
    actor: str
    target_type: str
    target_id: str
    target: str
    reason: str
