"""Assessment analytics and cost analysis (PRODUCT.md §4 analytics, §8).

Definitions:

- **Average passing score by track**: the mean score, in percent, of the track's passed attempts
  (computed by the caller, ``inputs.TrackScoreRow``), in track order.
- **Most difficult questions**: questions answered at least ``min_answered`` times (5 by default:
  a question two agents missed once is noise, not a gap) whose percent correct is below 70%,
  lowest first (ties: most answered first, then question id), the first ``limit`` (5) of them.
- **Training gap**: the distinct topics of the listed difficult questions, in list order (a
  question without a topic stands for itself, by its prompt). None listed, no gap.
- **ROI** = (revenue impact - annual cost) / annual cost (``metrics.roi_percent``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from refairn.reporting.domain.inputs import CostInputs, QuestionStatRow, TrackRow, TrackScoreRow
from refairn.reporting.domain.metrics import roi_percent

DIFFICULT_BELOW_PERCENT = Decimal(70)


@dataclass(frozen=True)
class TrackScore:
    track_id: str
    name: str
    average_passing_score: Decimal | None


@dataclass(frozen=True)
class DifficultQuestion:
    question_id: str
    track_id: str
    track_name: str
    topic: str
    prompt: str
    answered: int
    percent_correct: Decimal
    discrimination: Decimal | None


@dataclass(frozen=True)
class AssessmentAnalytics:
    below_percent: Decimal
    min_answered: int
    track_scores: tuple[TrackScore, ...]
    # How many questions are difficult in all; ``difficult_questions`` lists the first few.
    difficult_total: int
    difficult_questions: tuple[DifficultQuestion, ...]
    training_gap_topics: tuple[str, ...]


@dataclass(frozen=True)
class CostAnalysis:
    currency: str
    annual_cost: Decimal | None
    revenue_impact: Decimal | None
    roi_percent: Decimal | None


def build_analytics(
    *,
    tracks: Sequence[TrackRow],
    question_stats: Sequence[QuestionStatRow],
    track_scores: Sequence[TrackScoreRow],
    limit: int,
    min_answered: int,
) -> AssessmentAnalytics:
    """PRODUCT.md §4/§8 assessment analytics and training gaps (module docs)."""
    names = {track.track_id: track.name for track in tracks}
    given = {row.track_id for row in question_stats} | {row.track_id for row in track_scores}
    unknown = sorted(given - set(names))
    if unknown:
        raise ValueError(f"analytics for unknown tracks {unknown}")
    scores = {row.track_id: row.average_passing_score for row in track_scores}
    difficult = sorted(
        (
            row
            for row in question_stats
            if row.answered >= min_answered and row.percent_correct < DIFFICULT_BELOW_PERCENT
        ),
        key=lambda row: (row.percent_correct, -row.answered, row.question_id),
    )
    listed = tuple(
        DifficultQuestion(
            question_id=row.question_id,
            track_id=row.track_id,
            track_name=names[row.track_id],
            topic=row.topic,
            prompt=row.prompt,
            answered=row.answered,
            percent_correct=row.percent_correct,
            discrimination=row.discrimination,
        )
        for row in difficult[:limit]
    )
    topics = tuple(dict.fromkeys(question.topic or question.prompt for question in listed))
    return AssessmentAnalytics(
        below_percent=DIFFICULT_BELOW_PERCENT,
        min_answered=min_answered,
        track_scores=tuple(TrackScore(t.track_id, t.name, scores.get(t.track_id)) for t in tracks),
        difficult_total=len(difficult),
        difficult_questions=listed,
        training_gap_topics=topics,
    )


def build_costs(costs: CostInputs) -> CostAnalysis:
    """PRODUCT.md §8 cost analysis: the business's figures and the ROI they give."""
    return CostAnalysis(
        currency=costs.currency,
        annual_cost=costs.annual_cost,
        revenue_impact=costs.revenue_impact,
        roi_percent=roi_percent(costs.annual_cost, costs.revenue_impact),
    )
