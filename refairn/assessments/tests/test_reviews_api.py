from decimal import Decimal
from typing import Any

import pytest

from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.tests.factories import answer_all, essay, mc, set_program, submit
from tests.support import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(track: Any) -> dict[str, Any]:
    """Two multiple choice questions, a scenario (2 points) and a simulation (4 points)."""
    questions = {
        "mc1": mc(track, "First"),
        "mc2": mc(track, "Second"),
        "scenario": essay(track, "A customer disputes a charge."),
        "simulation": essay(track, "Role-play a refund.", type="simulation", points=4),
    }
    track.question_count = 4
    track.save(update_fields=["question_count"])
    return questions


@pytest.fixture
def submitted(as_bob: Any, mixed: Any, start: Any) -> dict[str, Any]:
    attempt = start()
    answer_all(as_bob, attempt)
    assert submit(as_bob, attempt).body["status"] == "awaiting_manual_review"
    return attempt


def grade(client: Any, attempt: Any, grades: list[dict[str, Any]], decision: Any = None) -> Any:
    return client.post(f"/attempts/{attempt['id']}/grade", {"grades": grades, "decision": decision})


def test_the_queue_lists_questions_to_grade(
    as_diana: Any, business_a: Any, mixed: Any, submitted: Any
) -> None:
    response = as_diana.get(f"/businesses/{business_a.id}/reviews")

    assert response.status_code == 200, response.body
    (row,) = response.body
    assert (row["attempt_id"], row["status"]) == (submitted["id"], "awaiting_manual_review")
    assert row["submitted_at"] == "2026-11-02T09:00:00Z"
    by_type = {q["type"]: q for q in row["questions_to_grade"]}
    assert set(by_type) == {"scenario", "simulation"}
    scenario = by_type["scenario"]
    assert scenario["answer_text"] == "I would escalate it to the billing team at once."
    assert (scenario["points"], scenario["suggested_points"]) == (2, 2.0)
    assert scenario["matched_keywords"] == ["escalate", "billing team"]
    assert "SECRET-RUBRIC" in scenario["rubric"]
    assert (by_type["simulation"]["grade_max"], by_type["simulation"]["suggested_points"]) == (
        100,
        None,
    )


def test_the_queue_is_empty_without_submissions(as_alice: Any, business_a: Any, mixed: Any) -> None:
    assert as_alice.get(f"/businesses/{business_a.id}/reviews").body == []


def test_agents_cannot_read_the_queue(as_bob: Any, business_a: Any, submitted: Any) -> None:
    assert_problem(as_bob.get(f"/businesses/{business_a.id}/reviews"), 403, "forbidden")


def test_other_tenants_cannot_read_the_queue(
    as_charlie: Any, business_a: Any, submitted: Any
) -> None:
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/reviews"), 404, "not_found")


def test_grading_in_two_calls_then_the_score_decides(
    as_diana: Any, as_bob: Any, business_a: Any, mixed: Any, submitted: Any
) -> None:
    first = grade(
        as_diana,
        submitted,
        [
            {
                "question_id": str(mixed["scenario"].id),
                "points": "1.5",
                "feedback": "Name the billing team.",
            }
        ],
    )

    assert first.status_code == 200, first.body
    assert (first.body["status"], first.body["state"], first.body["score"]) == (
        "awaiting_manual_review",
        "submitted",
        None,
    )
    assert [r["attempt_id"] for r in as_diana.get(f"/businesses/{business_a.id}/reviews").body]

    second = grade(
        as_diana, submitted, [{"question_id": str(mixed["simulation"].id), "points": 90}]
    )

    assert second.status_code == 200, second.body
    body = second.body
    # 2 + 1.5 + 3.6 (90% of 4 points) of 8 points = 88.75%, above the 85% passing score.
    assert (body["status"], body["state"], body["score"], body["passed"]) == (
        "passed",
        "graded",
        88.75,
        True,
    )
    assert body["certification_status"] == "passed"
    simulation = AttemptQuestion.objects.get(
        attempt_id=submitted["id"], question=mixed["simulation"]
    )
    assert simulation.points_awarded == Decimal("3.60")
    view = as_bob.get(f"/attempts/{submitted['id']}").body
    scenario = next(q for q in view["questions"] if q["id"] == str(mixed["scenario"].id))
    assert (scenario["points"], scenario["feedback"]) == (1.5, "Name the billing team.")
    assert as_diana.get(f"/businesses/{business_a.id}/reviews").body == []


def test_the_reviewer_may_fail_an_attempt_that_met_the_score(
    as_alice: Any, mixed: Any, submitted: Any
) -> None:
    grades = [
        {"question_id": str(mixed["scenario"].id), "points": 2},
        {"question_id": str(mixed["simulation"].id), "points": 100},
    ]

    body = grade(as_alice, submitted, grades, decision="fail").body

    assert (body["status"], body["score"], body["passed"]) == ("failed", 100.0, False)
    assert body["certification_status"] == "failed"


def test_a_decision_before_every_question_is_graded_is_refused(
    as_diana: Any, mixed: Any, submitted: Any
) -> None:
    grades = [{"question_id": str(mixed["scenario"].id), "points": 2}]

    assert_problem(grade(as_diana, submitted, grades, decision="pass"), 409, "grading_incomplete")
    assert not AttemptQuestion.objects.filter(graded_by__isnull=False).exists()


def test_manual_review_of_an_automatic_attempt_takes_a_decision(
    as_bob: Any, as_diana: Any, business_a: Any, bank: Any, start: Any
) -> None:
    set_program(business_a, manual_review=True)
    attempt = start()
    answer_all(as_bob, attempt)
    assert submit(as_bob, attempt).body["status"] == "awaiting_manual_review"
    (row,) = as_diana.get(f"/businesses/{business_a.id}/reviews").body
    assert row["questions_to_grade"] == []

    body = grade(as_diana, attempt, [], decision="pass").body

    assert (body["status"], body["score"], body["passed"]) == ("passed", 100.0, True)


@pytest.mark.parametrize(
    ("key", "points", "code"),
    [
        ("scenario", "2.5", "grade_out_of_range"),
        ("scenario", "-1", "grade_out_of_range"),
        ("scenario", "1.005", "grade_out_of_range"),
        ("simulation", "101", "grade_out_of_range"),
        ("mc1", "1", "not_reviewer_graded"),
    ],
)
def test_bad_grades_are_refused_and_nothing_is_written(
    as_diana: Any, mixed: Any, submitted: Any, key: str, points: str, code: str
) -> None:
    grades = [
        {
            "question_id": str(mixed["simulation" if key == "scenario" else "scenario"].id),
            "points": 1,
        },
        {"question_id": str(mixed[key].id), "points": points},
    ]

    response = grade(as_diana, submitted, grades)

    assert_problem(response, 422, code)
    assert response.body["errors"][0]["field"] == "grades.1.points"
    assert not AttemptQuestion.objects.filter(graded_by__isnull=False).exists()


def test_a_question_outside_the_attempt_is_refused(
    as_diana: Any, track: Any, mixed: Any, submitted: Any
) -> None:
    other = essay(track, "Not drawn")

    response = grade(as_diana, submitted, [{"question_id": str(other.id), "points": 1}])

    assert_problem(response, 422, "unknown_question")
    assert not AttemptQuestion.objects.filter(graded_by__isnull=False).exists()


def test_grading_an_open_attempt_is_refused(as_diana: Any, mixed: Any, start: Any) -> None:
    attempt = start()

    response = grade(as_diana, attempt, [{"question_id": str(mixed["scenario"].id), "points": 1}])

    assert_problem(response, 409, "attempt_not_submitted")


def test_a_decided_attempt_cannot_be_graded_again(
    as_diana: Any, mixed: Any, submitted: Any
) -> None:
    grades = [
        {"question_id": str(mixed["scenario"].id), "points": 2},
        {"question_id": str(mixed["simulation"].id), "points": 100},
    ]
    grade(as_diana, submitted, grades)

    assert_problem(grade(as_diana, submitted, grades), 409, "attempt_already_decided")


def test_agents_cannot_grade(as_bob: Any, mixed: Any, submitted: Any) -> None:
    response = grade(as_bob, submitted, [{"question_id": str(mixed["scenario"].id), "points": 2}])

    assert_problem(response, 403, "forbidden")
    assert not AttemptQuestion.objects.filter(graded_by__isnull=False).exists()


def test_other_tenants_cannot_grade(as_charlie: Any, mixed: Any, submitted: Any) -> None:
    response = grade(
        as_charlie, submitted, [{"question_id": str(mixed["scenario"].id), "points": 2}]
    )

    assert_problem(response, 404, "not_found")
    assert Attempt.objects.get(pk=submitted["id"]).state == "submitted"


def test_an_attempt_failed_at_submission_can_still_be_graded(
    as_bob: Any, as_diana: Any, business_a: Any, track: Any, start: Any
) -> None:
    critical = mc(track, "Never share a password?", critical=True)
    scenario = essay(track, "A customer disputes a charge.")
    track.question_count = 2
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt, wrong={str(critical.id)})
    submitted = submit(as_bob, attempt).body
    assert (submitted["status"], submitted["score"], submitted["passed"]) == ("failed", None, False)
    # Decided already: nothing awaits the reviewer, so the queue does not list it.
    assert as_diana.get(f"/businesses/{business_a.id}/reviews").body == []

    body = grade(as_diana, attempt, [{"question_id": str(scenario.id), "points": 2}]).body

    assert (body["status"], body["state"], body["score"], body["passed"]) == (
        "failed",
        "graded",
        66.66,
        False,
    )
    assert body["certification_status"] == "failed"
    assert as_diana.get(f"/businesses/{business_a.id}/reviews").body == []


def test_a_decision_on_an_attempt_failed_at_submission_is_refused(
    as_bob: Any, as_diana: Any, track: Any, start: Any
) -> None:
    critical = mc(track, "Never share a password?", critical=True)
    scenario = essay(track, "A customer disputes a charge.")
    track.question_count = 2
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt, wrong={str(critical.id)})
    submit(as_bob, attempt)

    response = grade(
        as_diana, attempt, [{"question_id": str(scenario.id), "points": 2}], decision="pass"
    )

    assert_problem(response, 409, "attempt_already_decided")
    assert not AttemptQuestion.objects.filter(graded_by__isnull=False).exists()


def test_an_unknown_decision_is_refused(as_diana: Any, mixed: Any, submitted: Any) -> None:
    response = grade(as_diana, submitted, [], decision="maybe")

    assert_problem(response, 422, "validation_error")
    assert Attempt.objects.get(pk=submitted["id"]).outcome == "awaiting_manual_review"
