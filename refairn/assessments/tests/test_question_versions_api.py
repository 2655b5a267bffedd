"""Issue 12 item 5: a question stays editable; once answered, an edit makes a new version and
the old one stays with the attempts (and analytics) that used it."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.assessments.models import AttemptQuestion, Question
from refairn.certification.tests.journeys import begin
from refairn.training.tests.modules import make_track
from tests.support import ApiClient, api_as, assert_problem

pytestmark = pytest.mark.django_db

BODY = {
    "type": "multiple_choice",
    "prompt": "Who approves refunds?",
    "choices": [{"text": "The business", "correct": True}, {"text": "The agent", "correct": False}],
    "topic": "Refunds",
}
EDIT = {**BODY, "prompt": "Who approves a refund over $100?"}


@pytest.fixture
def question(as_alice: ApiClient, business_a: Any) -> dict[str, Any]:
    track = make_track(business_a)
    response = as_alice.post(f"/tracks/{track.id}/questions", BODY)
    assert response.status_code == 201, response.body
    return response.body


def test_an_unanswered_question_is_edited_in_place(
    as_alice: ApiClient, question: dict[str, Any]
) -> None:
    response = as_alice.put(f"/questions/{question['id']}", EDIT)
    assert response.status_code == 200, response.body
    assert response.body["id"] == question["id"]
    assert response.body["prompt"] == EDIT["prompt"]
    assert (response.body["version"], response.body["replaces_id"]) == (1, None)
    assert Question.objects.count() == 1


def test_an_answered_question_gets_a_new_version_and_the_old_one_stays(
    as_alice: ApiClient, bob: Any, question: dict[str, Any]
) -> None:
    old = Question.objects.get(pk=question["id"])
    attempt = begin(old.track, bob.id)
    AttemptQuestion.objects.create(
        business_id=attempt.business_id,
        attempt=attempt,
        question=old,
        position=0,
        max_points=1,
        answer_choice_ids=["a"],
    )
    response = as_alice.put(f"/questions/{question['id']}", EDIT)
    assert response.status_code == 200, response.body
    new = response.body
    assert new["id"] != question["id"]
    assert (new["version"], new["replaces_id"], new["active"]) == (2, question["id"], True)
    old.refresh_from_db()
    assert old.active is False and old.prompt == BODY["prompt"]
    # The attempt keeps the wording it was answered with.
    item = AttemptQuestion.objects.get(attempt=attempt)
    assert item.question_id == old.id
    bank = as_alice.get(f"/tracks/{old.track_id}/questions").body
    assert [q["id"] for q in bank] == [new["id"]]
    # The retired version is not edited again.
    assert_problem(as_alice.put(f"/questions/{question['id']}", EDIT), 409, "question_retired")


def test_a_bad_edit_changes_nothing(as_alice: ApiClient, question: dict[str, Any]) -> None:
    body = {**EDIT, "choices": [{"text": "Nobody", "correct": False}]}
    assert as_alice.put(f"/questions/{question['id']}", body).status_code == 422
    assert Question.objects.get(pk=question["id"]).prompt == BODY["prompt"]
    assert Question.objects.count() == 1


def test_only_bank_editors_of_the_business_edit(
    as_bob: ApiClient, as_charlie: ApiClient, security_officer: Any, question: dict[str, Any]
) -> None:
    path = f"/questions/{question['id']}"
    assert_problem(as_bob.put(path, EDIT), 403, "forbidden")
    assert_problem(api_as(security_officer).put(path, EDIT), 403, "forbidden")
    assert_problem(as_charlie.put(path, EDIT), 404, "not_found")
    assert Question.objects.get(pk=question["id"]).prompt == BODY["prompt"]
