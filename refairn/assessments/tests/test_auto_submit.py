from datetime import timedelta
from typing import Any

import pytest

from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.tests.factories import right_choice
from refairn.certification.models import Certification
from refairn.certification.services import attempt_submit_overdue, attempts_submit_overdue
from refairn.certification.tasks import attempts_submit_overdue_task
from refairn.core import clock
from refairn.core.periodic import REGISTRY, run_due_jobs
from tests.support import T0

pytestmark = pytest.mark.django_db

DEADLINE = T0 + timedelta(minutes=30)


def test_the_job_is_registered_every_five_minutes() -> None:
    job = REGISTRY["refairn.certification.tasks.attempts_submit_overdue_task"]

    assert job.catches_up is True
    assert job.schedule.minutes == 5  # type: ignore[union-attr]


def test_an_abandoned_attempt_is_submitted_with_its_saved_answers(
    as_bob: Any, bank: Any, start: Any
) -> None:
    attempt = start()
    first, second = attempt["questions"][:2]
    for question in (first, second):
        as_bob.put(
            f"/attempts/{attempt['id']}/answers/{question['id']}",
            {"choice_ids": right_choice(question["id"], attempt["id"])},
        )

    runs = run_due_jobs(T0, T0 + timedelta(hours=1))

    assert "refairn.certification.tasks.attempts_submit_overdue_task" in {r.name for r in runs}
    stored = Attempt.objects.get(pk=attempt["id"])
    assert (stored.state, stored.auto_submitted, stored.submitted_at) == (
        "graded",
        True,
        DEADLINE,
    )
    assert (stored.outcome, stored.passed, stored.score) == ("failed", False, 50)
    earned = AttemptQuestion.objects.filter(attempt=stored, points_awarded=1)
    assert {str(i.question_id) for i in earned} == {first["id"], second["id"]}
    certification = Certification.objects.get(track_id=stored.track_id, agent_id=stored.agent_id)
    assert certification.status == "failed"


def test_an_attempt_still_within_its_time_is_left_open(bank: Any, start: Any) -> None:
    attempt = start()

    with clock.frozen(DEADLINE):
        assert attempts_submit_overdue_task() == 0

    assert Attempt.objects.get(pk=attempt["id"]).state == "in_progress"


def test_running_the_sweep_twice_submits_once(bank: Any, start: Any) -> None:
    attempt = start()
    later = DEADLINE + timedelta(minutes=1)

    assert attempts_submit_overdue(now=later) == 1
    assert attempts_submit_overdue(now=later) == 0
    assert attempt_submit_overdue(attempt_id=attempt["id"], now=later) is False

    stored = Attempt.objects.get(pk=attempt["id"])
    certification = Certification.objects.get(track_id=stored.track_id, agent_id=stored.agent_id)
    assert certification.events.filter(event="submit").count() == 1
