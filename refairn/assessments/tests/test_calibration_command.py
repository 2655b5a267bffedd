"""Issue 15 item 2: `refairn assessments calibrate --track X` and the weekly job calibrate a
bank from its attempt history and report the questions that fit badly or were never asked."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from refairn.assessments.domain.calibration import simulate_responses
from refairn.assessments.domain.irt import ItemParameters
from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.assessments.tests.factories import make_track, mc
from refairn.core.periodic import REGISTRY, WeeklyAt, run_due_jobs
from refairn.training.models import Track
from tests.support import T0

pytestmark = pytest.mark.django_db

ITEMS = 6
ATTEMPTS = 400


@pytest.fixture
def history(business_a: Any, bob: Any) -> tuple[Track, list[Question], Question, Question]:
    """An adaptive track whose first six questions were answered in 400 attempts (by simulated
    agents of known items), one question answered only a few times, one never."""
    track = make_track(business_a, name="Adaptive", assessment_mode="adaptive")
    rng = np.random.default_rng(15)
    truth = [ItemParameters(1.3, b, 0.15) for b in np.linspace(-1.5, 1.5, ITEMS)]
    asked = [mc(track, f"Asked {n}") for n in range(ITEMS)]
    rare, never = mc(track, "Rarely asked"), mc(track, "Never asked")
    right = simulate_responses(truth, rng.normal(0, 1, ATTEMPTS), rng)
    attempts = Attempt.objects.bulk_create(
        Attempt(
            business_id=business_a.id,
            track=track,
            agent=bob,
            cycle=1,
            number=n + 1,
            state="graded",
            deadline=T0,
            submitted_at=T0,
        )
        for n in range(ATTEMPTS)
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            business_id=attempt.business_id,
            attempt=attempt,
            question=question,
            position=j + 1,
            max_points=1,
            answered_at=T0,
            points_awarded=Decimal(int(right[n, j])),
        )
        for n, attempt in enumerate(attempts)
        for j, question in enumerate(asked)
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            business_id=attempt.business_id,
            attempt=attempt,
            question=rare,
            position=ITEMS + 1,
            max_points=1,
            answered_at=T0,
            points_awarded=Decimal(1),
        )
        for attempt in attempts[:5]
    )
    return track, asked, rare, never


def test_the_command_calibrates_and_reports(history: Any) -> None:
    track, asked, rare, never = history
    out = io.StringIO()

    call_command("assessments", "calibrate", "--track", str(track.id), stdout=out)

    text = out.getvalue()
    assert "EM cycles" in text and "[" in text  # the progress bar
    assert f"{ITEMS} questions calibrated from {ATTEMPTS} attempts" in text
    assert f"Never asked: 1\n  {never.id}  Never asked" in text
    assert f"Too few responses (left as they were): 1\n  {rare.id}  Rarely asked" in text
    stored = [Question.objects.get(pk=q.pk) for q in asked]
    assert all(q.irt_source == "calibrated" and q.irt_responses == ATTEMPTS for q in stored)
    assert all(q.irt_rmsd is not None and q.irt_rmsd < 0.1 for q in stored)
    difficulties = [q.irt_b for q in stored]
    assert difficulties == sorted(difficulties)  # the true order, easiest first
    assert Question.objects.get(pk=rare.pk).irt_a is None


def test_the_command_takes_the_minimum_and_refuses_an_unknown_track(history: Any) -> None:
    track, _, rare, _ = history
    out = io.StringIO()

    call_command(
        "assessments", "calibrate", "--track", str(track.id), "--min-responses", "3", stdout=out
    )
    assert Question.objects.get(pk=rare.pk).irt_source == "calibrated"
    with pytest.raises(CommandError, match="No track"):
        call_command("assessments", "calibrate", "--track", "nope")


def test_the_weekly_job_calibrates_the_adaptive_tracks(history: Any) -> None:
    _, asked, _, _ = history
    job = REGISTRY["refairn.assessments.tasks.adaptive_tracks_calibrate_task"]
    assert job.schedule == WeeklyAt(weekday=0, hour=3)

    runs = run_due_jobs(T0, T0 + timedelta(days=7))

    assert job.name in {r.name for r in runs}
    assert Question.objects.get(pk=asked[0].pk).irt_source == "calibrated"
