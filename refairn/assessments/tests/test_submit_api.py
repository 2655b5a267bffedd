from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.assessments.tests.factories import answer_all, essay, mc, submit
from refairn.core import clock
from refairn.programs.models import Agent
from tests.support import T0, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


def test_all_right_passes(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    answer_all(as_bob, attempt)

    response = submit(as_bob, attempt)

    assert response.status_code == 200, response.body
    assert response.body["status"] == "passed"
    assert response.body["score"] == 100.0
    assert response.body["passed"] is True
    assert response.body["certification_status"] == "passed"  # final approval is manual
    stored = Attempt.objects.get(pk=attempt["id"])
    assert (stored.state, stored.submitted_at, stored.auto_submitted) == ("graded", T0, False)


def test_below_the_passing_score_fails(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    answer_all(as_bob, attempt, wrong={attempt["questions"][0]["id"]})

    body = submit(as_bob, attempt).body

    assert (body["status"], body["score"], body["passed"]) == ("failed", 75.0, False)
    assert body["certification_status"] == "failed"


def test_a_missed_critical_question_fails_a_96_percent_score(
    as_bob: Any, track: Any, start: Any
) -> None:
    critical = mc(track, "Never share a password?", critical=True)
    for n in range(24):
        mc(track, f"Routine {n}")
    track.question_count = 25
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt, wrong={str(critical.id)})

    body = submit(as_bob, attempt).body

    assert (body["status"], body["score"], body["passed"]) == ("failed", 96.0, False)
    stored = Attempt.objects.get(pk=attempt["id"])
    assert stored.critical_missed is True
    assert stored.score == Decimal("96.00")


def test_the_score_is_truncated_never_rounded_up(as_bob: Any, track: Any, start: Any) -> None:
    for n in range(3):
        mc(track, f"Q{n}")
    track.question_count = 3
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt, wrong={attempt["questions"][0]["id"]})

    assert submit(as_bob, attempt).body["score"] == 66.66


def test_unanswered_questions_earn_nothing(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()

    body = submit(as_bob, attempt).body

    assert (body["status"], body["score"]) == ("failed", 0.0)


def test_reviewer_graded_questions_leave_the_score_pending(
    as_bob: Any, track: Any, bank: Any, start: Any
) -> None:
    scenario = essay(track, "A customer disputes a charge.")
    track.question_count = 5
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt)

    body = submit(as_bob, attempt).body

    assert body["status"] == "awaiting_manual_review"
    assert (body["score"], body["passed"]) == (None, None)
    item = AttemptQuestion.objects.get(attempt_id=attempt["id"], question=scenario)
    assert item.points_awarded is None
    assert item.suggested_points == Decimal(2)  # both rubric keywords matched
    assert item.matched_keywords == ["escalate", "billing team"]
    stored = Attempt.objects.get(pk=attempt["id"])
    assert (stored.state, stored.pending_points, stored.earned_points) == (
        "submitted",
        Decimal(2),
        Decimal(4),
    )


def test_submitting_twice_is_refused(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    submit(as_bob, attempt)

    assert_problem(submit(as_bob, attempt), 409, "attempt_closed")


def test_a_late_submission_counts_as_at_the_deadline(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    answer_all(as_bob, attempt)

    with clock.frozen(T0 + timedelta(hours=2)):
        body = submit(as_bob, attempt).body

    assert body["auto_submitted"] is True
    assert body["submitted_at"] == "2026-11-02T09:30:00Z"
    assert body["status"] == "passed"


def test_staff_cannot_submit_for_the_agent(as_alice: Any, bank: Any, start: Any) -> None:
    attempt = start()

    assert_problem(submit(as_alice, attempt), 403, "forbidden")
    assert Attempt.objects.get(pk=attempt["id"]).state == "in_progress"


def test_another_agent_cannot_submit(business_a: Any, bank: Any, start: Any) -> None:
    attempt = start()
    eve = make_user("eve@a.test")
    Agent.objects.create(business=business_a, user=eve, status="approved")

    assert_problem(submit(api_as(eve), attempt), 404, "not_found")
    assert Attempt.objects.get(pk=attempt["id"]).state == "in_progress"


def test_other_tenants_cannot_submit(as_charlie: Any, bank: Any, start: Any) -> None:
    attempt = start()

    assert_problem(submit(as_charlie, attempt), 404, "not_found")
    assert Attempt.objects.get(pk=attempt["id"]).state == "in_progress"


# --- GET /attempts/{id} ------------------------------------------------------------------------


def test_the_agent_sees_results_only_once_final(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    answer_all(as_bob, attempt, wrong={attempt["questions"][0]["id"]})

    open_view = as_bob.get(f"/attempts/{attempt['id']}").body
    submit(as_bob, attempt)
    final_view = as_bob.get(f"/attempts/{attempt['id']}").body

    assert open_view["status"] == "in_progress"
    assert open_view["score"] is None
    assert all(q["points"] is None and q["feedback"] is None for q in open_view["questions"])
    assert final_view["status"] == "failed"
    assert final_view["score"] == 75.0
    results = {q["id"]: q for q in final_view["questions"]}
    missed = results[attempt["questions"][0]["id"]]
    assert (missed["points"], missed["answered_correctly"], missed["max_points"]) == (0.0, False, 1)
    authored = Question.objects.get(pk=missed["id"]).choices
    assert missed["feedback"] == f"feedback {next(c['id'] for c in authored if not c['correct'])}"
    assert sum(q["answered_correctly"] for q in results.values()) == 3


def test_the_agent_sees_no_score_while_awaiting_review(
    as_bob: Any, track: Any, bank: Any, start: Any
) -> None:
    essay(track, "Explain.")
    track.question_count = 5
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt)
    submit(as_bob, attempt)

    view = as_bob.get(f"/attempts/{attempt['id']}").body

    assert view["status"] == "awaiting_manual_review"
    assert view["score"] is None
    assert all(q["points"] is None for q in view["questions"])


def test_staff_see_everything(as_diana: Any, as_bob: Any, track: Any, start: Any) -> None:
    essay(track, "Explain.")
    track.question_count = 1
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt)
    submit(as_bob, attempt)

    view = as_diana.get(f"/attempts/{attempt['id']}").body

    assert view["state"] == "submitted"
    assert view["pending_points"] == 2.0
    (question,) = view["questions"]
    assert "SECRET-RUBRIC" in question["rubric"]
    assert question["suggested_points"] == 2.0
    assert question["text"] == "I would escalate it to the billing team at once."


def test_staff_see_correct_flags_of_an_open_attempt(as_alice: Any, bank: Any, start: Any) -> None:
    attempt = start()

    view = as_alice.get(f"/attempts/{attempt['id']}").body

    assert all("correct" in c for q in view["questions"] for c in q["choices"])


def test_another_agent_cannot_read_the_attempt(business_a: Any, bank: Any, start: Any) -> None:
    attempt = start()
    eve = make_user("eve@a.test")
    Agent.objects.create(business=business_a, user=eve, status="approved")

    assert_problem(api_as(eve).get(f"/attempts/{attempt['id']}"), 404, "not_found")


def test_other_tenants_cannot_read_the_attempt(as_charlie: Any, bank: Any, start: Any) -> None:
    attempt = start()

    assert_problem(as_charlie.get(f"/attempts/{attempt['id']}"), 404, "not_found")


def test_an_unknown_attempt_is_not_found(as_bob: Any, bank: Any) -> None:
    assert_problem(as_bob.get("/attempts/nope"), 404, "not_found")
