"""Assessment analytics (PRODUCT.md §4 "per question times answered, percent correct,
discrimination; per track average passing score"): aggregate queries whatever the number of
attempts. The figures follow ``assessments.domain.statistics`` (``reporting.domain.
question_counts`` explains how they come from counts)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connections
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Cast, RowNumber

from refairn.assessments.domain.calibration import DEFAULT_MISFIT_RMSD
from refairn.assessments.domain.irt import (
    BankArrays,
    CutUnreachable,
    ItemParameters,
    cut_theta,
    item_information,
)
from refairn.assessments.domain.questions import QuestionType
from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.programs.models import Business
from refairn.reporting.domain.question_counts import QuestionCounts, mean_percent
from refairn.training.domain import AssessmentMode

_IRT = ("irt_a", "irt_b", "irt_c", "irt_rmsd")
# Full points: ``QuestionResult.correct``.
_CORRECT = Q(points_awarded__gte=F("max_points"))
# ``question_counts.group_size`` in SQL: integer division truncates, which is floor here.
_GROUP = "(CASE WHEN (27 * draw_count + 50) / 100 < 1 THEN 1 ELSE (27 * draw_count + 50) / 100 END)"
# Counts over the ranked draws. Only Django's compiled SQL is put in; values travel as params.
_COUNTS = (
    "SELECT question_id, COUNT(*), SUM(correct), "  # noqa: S608
    f"SUM(CASE WHEN draw_rank > draw_count - {_GROUP} THEN correct ELSE 0 END), "
    f"SUM(CASE WHEN draw_rank <= {_GROUP} THEN correct ELSE 0 END) "
    "FROM ({ranked}) ranked GROUP BY question_id"
)


def _final_draws(business: Business, as_of: datetime) -> QuerySet[AttemptQuestion]:
    """The questions drawn by the final attempts graded by ``as_of`` (an attempt still awaiting
    a reviewer is left out: its total is not known yet). Read by the draws' own business, whose
    index (with the question) keeps other businesses' draws unread (issue 17); the attempts
    too are read by their business (its index), not joined whole."""
    return AttemptQuestion.objects.filter(
        business=business,
        attempt__business=business,
        attempt__state=Attempt.State.GRADED,
        attempt__graded_at__lte=as_of,
        attempt__total_points__gt=0,
    )


def question_answers(business: Business, *, as_of: datetime) -> dict[uuid.UUID, QuestionCounts]:
    """Each question's times answered and times correct (full points), without ranking: no
    discrimination. One query."""
    rows = (
        _final_draws(business, as_of)
        .values("question_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=_CORRECT))
        .order_by()
    )
    return {
        row["question_id"]: QuestionCounts(str(row["question_id"]), row["answered"], row["correct"])
        for row in rows
    }


def question_counts(
    business: Business, *, as_of: datetime, question_ids: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, QuestionCounts]:
    """Each question's counts with the Kelley groups (of ``question_ids`` only, when given).
    One query (none for no question).

    Attempts are ranked per question by total percentage, ties by hand-in time then id: the
    order ``question_statistics`` keeps for ties when given attempts in that order. The
    ranking is a window function; the counting wraps it, since SQL cannot aggregate a window
    function in the same SELECT.
    """
    ratio = Cast("attempt__earned_points", FloatField()) / Cast(
        "attempt__total_points", FloatField()
    )
    draws = _final_draws(business, as_of)
    if question_ids is not None:
        if not question_ids:
            return {}
        draws = draws.filter(question_id__in=list(question_ids))
    ranked = (
        draws.annotate(
            correct=Case(When(_CORRECT, then=Value(1)), default=Value(0)),
            draw_rank=Window(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=[ratio.asc(), F("attempt__submitted_at").asc(), F("attempt_id").asc()],
            ),
            draw_count=Window(Count("pk"), partition_by=[F("question_id")]),
        )
        .order_by()
        .values("question_id", "correct", "draw_rank", "draw_count")
    )
    inner, params = ranked.query.sql_with_params()
    with connections[ranked.db].cursor() as cursor:
        cursor.execute(_COUNTS.format(ranked=inner), params)
        rows = cursor.fetchall()
    result = {}
    for question_id, answered, correct, upper, lower in rows:
        key = uuid.UUID(str(question_id))
        result[key] = QuestionCounts(str(key), answered, int(correct), int(upper), int(lower))
    return result


@dataclass(frozen=True)
class TrackAttempts:
    """A track's handed-in attempts by ``as_of``, those that passed, and the passed ones' mean
    score in percent (PRODUCT.md §4 "average passing score")."""

    handed_in: int
    passed: int
    average_passing_score: Decimal | None


def track_attempts(business: Business, *, as_of: datetime) -> dict[uuid.UUID, TrackAttempts]:
    """Per track: attempts handed in by ``as_of``, and those whose pass was final by then with
    their mean score. One query."""
    final_pass = Q(passed=True, score__isnull=False, graded_at__lte=as_of)
    rows = (
        Attempt.objects.filter(business=business, submitted_at__lte=as_of)
        .values("track_id")
        .annotate(
            handed_in=Count("pk"),
            passed_count=Count("pk", filter=final_pass),
            passed_total=Sum("score", filter=final_pass),
        )
        .order_by()
    )
    return {
        row["track_id"]: TrackAttempts(
            handed_in=row["handed_in"],
            passed=row["passed_count"],
            average_passing_score=mean_percent(
                Decimal(row["passed_total"] or 0), row["passed_count"]
            ),
        )
        for row in rows
    }


@dataclass(frozen=True)
class QuestionInfo:
    question_id: uuid.UUID
    track_id: uuid.UUID
    type: str
    title: str
    topic: str
    prompt: str
    active: bool


def questions_of(business: Business) -> list[QuestionInfo]:
    """Every question of the business, by track then creation. One query."""
    rows = Question.objects.filter(business=business).order_by(
        "track__position", "track__created_at", "track_id", "created_at", "id"
    )
    return [
        QuestionInfo(*row)
        for row in rows.values_list("id", "track_id", "type", "title", "topic", "prompt", "active")
    ]


@dataclass(frozen=True)
class AdaptiveItem:
    """Issue 15 item 5: a question of an adaptive track as the item bank sees it. ``shown``
    counts the track's handed-in adaptive attempts that showed it, of ``attempts``;
    ``information`` is its Fisher information at the track's cut (None without parameters or
    cut); ``rmsd`` the last calibration's fit (None before one)."""

    shown: int
    attempts: int
    information: float | None
    rmsd: float | None
    misfit: bool


@dataclass(frozen=True)
class AdaptiveTrack:
    theta_cut: float | None


def adaptive_bank_analytics(
    business: Business, *, as_of: datetime
) -> tuple[dict[uuid.UUID, AdaptiveTrack], dict[uuid.UUID, AdaptiveItem]]:
    """Per adaptive track its cut, per question of one its exposure, information at the cut
    and fit. Three queries."""
    questions = list(
        Question.objects.filter(
            business=business, track__assessment_mode=AssessmentMode.ADAPTIVE
        ).values_list("id", "track_id", "track__passing_score", "active", "type", *_IRT)
    )
    handed_in = Attempt.objects.filter(
        business=business, adaptive_state__isnull=False, submitted_at__lte=as_of
    )
    attempts = dict(
        handed_in.values("track_id").annotate(n=Count("pk")).values_list("track_id", "n")
    )
    shown = dict(
        AttemptQuestion.objects.filter(business=business, attempt__in=handed_in)
        .values("question_id")
        .annotate(n=Count("attempt_id"))
        .values_list("question_id", "n")
    )
    banks: dict[uuid.UUID, dict[str, ItemParameters]] = {}
    passing: dict[uuid.UUID, Decimal] = {}
    for qid, track_id, passing_score, active, kind, a, b, c, _ in questions:
        passing[track_id] = passing_score
        if active and kind == QuestionType.MULTIPLE_CHOICE and a is not None:
            banks.setdefault(track_id, {})[str(qid)] = ItemParameters(a, b, c)
    tracks = {
        track_id: AdaptiveTrack(_cut(banks.get(track_id, {}), score))
        for track_id, score in passing.items()
    }
    items = {}
    for qid, track_id, _, _, _, a, b, c, rmsd in questions:
        cut = tracks[track_id].theta_cut
        information = None
        if cut is not None and a is not None:
            information = item_information(cut, ItemParameters(a, b, c))
        items[qid] = AdaptiveItem(
            shown=shown.get(qid, 0),
            attempts=attempts.get(track_id, 0),
            information=information,
            rmsd=rmsd,
            misfit=rmsd is not None and rmsd > DEFAULT_MISFIT_RMSD,
        )
    return tracks, items


def _cut(bank: dict[str, ItemParameters], passing_score: Decimal) -> float | None:
    if not bank:
        return None
    try:
        return cut_theta(BankArrays.of(bank), float(passing_score))
    except CutUnreachable:
        return None
