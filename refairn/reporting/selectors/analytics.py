"""The assessment analytics report (PRODUCT.md §4 "per question times answered, percent
correct, discrimination; per track average passing score; most difficult questions"; API.md
``GET /businesses/{b}/reports/assessment-analytics``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from refairn.core.tenancy import Actor
from refairn.reporting.domain.analytics import AssessmentAnalytics, build_analytics
from refairn.reporting.domain.dashboard import DIFFICULT_MIN_ANSWERED
from refairn.reporting.domain.inputs import TrackRow
from refairn.reporting.domain.question_counts import QuestionCounts
from refairn.reporting.selectors.assessments import (
    QuestionInfo,
    TrackAttempts,
    question_counts,
    questions_of,
    track_attempts,
)
from refairn.reporting.selectors.certifications import track_rows
from refairn.reporting.selectors.reports import (
    question_stat_rows,
    report_as_of,
    staff_business,
    track_score_rows,
)


@dataclass(frozen=True)
class TrackAnalytics:
    track_id: str
    name: str
    # Attempts handed in by ``as_of``; those whose pass was final by then.
    attempts: int
    passed_attempts: int
    average_passing_score: Decimal | None


@dataclass(frozen=True)
class QuestionAnalytics:
    question_id: str
    track_id: str
    type: str
    topic: str
    prompt: str
    active: bool
    answered: int
    correct: int
    percent_correct: Decimal | None
    discrimination: Decimal | None
    difficult: bool


@dataclass(frozen=True)
class AssessmentAnalyticsReport:
    """Every track and every question of the business, and (``summary``) the dashboard's
    reading of them with every difficult question listed, not only the first five."""

    as_of: datetime
    tracks: tuple[TrackAnalytics, ...]
    questions: tuple[QuestionAnalytics, ...]
    summary: AssessmentAnalytics


def _tracks(
    tracks: Sequence[TrackRow], attempts: Mapping[uuid.UUID, TrackAttempts]
) -> list[TrackAnalytics]:
    by_id = {str(track_id): row for track_id, row in attempts.items()}
    empty = TrackAttempts(0, 0, None)
    return [
        TrackAnalytics(
            track_id=track.track_id,
            name=track.name,
            attempts=by_id.get(track.track_id, empty).handed_in,
            passed_attempts=by_id.get(track.track_id, empty).passed,
            average_passing_score=by_id.get(track.track_id, empty).average_passing_score,
        )
        for track in tracks
    ]


def _questions(
    questions: Sequence[QuestionInfo],
    counts: Mapping[uuid.UUID, QuestionCounts],
    difficult: set[str],
) -> list[QuestionAnalytics]:
    rows = []
    for info in questions:
        found = counts.get(info.question_id) or QuestionCounts(str(info.question_id), 0, 0, 0, 0)
        rows.append(
            QuestionAnalytics(
                question_id=str(info.question_id),
                track_id=str(info.track_id),
                type=info.type,
                topic=info.topic,
                prompt=info.prompt,
                active=info.active,
                answered=found.answered,
                correct=found.correct,
                percent_correct=found.percent_correct,
                discrimination=found.discrimination,
                difficult=str(info.question_id) in difficult,
            )
        )
    return rows


def assessment_analytics_get_for(
    actor: Actor, *, as_of: datetime | None = None
) -> AssessmentAnalyticsReport:
    """API.md: per track (attempts handed in, passed, average passing score) and per question
    (answered, correct, percent correct, discrimination, topic) at ``as_of`` (now by default),
    for the business's staff. A question is difficult by the dashboard's rule (answered at
    least 5 times, under 70% correct). Five queries."""
    business = staff_business(actor)
    moment = report_as_of(as_of)
    tracks = track_rows(business)
    attempts = track_attempts(business, as_of=moment)
    counts = question_counts(business, as_of=moment)
    questions = questions_of(business)
    stat_rows = question_stat_rows(counts, questions, tracks)
    summary = build_analytics(
        tracks=tracks,
        question_stats=stat_rows,
        track_scores=track_score_rows(attempts),
        limit=max(1, len(stat_rows)),
        min_answered=DIFFICULT_MIN_ANSWERED,
    )
    difficult = {question.question_id for question in summary.difficult_questions}
    return AssessmentAnalyticsReport(
        as_of=moment,
        tracks=tuple(_tracks(tracks, attempts)),
        questions=tuple(_questions(questions, counts, difficult)),
        summary=summary,
    )
