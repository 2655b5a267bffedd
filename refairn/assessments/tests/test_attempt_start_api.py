from datetime import timedelta
from typing import Any

import pytest

from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.tests.factories import mc, set_program, shown_choices
from refairn.certification.models import Certification
from refairn.training.models import Module
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db


def test_an_agent_starts_a_timed_attempt(as_bob: Any, track: Any, bank: Any) -> None:
    response = as_bob.post(f"/tracks/{track.id}/attempts")

    assert response.status_code == 201, response.body
    body = response.body
    assert body["adaptive"] is False
    assert body["deadline"] == (T0 + timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
    assert len(body["questions"]) == 4
    assert {q["id"] for q in body["questions"]} == {str(q.id) for q in bank}
    for question in body["questions"]:
        assert set(question) == {"id", "type", "prompt", "choices"}
        assert all(set(choice) == {"id", "text"} for choice in question["choices"])
    attempt = Attempt.objects.get(pk=body["id"])
    assert (attempt.state, attempt.number, attempt.cycle) == ("in_progress", 1, 1)
    assert attempt.items.count() == 4
    assert Certification.objects.get(track=track, agent=attempt.agent).attempts_used == 1


def test_the_draw_takes_the_track_question_count_from_the_active_bank(
    as_bob: Any, track: Any, bank: Any
) -> None:
    track.question_count = 3
    track.save(update_fields=["question_count"])
    retired = mc(track, "Retired")
    retired.active = False
    retired.save(update_fields=["active"])

    questions = as_bob.post(f"/tracks/{track.id}/attempts").body["questions"]

    assert len(questions) == 3
    assert str(retired.id) not in {q["id"] for q in questions}


def test_choices_are_shown_in_the_stored_shuffled_order(as_bob: Any, track: Any, bank: Any) -> None:
    body = as_bob.post(f"/tracks/{track.id}/attempts").body

    for question in body["questions"]:
        item = AttemptQuestion.objects.get(attempt_id=body["id"], question_id=question["id"])
        authored = dict(
            zip((c.id for c in shown_choices(question["id"], body["id"])), "abc", strict=True)
        )
        assert [authored[c["id"]] for c in question["choices"]] == item.choice_order
        assert sorted(item.choice_order) == ["a", "b", "c"]


def test_without_training_access_the_assessment_is_forbidden(
    as_bob: Any, track: Any, bank: Any, business_a: Any
) -> None:
    set_program(business_a, training_access="on_request")

    assert_problem(as_bob.post(f"/tracks/{track.id}/attempts"), 403, "no_training_access")
    assert not Attempt.objects.exists()


def test_incomplete_required_training_blocks_the_assessment(
    as_bob: Any, track: Any, bank: Any
) -> None:
    Module.objects.create(
        business_id=track.business_id,
        track=track,
        title="Intro",
        format="video",
        duration_seconds=60,
    )

    assert_problem(as_bob.post(f"/tracks/{track.id}/attempts"), 409, "training_incomplete")
    assert not Attempt.objects.exists()


def test_a_second_start_while_one_is_open_is_refused(as_bob: Any, track: Any, bank: Any) -> None:
    first = as_bob.post(f"/tracks/{track.id}/attempts").body

    response = as_bob.post(f"/tracks/{track.id}/attempts")

    assert_problem(response, 409, "attempt_in_progress")
    assert response.body["attempt_id"] == first["id"]
    assert Attempt.objects.count() == 1


def test_a_bank_smaller_than_the_draw_is_refused(as_bob: Any, track: Any, bank: Any) -> None:
    track.question_count = 5
    track.save(update_fields=["question_count"])

    response = as_bob.post(f"/tracks/{track.id}/attempts")

    assert_problem(response, 409, "question_bank_too_small")
    assert not Attempt.objects.exists()
    assert not Certification.objects.filter(attempts_used__gt=0).exists()


def test_the_retry_period_blocks_a_new_attempt(
    as_bob: Any, bob: Any, track: Any, bank: Any
) -> None:
    Certification.objects.create(
        business_id=track.business_id,
        track=track,
        agent=bob,
        status="failed",
        attempts_used=1,
        last_failed_at=T0 - timedelta(days=2),
    )

    response = as_bob.post(f"/tracks/{track.id}/attempts")

    assert_problem(response, 409, "retry_period_active")
    assert response.body["next_attempt_at"].startswith("2026-11-07T09:00:00")
    assert not Attempt.objects.exists()


def test_staff_cannot_start_attempts(as_alice: Any, track: Any, bank: Any) -> None:
    assert_problem(as_alice.post(f"/tracks/{track.id}/attempts"), 403, "forbidden")
    assert not Attempt.objects.exists()


def test_other_tenants_cannot_start_attempts(as_charlie: Any, track: Any, bank: Any) -> None:
    assert_problem(as_charlie.post(f"/tracks/{track.id}/attempts"), 404, "not_found")
    assert not Attempt.objects.exists()
