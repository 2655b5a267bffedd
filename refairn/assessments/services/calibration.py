"""Calibration of a track's item bank from its attempt history (issue 15 item 2): the writes
around ``domain.calibration``. A respondent is one attempt; a response is a multiple-choice
question the attempt answered (right when it earned its full points). Questions shown but left
unanswered are missing, not wrong: in an adaptive attempt that is the open question at the
deadline, in a fixed form a skipped one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F

from refairn.assessments import domain
from refairn.assessments.domain.calibration import (
    CalibrationReport,
    ResponseMatrix,
    calibrate,
)
from refairn.assessments.domain.sources import IrtSource
from refairn.assessments.models import AttemptQuestion, Question
from refairn.training.domain import AssessmentMode
from refairn.training.models import Track

log = logging.getLogger(__name__)


def min_responses_setting() -> int:
    """``REFAIRN_CALIBRATION_MIN_RESPONSES`` (200): responses a question needs to be calibrated."""
    return int(settings.REFAIRN_CALIBRATION_MIN_RESPONSES)


def track_responses(track: Track) -> ResponseMatrix:
    """Every answered multiple-choice question of the track's handed-in attempts, and the
    active multiple-choice questions never answered (reported as never asked)."""
    rows = (
        AttemptQuestion.objects.filter(
            attempt__track=track,
            attempt__submitted_at__isnull=False,
            answered_at__isnull=False,
            points_awarded__isnull=False,
            question__type=domain.QuestionType.MULTIPLE_CHOICE,
        )
        .annotate(full=F("max_points"))
        .values_list("attempt_id", "question_id", "points_awarded", "full")
    )
    bank = Question.objects.filter(
        track=track, active=True, type=domain.QuestionType.MULTIPLE_CHOICE
    ).values_list("id", flat=True)
    return ResponseMatrix.from_responses(
        ((str(a), str(q), points == full) for a, q, points, full in rows),
        items=(str(q) for q in bank),
    )


@transaction.atomic
def track_calibrate(
    track: Track,
    *,
    min_responses: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CalibrationReport:
    """Issue 15: 3PL parameters for every question of the track with enough responses, stored
    as ``calibrated`` with their response count and fit; the others keep what they had."""
    report = calibrate(
        track_responses(track),
        min_responses=min_responses or min_responses_setting(),
        progress=progress,
    )
    questions = {str(q.id): q for q in Question.objects.filter(pk__in=[*report.calibrated])}
    for item_id, parameters in report.calibrated.items():
        question, result = questions[item_id], report.items[item_id]
        question.irt_a, question.irt_b, question.irt_c = parameters.a, parameters.b, parameters.c
        question.irt_source = IrtSource.CALIBRATED
        question.irt_responses, question.irt_rmsd = result.responses, result.rmsd
    Question.objects.bulk_update(
        questions.values(), ["irt_a", "irt_b", "irt_c", "irt_source", "irt_responses", "irt_rmsd"]
    )
    return report


def adaptive_tracks_calibrate() -> int:
    """The weekly job: every adaptive track recalibrated, each on its own, so one that fails
    (logged) does not hold back the others. Returns how many questions were calibrated."""
    calibrated = 0
    for track in Track.objects.filter(assessment_mode=AssessmentMode.ADAPTIVE):
        try:
            report = track_calibrate(track)
        except Exception:
            log.exception("could not calibrate track %s", track.id)
            continue
        calibrated += len(report.calibrated)
        if report.misfitting:
            log.warning(
                "track %s: %d questions fit badly: %s",
                track.id,
                len(report.misfitting),
                ", ".join(report.misfitting),
            )
    return calibrated
