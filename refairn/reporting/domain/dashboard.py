"""The certification dashboard (PRODUCT.md §8, the third seed's "AGENT CERTIFICATION
DASHBOARD"): one tree of figures at an ``as_of`` instant, rendered as JSON, text and CSV.

Each block's module defines its figures: ``overview`` (overview, completion by track, agent
matrix), ``routing_impact``, ``renewals``, ``analytics`` (assessment analytics, costs) and
``recognition``; ``metrics`` says how they are rounded and ``periods`` which month and quarter
an ``as_of`` covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from refairn.reporting.domain.analytics import (
    AssessmentAnalytics,
    CostAnalysis,
    build_analytics,
    build_costs,
)
from refairn.reporting.domain.inputs import (
    AgentRow,
    CostInputs,
    QuestionStatRow,
    RoutingRow,
    TrackRow,
    TrackScoreRow,
)
from refairn.reporting.domain.overview import (
    MatrixRow,
    Overview,
    TrackCompletion,
    build_completion,
    build_matrix,
    build_overview,
    standings_at,
)
from refairn.reporting.domain.periods import Period, month_of, quarter_of, require_aware
from refairn.reporting.domain.recognition import Recognition, build_recognition
from refairn.reporting.domain.renewals import RenewalTracking, build_renewals
from refairn.reporting.domain.routing_impact import RoutingImpact, build_routing_impact

NEW_HIRE_DAYS = 30
DIFFICULT_LIMIT = 5
DIFFICULT_MIN_ANSWERED = 5


@dataclass(frozen=True)
class Dashboard:
    business_name: str
    as_of: datetime
    month: Period
    quarter: Period
    new_hire_days: int
    tracks: tuple[TrackRow, ...]
    overview: Overview
    completion: tuple[TrackCompletion, ...]
    matrix: tuple[MatrixRow, ...]
    routing: RoutingImpact
    renewals: RenewalTracking
    analytics: AssessmentAnalytics
    recognition: Recognition
    costs: CostAnalysis


def _require_unique(ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise ValueError(f"{what} {value} appears twice")
        seen.add(value)


def build_dashboard(
    *,
    as_of: datetime,
    business_name: str,
    tracks: Sequence[TrackRow],
    agents: Sequence[AgentRow],
    routing: Sequence[RoutingRow],
    routing_window: Period,
    question_stats: Sequence[QuestionStatRow],
    track_scores: Sequence[TrackScoreRow],
    costs: CostInputs,
    new_hire_days: int = NEW_HIRE_DAYS,
    difficult_limit: int = DIFFICULT_LIMIT,
    difficult_min_answered: int = DIFFICULT_MIN_ANSWERED,
) -> Dashboard:
    """PRODUCT.md §8: the certification dashboard of the third seed from the program's rows.

    ``tracks`` in display order; ``agents`` are the active agents at ``as_of``; ``routing`` the
    ticket counts of ``routing_window`` (``periods.trailing_window(as_of)`` for a dashboard, the
    quarter for a quarterly report). Rows naming unknown tracks, or repeated ids, are refused.
    """
    as_of = require_aware(as_of, "as_of").astimezone(UTC)
    if new_hire_days < 1 or difficult_limit < 1 or difficult_min_answered < 1:
        raise ValueError("new_hire_days, difficult_limit and difficult_min_answered must be >= 1")
    _require_unique([track.track_id for track in tracks], "track")
    _require_unique([agent.agent_id for agent in agents], "agent")
    _require_unique([row.question_id for row in question_stats], "question")
    _require_unique([row.track_id for row in track_scores], "track score for")
    standings = standings_at(tracks, agents, as_of)
    matrix = build_matrix(tracks=tracks, agents=agents, standings=standings)
    month = month_of(as_of)
    return Dashboard(
        business_name=business_name,
        as_of=as_of,
        month=month,
        quarter=quarter_of(as_of),
        new_hire_days=new_hire_days,
        tracks=tuple(tracks),
        overview=build_overview(
            tracks=tracks,
            agents=agents,
            standings=standings,
            as_of=as_of,
            new_hire_days=new_hire_days,
        ),
        completion=build_completion(tracks=tracks, standings=standings),
        matrix=matrix,
        routing=build_routing_impact(rows=routing, window=routing_window),
        renewals=build_renewals(
            tracks=tracks,
            agents=agents,
            standings=standings,
            as_of=as_of,
            quarter=quarter_of(as_of),
        ),
        analytics=build_analytics(
            tracks=tracks,
            question_stats=question_stats,
            track_scores=track_scores,
            limit=difficult_limit,
            min_answered=difficult_min_answered,
        ),
        recognition=build_recognition(
            tracks=tracks,
            agents=agents,
            standings=standings,
            matrix=matrix,
            as_of=as_of,
            month=month,
            new_hire_days=new_hire_days,
        ),
        costs=build_costs(costs),
    )
