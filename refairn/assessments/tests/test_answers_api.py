from datetime import timedelta
from typing import Any

import pytest

from refairn.assessments.models import AttemptQuestion, Question
from refairn.assessments.tests.factories import essay, right_choice, wrong_choice
from refairn.core import clock
from refairn.programs.models import Agent
from tests.support import T0, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


def answer(client: Any, attempt: Any, question_id: str, body: dict[str, Any]) -> Any:
    return client.put(f"/attempts/{attempt['id']}/answers/{question_id}", body)


def stored(attempt: Any, question_id: str) -> AttemptQuestion:
    return AttemptQuestion.objects.get(attempt_id=attempt["id"], question_id=question_id)


def test_an_answer_is_saved_and_can_be_changed(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]

    first = answer(as_bob, attempt, qid, {"choice_ids": wrong_choice(qid, attempt["id"])})
    second = answer(as_bob, attempt, qid, {"choice_ids": right_choice(qid, attempt["id"])})

    assert first.status_code == 200, first.body
    assert second.body == {
        "question_id": qid,
        "choice_ids": right_choice(qid, attempt["id"]),
        "text": "",
        "answered_at": "2026-11-02T09:00:00Z",
    }
    authored = Question.objects.get(pk=qid).choices
    assert stored(attempt, qid).answer_choice_ids == [c["id"] for c in authored if c["correct"]]


def test_a_text_question_takes_text(as_bob: Any, track: Any, start: Any) -> None:
    question = essay(track, "A customer disputes a charge. What do you do?")
    track.question_count = 1
    track.save(update_fields=["question_count"])
    attempt = start()

    response = answer(as_bob, attempt, str(question.id), {"text": "  Escalate to billing.  "})

    assert response.status_code == 200, response.body
    assert stored(attempt, str(question.id)).answer_text == "Escalate to billing."


@pytest.mark.parametrize(
    "body",
    [
        {"text": "the first one"},
        {"choice_ids": ["zz"]},
        {},
        {"choice_ids": ["a"], "text": "both"},
        {"choice_ids": "a"},
        {"choice": ["a"]},
    ],
)
def test_an_answer_that_does_not_fit_its_question_is_refused(
    as_bob: Any, bank: Any, start: Any, body: dict[str, Any]
) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]

    response = answer(as_bob, attempt, qid, body)

    assert response.status_code == 422, response.body
    assert response.body["code"] in {"invalid_answer", "validation_error"}
    assert stored(attempt, qid).answered_at is None


def test_choices_for_a_text_question_are_refused(as_bob: Any, track: Any, start: Any) -> None:
    question = essay(track, "Explain.")
    track.question_count = 1
    track.save(update_fields=["question_count"])
    attempt = start()

    assert_problem(
        answer(as_bob, attempt, str(question.id), {"choice_ids": ["a"]}), 422, "invalid_answer"
    )


def test_a_question_not_in_the_attempt_is_not_found(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()

    response = answer(as_bob, attempt, "00000000-0000-0000-0000-000000000000", {"choice_ids": []})

    assert_problem(response, 404, "not_found")


def test_an_answer_at_the_deadline_counts(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]

    with clock.frozen(T0 + timedelta(minutes=30)):
        assert (
            answer(
                as_bob, attempt, qid, {"choice_ids": right_choice(qid, attempt["id"])}
            ).status_code
            == 200
        )


def test_an_answer_one_second_after_the_deadline_is_refused(
    as_bob: Any, bank: Any, start: Any
) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]

    with clock.frozen(T0 + timedelta(minutes=30, seconds=1)):
        response = answer(as_bob, attempt, qid, {"choice_ids": right_choice(qid, attempt["id"])})

    assert_problem(response, 409, "attempt_closed")
    assert stored(attempt, qid).answered_at is None


def test_an_answer_after_submission_is_refused(as_bob: Any, bank: Any, start: Any) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]
    as_bob.post(f"/attempts/{attempt['id']}/submit")

    assert_problem(
        answer(as_bob, attempt, qid, {"choice_ids": right_choice(qid, attempt["id"])}),
        409,
        "attempt_closed",
    )
    assert stored(attempt, qid).answered_at is None


def test_another_agent_cannot_see_the_attempt(business_a: Any, bank: Any, start: Any) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]
    eve = make_user("eve@a.test")
    Agent.objects.create(business=business_a, user=eve, status="approved")

    assert_problem(answer(api_as(eve), attempt, qid, {"choice_ids": []}), 404, "not_found")


def test_staff_cannot_answer_for_the_agent(as_alice: Any, bank: Any, start: Any) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]

    assert_problem(
        answer(as_alice, attempt, qid, {"choice_ids": right_choice(qid, attempt["id"])}),
        403,
        "forbidden",
    )
    assert stored(attempt, qid).answered_at is None


def test_other_tenants_cannot_answer(as_charlie: Any, bank: Any, start: Any) -> None:
    attempt = start()
    qid = attempt["questions"][0]["id"]

    assert_problem(answer(as_charlie, attempt, qid, {"choice_ids": []}), 404, "not_found")
