"""Issue 18 item 1: the choice ids an agent sees say nothing about the authored order (authors
put the right answer first), and the security role reads no correct answers, rubrics or open
attempts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.tests.factories import answer_all, essay, mc, submit
from refairn.programs.models import Agent, Business
from refairn.training.models import Track
from tests.support import ApiClient, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

QUESTIONS = 40
AGENTS_PER_STRATEGY = 3


def first_shown(question: dict[str, Any]) -> str:
    return str(question["choices"][0]["id"])


def smallest_id(question: dict[str, Any]) -> str:
    """What "always the first authored id" looks like from outside: ids in sort order."""
    return min(c["id"] for c in question["choices"])


def new_agent(business: Business, n: int) -> ApiClient:
    user = make_user(f"agent{n}@a.test")
    Agent.objects.create(business=business, user=user, status="approved")
    return api_as(user)


@pytest.mark.parametrize("strategy", [first_shown, smallest_id])
def test_answering_by_position_scores_at_chance(
    strategy: Callable[[dict[str, Any]], str], track: Track, business_a: Business
) -> None:
    # Every question has three choices and its right answer authored first ("a").
    for n in range(QUESTIONS):
        mc(track, f"Question {n}", right="a")
    track.question_count = QUESTIONS
    track.save(update_fields=["question_count"])

    right = 0
    for n in range(AGENTS_PER_STRATEGY):
        client = new_agent(business_a, n)
        attempt = client.post(f"/tracks/{track.id}/attempts").body
        for question in attempt["questions"]:
            response = client.put(
                f"/attempts/{attempt['id']}/answers/{question['id']}",
                {"choice_ids": [strategy(question)]},
            )
            assert response.status_code == 200, response.body
        submit(client, attempt)
        right += AttemptQuestion.objects.filter(attempt_id=attempt["id"], points_awarded=1).count()

    # Chance is 1/3 (40 of 120); the bounds are more than three standard deviations out.
    assert 24 <= right <= 56, right


def test_shown_ids_are_opaque_and_differ_between_attempts(
    track: Track, business_a: Business, bank: Any
) -> None:
    first, second = (new_agent(business_a, n) for n in range(2))
    seen = []
    for client in (first, second):
        attempt = client.post(f"/tracks/{track.id}/attempts").body
        seen.append({q["id"]: {c["id"] for c in q["choices"]} for q in attempt["questions"]})

    for question_id, ids in seen[0].items():
        assert not ids & {"a", "b", "c"}
        assert not ids & seen[1][question_id]


def test_an_authored_id_is_not_an_answer(as_bob: ApiClient, bank: Any, start: Any) -> None:
    attempt = start()
    question = attempt["questions"][0]

    response = as_bob.put(
        f"/attempts/{attempt['id']}/answers/{question['id']}", {"choice_ids": ["a"]}
    )

    assert_problem(response, 422, "invalid_answer")


def test_saved_answers_read_back_under_the_shown_ids(
    as_bob: ApiClient, bank: Any, start: Any
) -> None:
    attempt = start()
    question = attempt["questions"][0]
    picked = question["choices"][1]["id"]

    saved = as_bob.put(
        f"/attempts/{attempt['id']}/answers/{question['id']}", {"choice_ids": [picked]}
    )
    view = as_bob.get(f"/attempts/{attempt['id']}").body

    assert saved.body["choice_ids"] == [picked]
    assert view["questions"][0]["choice_ids"] == [picked]
    assert [c["id"] for c in view["questions"][0]["choices"]] == [
        c["id"] for c in question["choices"]
    ]


# -- the security role ------------------------------------------------------------------------


@pytest.fixture
def as_security(security_officer: User) -> ApiClient:
    return api_as(security_officer)


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_security_cannot_read_an_attempt_in_progress(
    as_security: ApiClient, bank: Any, start: Any
) -> None:
    attempt = start()

    assert_problem(as_security.get(f"/attempts/{attempt['id']}"), 403, "forbidden")


def test_security_reads_a_handed_in_attempt_without_answers_or_rubrics(
    as_bob: ApiClient, as_security: ApiClient, track: Track, start: Any
) -> None:
    mc(track, "Which plan has SSO?")
    essay(track, "A customer disputes a charge. What do you do?")
    track.question_count = 2
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt)
    submit(as_bob, attempt)

    response = as_security.get(f"/attempts/{attempt['id']}")

    assert response.status_code == 200, response.body
    assert "SECRET-RUBRIC" not in response.content.decode()
    for question in response.body["questions"]:
        assert "rubric" not in question and "accepted_answers" not in question
        assert all(set(c) == {"id", "text"} for c in question["choices"])
        assert question["answered_correctly"] is None and question["feedback"] is None


def test_security_is_refused_the_review_queue_and_the_grading_pages(
    as_security: ApiClient,
    as_bob: ApiClient,
    security_officer: User,
    business_a: Business,
    track: Track,
    start: Any,
) -> None:
    essay(track, "A customer disputes a charge. What do you do?")
    track.question_count = 1
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt)
    submit(as_bob, attempt)
    assert Attempt.objects.get(pk=attempt["id"]).state == Attempt.State.SUBMITTED
    client = page_client(security_officer)

    assert_problem(as_security.get(f"/businesses/{business_a.id}/reviews"), 403, "forbidden")
    assert_problem(as_security.get(f"/tracks/{track.id}/questions"), 403, "forbidden")
    assert client.get(f"/b/{business_a.id}/reviews/").status_code == 403
    assert client.get(f"/b/{business_a.id}/reviews/{attempt['id']}/").status_code == 403
    assert client.get(f"/b/{business_a.id}/attempts/{attempt['id']}/").status_code == 403
    assert client.get(f"/b/{business_a.id}/attempts/{attempt['id']}/result/").status_code == 403
