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
    AdaptiveItem,
    AdaptiveTrack,
    QuestionInfo,
    TrackAttempts,
    adaptive_bank_analytics,
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
    # Issue 15: an adaptive track, and its cut ability (None when its bank has none).
    adaptive: bool
    theta_cut: Decimal | None


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
    # Issue 15, questions of adaptive tracks only: the percent of the track's adaptive
    # attempts that showed it, its information at the cut, and the calibration's fit (RMSD).
    exposure: Decimal | None
    information: Decimal | None
    fit_rmsd: Decimal | None
    misfit: bool


@dataclass(frozen=True)
class AssessmentAnalyticsReport:
    """Every track and every question of the business, and (``summary``) the dashboard's
    reading of them with every difficult question listed, not only the first five."""

    as_of: datetime
    tracks: tuple[TrackAnalytics, ...]
    questions: tuple[QuestionAnalytics, ...]
    summary: AssessmentAnalytics


def _places(value: float | None, places: int) -> Decimal | None:
    return None if value is None else round(Decimal(repr(value)), places)


def _tracks(
    tracks: Sequence[TrackRow],
    attempts: Mapping[uuid.UUID, TrackAttempts],
    adaptive: Mapping[uuid.UUID, AdaptiveTrack],
) -> list[TrackAnalytics]:
    by_id = {str(track_id): row for track_id, row in attempts.items()}
    cuts = {str(track_id): row.theta_cut for track_id, row in adaptive.items()}
    empty = TrackAttempts(0, 0, None)
    return [
        TrackAnalytics(
            track_id=track.track_id,
            name=track.name,
            attempts=by_id.get(track.track_id, empty).handed_in,
            passed_attempts=by_id.get(track.track_id, empty).passed,
            average_passing_score=by_id.get(track.track_id, empty).average_passing_score,
            adaptive=track.track_id in cuts,
            theta_cut=_places(cuts.get(track.track_id), 3),
        )
        for track in tracks
    ]


def _exposure(item: AdaptiveItem) -> Decimal | None:
    if not item.attempts:
        return None
    return round(Decimal(100 * item.shown) / item.attempts, 2)


def _questions(
    questions: Sequence[QuestionInfo],
    counts: Mapping[uuid.UUID, QuestionCounts],
    difficult: set[str],
    adaptive: Mapping[uuid.UUID, AdaptiveItem],
) -> list[QuestionAnalytics]:
    rows = []
    for info in questions:
        item = adaptive.get(info.question_id)
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
                exposure=_exposure(item) if item else None,
                information=_places(item.information, 4) if item else None,
                fit_rmsd=_places(item.rmsd, 3) if item else None,
                misfit=item.misfit if item else False,
            )
        )
    return rows


def assessment_analytics_get_for(
    actor: Actor, *, as_of: datetime | None = None
) -> AssessmentAnalyticsReport:
    """API.md: per track (attempts handed in, passed, average passing score) and per question
    (answered, correct, percent correct, discrimination, topic) at ``as_of`` (now by default),
    for the business's staff. A question is difficult by the dashboard's rule (answered at
    least 5 times, under 70% correct). Questions of adaptive tracks add exposure, information
    at the cut and fit (issue 15). Eight queries."""
    business = staff_business(actor)
    moment = report_as_of(as_of)
    tracks = track_rows(business)
    attempts = track_attempts(business, as_of=moment)
    counts = question_counts(business, as_of=moment)
    questions = questions_of(business)
    adaptive_tracks, adaptive_items = adaptive_bank_analytics(business, as_of=moment)
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
        tracks=tuple(_tracks(tracks, attempts, adaptive_tracks)),
        questions=tuple(_questions(questions, counts, difficult, adaptive_items)),
        summary=summary,
    )
