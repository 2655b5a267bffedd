"""Issue 15 item 3: adaptive attempts through the API, one question at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from refairn.assessments import services as engine
from refairn.assessments.domain import cat
from refairn.assessments.models import Attempt, Question
from refairn.assessments.services.adaptive import _bank_for
from refairn.assessments.tests.factories import make_track, mc, right_choice, wrong_choice
from refairn.certification.models import Certification
from refairn.core import clock
from refairn.training.models import Track
from tests.support import T0, ApiClient, assert_problem

pytestmark = pytest.mark.django_db

DEADLINE = T0 + timedelta(minutes=30)
BANK_SIZE = 40


def calibrated(question: Question, a: float, b: float, c: float = 0.2) -> Question:
    question.irt_a, question.irt_b, question.irt_c = a, b, c
    question.irt_source = "manual"
    question.save(update_fields=["irt_a", "irt_b", "irt_c", "irt_source"])
    return question


@pytest.fixture
def adaptive(business_a: Any, track: Track) -> Track:
    """An adaptive track of up to 20 questions over 40 calibrated ones, passing at 70%."""
    adaptive = make_track(
        business_a,
        name="Adaptive",
        assessment_mode="adaptive",
        question_count=20,
        passing_score=Decimal(70),
    )
    for n in range(BANK_SIZE):
        question = mc(adaptive, f"Adaptive {n}", right="abc"[n % 3])
        calibrated(question, 1.2 + (n % 4) * 0.3, -2.0 + 4.0 * n / (BANK_SIZE - 1))
    return adaptive


def start(client: ApiClient, track: Track) -> Any:
    response = client.post(f"/tracks/{track.id}/attempts")
    assert response.status_code == 201, response.body
    return response.body


def answer(client: ApiClient, attempt_id: str, question_id: str, *, right: bool) -> Any:
    pick = right_choice if right else wrong_choice
    choice = pick(question_id, attempt_id)
    return client.put(f"/attempts/{attempt_id}/answers/{question_id}", {"choice_ids": choice})


def take(client: ApiClient, track: Track, *, right: bool) -> tuple[Any, list[Any]]:
    """Start and answer every question served (all right or all wrong) until finished;
    returns the start body and every answer body."""
    attempt = start(client, track)
    question, bodies = attempt["questions"][0], []
    while question is not None:
        response = answer(client, attempt["id"], question["id"], right=right)
        assert response.status_code == 200, response.body
        bodies.append(response.body)
        question = response.body["next_question"]
    return attempt, bodies


AGENT_QUESTION_KEYS = {"id", "type", "prompt", "choices"}


def test_an_adaptive_attempt_serves_one_question_at_a_time_and_passes(
    as_bob: ApiClient, adaptive: Track
) -> None:
    attempt, bodies = take(as_bob, adaptive, right=True)

    assert attempt["adaptive"] is True
    assert len(attempt["questions"]) == 1
    asked = [attempt["questions"][0]["id"]] + [
        b["next_question"]["id"] for b in bodies if b["next_question"]
    ]
    assert len(asked) == len(set(asked)) == len(bodies)  # never an item twice
    assert bodies[-1] == bodies[-1] | {"next_question": None, "finished": True}
    assert all(b["finished"] is False for b in bodies[:-1])
    # The stopping rule ended it early: after the minimum, before the maximum.
    assert cat.DEFAULT_MIN_QUESTIONS <= len(bodies) < adaptive.question_count

    result = as_bob.post(f"/attempts/{attempt['id']}/submit")
    assert result.status_code == 200, result.body
    assert result.body["status"] == "passed"
    assert result.body["passed"] is True
    assert result.body["score"] >= 70


def test_all_wrong_fails_at_the_minimum_length(as_bob: ApiClient, adaptive: Track) -> None:
    attempt, bodies = take(as_bob, adaptive, right=False)

    assert len(bodies) == cat.DEFAULT_MIN_QUESTIONS
    result = as_bob.post(f"/attempts/{attempt['id']}/submit").body
    assert (result["status"], result["passed"]) == ("failed", False)
    assert result["score"] < 70


def test_an_adaptive_attempt_never_shows_parameters_or_correct_flags(
    as_bob: ApiClient, adaptive: Track
) -> None:
    attempt, bodies = take(as_bob, adaptive, right=True)
    as_bob.post(f"/attempts/{attempt['id']}/submit")
    final = as_bob.get(f"/attempts/{attempt['id']}").body

    authored = {c["id"] for q in Question.objects.filter(track=adaptive) for c in q.choices}
    for question in [attempt["questions"][0]] + [b["next_question"] for b in bodies[:-1]]:
        assert set(question) == AGENT_QUESTION_KEYS
        assert all(set(choice) == {"id", "text"} for choice in question["choices"])
        # Issue 18: the ids shown are this attempt's opaque keys, as on a fixed form.
        assert not {c["id"] for c in question["choices"]} & authored
    seen = json.dumps([attempt, bodies, final])
    for leak in ('"irt', '"correct"', "theta", "rubric", '"a":', '"b":', '"c":'):
        assert leak not in seen


def test_an_answer_is_final_and_only_the_current_question_is_answered(
    as_bob: ApiClient, adaptive: Track
) -> None:
    attempt = start(as_bob, adaptive)
    first = attempt["questions"][0]["id"]
    other = str(Question.objects.filter(track=adaptive).exclude(pk=first).first().pk)
    # A question of the bank not shown in this attempt is no question of it.
    assert_problem(answer(as_bob, attempt["id"], other, right=True), 404, "not_found")

    assert answer(as_bob, attempt["id"], first, right=False).status_code == 200
    again = answer(as_bob, attempt["id"], first, right=True)

    assert_problem(again, 409, "adaptive_not_current_question")
    stored = Attempt.objects.get(pk=attempt["id"]).adaptive_state
    assert stored["answers"] == [False]


def test_a_wrong_critical_answer_fails_even_a_passing_estimate(
    as_bob: ApiClient, adaptive: Track
) -> None:
    Question.objects.filter(track=adaptive).update(critical=True)
    attempt = start(as_bob, adaptive)
    question, first = attempt["questions"][0], True
    while question is not None:
        body = answer(as_bob, attempt["id"], question["id"], right=not first).body
        question, first = body["next_question"], False

    result = as_bob.post(f"/attempts/{attempt['id']}/submit").body
    row = Attempt.objects.get(pk=attempt["id"])
    estimate = cat.decide(
        _bank_for(row), cat.CatState.from_json(row.adaptive_state), row.adaptive_state["theta_cut"]
    )
    assert estimate.passed is True  # one wrong answer in many: the estimate alone passes
    assert row.critical_missed is True
    assert (result["status"], result["passed"]) == ("failed", False)


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The stored test clock is read only when no in-process override is active."""
    token = clock._override.set(None)
    yield
    clock._override.reset(token)


@pytest.fixture
def test_clock(settings: Any, unfrozen: None, anon: ApiClient) -> Any:
    settings.REFAIRN_TEST_CLOCK = True

    def move(to: datetime) -> None:
        response = anon.put("/test-clock", {"now": to.isoformat()})
        assert response.status_code == 200, response.body

    move(T0)
    return move


def test_a_timed_out_adaptive_attempt_is_decided_on_what_was_answered(
    test_clock: Any, as_bob: ApiClient, adaptive: Track
) -> None:
    attempt = start(as_bob, adaptive)
    question = attempt["questions"][0]
    for _ in range(3):
        question = answer(as_bob, attempt["id"], question["id"], right=True).body["next_question"]
    test_clock(DEADLINE)  # the deadline instant still takes an answer
    question = answer(as_bob, attempt["id"], question["id"], right=True).body["next_question"]

    test_clock(DEADLINE + timedelta(minutes=1))
    late = answer(as_bob, attempt["id"], question["id"], right=True)
    assert_problem(late, 409, "attempt_closed")
    test_clock(DEADLINE + timedelta(minutes=5))  # the auto-submit job runs

    row = Attempt.objects.get(pk=attempt["id"])
    state = cat.CatState.from_json(row.adaptive_state)
    expected = cat.decide(_bank_for(row), state, row.adaptive_state["theta_cut"])
    assert len(state.answers) == 4
    assert state.current == question["id"]  # shown at the deadline, never answered
    assert (row.state, row.auto_submitted, row.submitted_at) == ("graded", True, DEADLINE)
    assert expected.answered == 4
    assert row.passed is expected.passed
    assert row.outcome == ("passed" if expected.passed else "failed")
    shown = as_bob.get(f"/attempts/{attempt['id']}").body
    assert len(shown["questions"]) == 5


def test_a_bank_without_parameters_names_the_questions(as_bob: ApiClient, adaptive: Track) -> None:
    bare = mc(adaptive, "Not yet calibrated")

    response = as_bob.post(f"/tracks/{adaptive.id}/attempts")

    assert_problem(response, 409, "adaptive_bank_uncalibrated")
    assert response.body["question_ids"] == [str(bare.id)]
    assert not Attempt.objects.exists()
    assert not Certification.objects.filter(attempts_used__gt=0).exists()


def test_a_bank_with_too_few_questions_says_how_many(as_bob: ApiClient, adaptive: Track) -> None:
    adaptive.question_count = BANK_SIZE + 1
    adaptive.save(update_fields=["question_count"])

    response = as_bob.post(f"/tracks/{adaptive.id}/attempts")

    assert_problem(response, 409, "adaptive_bank_too_small")
    assert response.body["problems"][0]["code"] == "adaptive_bank_too_small"
    assert not Attempt.objects.exists()


def test_questions_shown_to_too_many_recent_attempts_are_held_back(
    as_bob: ApiClient, alice: Any, adaptive: Track
) -> None:
    favourite = Question.objects.filter(track=adaptive).order_by("created_at")[BANK_SIZE // 2]
    for n in range(cat.EXPOSURE_WARMUP_ATTEMPTS):
        earlier = Attempt.objects.create(
            business_id=adaptive.business_id,
            track=adaptive,
            agent=alice,
            cycle=1,
            number=n + 1,
            state="graded",
            deadline=DEADLINE,
            adaptive_state={"seed": "x", "asked": [], "answers": [], "excluded": []},
        )
        earlier.items.create(
            business_id=earlier.business_id, question=favourite, position=1, max_points=1
        )

    attempt, bodies = take(as_bob, adaptive, right=True)

    state = Attempt.objects.get(pk=attempt["id"]).adaptive_state
    assert state["excluded"] == [str(favourite.id)]
    asked = [attempt["questions"][0]["id"]] + [
        b["next_question"]["id"] for b in bodies if b["next_question"]
    ]
    assert str(favourite.id) not in asked


def test_the_attempt_pages_serve_one_question_at_a_time(bob: Any, adaptive: Track) -> None:
    client = Client()
    client.force_login(bob)
    business = adaptive.business_id
    started = client.post(f"/b/{business}/tracks/{adaptive.id}/assessment/start/")
    attempt = Attempt.objects.get()
    page_url = f"/b/{business}/attempts/{attempt.id}/"
    assert started.status_code == 302 and started["Location"] == page_url

    answered = 0
    while True:
        page = client.get(page_url).content.decode()
        assert "irt_" not in page and "theta" not in page and "feedback " not in page
        current = engine.adaptive_current(Attempt.objects.get(pk=attempt.pk))
        if current is None:
            break
        assert page.count('name="choice_ids"') == 3  # the current question alone
        assert f'id="q-{current.question_id}"' in page
        response = client.post(
            f"{page_url}answers/{current.question_id}/",
            {"choice_ids": right_choice(str(current.question_id), str(attempt.pk))},
        )
        assert response.status_code == 302
        answered += 1
    assert 'id="adaptive-finished"' in page
    assert f"You have answered {answered} questions" in page
    confirm = client.get(f"{page_url}submit/").content.decode()
    assert "That is enough for a decision" in confirm
    assert "the test ends here" not in confirm

    client.post(f"{page_url}submit/")
    result = client.get(f"{page_url}result/")
    assert result.status_code == 200
    assert Attempt.objects.get(pk=attempt.pk).outcome == "passed"


def test_an_adaptive_attempt_is_confirmed_before_it_is_submitted(bob: Any, adaptive: Track) -> None:
    """Issue 12 item 8: the same confirm step as the fixed form, saying in plain words that
    submitting early ends the test where it stands."""
    client = Client()
    client.force_login(bob)
    business = adaptive.business_id
    client.post(f"/b/{business}/tracks/{adaptive.id}/assessment/start/")
    attempt = Attempt.objects.get()
    page_url = f"/b/{business}/attempts/{attempt.id}/"
    current = engine.adaptive_current(attempt)
    assert current is not None
    client.post(
        f"{page_url}answers/{current.question_id}/",
        {"choice_ids": right_choice(str(current.question_id), str(attempt.pk))},
    )

    page = client.get(page_url).content.decode()
    # The attempt's page leads to the confirm step; no form there submits at once.
    assert f'href="{page_url}submit/"' in page
    assert f'action="{page_url}submit/"' not in page
    confirm = client.get(f"{page_url}submit/")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Submit the assessment?" in text
    assert "You have answered 1 question." in text
    assert "the test ends here" in text
    assert "decided on the 1 answer you gave" in text
    assert "unanswered" not in text and "earn no points" not in text
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.IN_PROGRESS

    client.post(f"{page_url}submit/")
    assert Attempt.objects.get(pk=attempt.pk).state != Attempt.State.IN_PROGRESS


def test_analytics_cover_the_adaptive_bank(
    as_alice: ApiClient, as_bob: ApiClient, adaptive: Track
) -> None:
    attempt, bodies = take(as_bob, adaptive, right=True)
    as_bob.post(f"/attempts/{attempt['id']}/submit")
    Question.objects.filter(pk=attempt["questions"][0]["id"]).update(irt_rmsd=0.15)

    body = as_alice.get(f"/businesses/{adaptive.business_id}/reports/assessment-analytics").body

    track = next(t for t in body["tracks"] if t["track_id"] == str(adaptive.id))
    assert (track["adaptive"], track["attempts"], track["passed_attempts"]) == (True, 1, 1)
    assert float(track["theta_cut"]) > 0  # 70% on a bank centred on 0 needs some ability
    rows = {q["question_id"]: q for q in body["questions"] if q["track_id"] == str(adaptive.id)}
    shown = {attempt["questions"][0]["id"]} | {
        b["next_question"]["id"] for b in bodies if b["next_question"]
    }
    assert {q for q, row in rows.items() if row["exposure"] == "100.00"} == shown
    assert {row["exposure"] for q, row in rows.items() if q not in shown} == {"0.00"}
    assert all(float(row["information"]) > 0 for row in rows.values())
    first = rows[attempt["questions"][0]["id"]]
    assert (first["fit_rmsd"], first["misfit"]) == ("0.150", True)
    fixed = [t for t in body["tracks"] if t["track_id"] != str(adaptive.id)]
    assert all(t["adaptive"] is False and t["theta_cut"] is None for t in fixed)
    scores = body["summary"]["track_scores"]
    assert "Adaptive" in json.dumps(scores)


def test_the_bank_page_shows_the_information_curve_around_the_cut(
    alice: Any, adaptive: Track, track: Track
) -> None:
    client = Client()
    client.force_login(alice)

    page = client.get(f"/b/{adaptive.business_id}/tracks/{adaptive.id}/questions/")
    html = page.content.decode()

    assert page.status_code == 200
    curve = json.loads(
        html.split('id="information-curve-data" type="application/json">')[1].split("<")[0]
    )
    assert curve["items"] == BANK_SIZE
    assert curve["theta"][0] < curve["cut"] < curve["theta"][-1]
    assert len(curve["theta"]) == len(curve["information"]) == 61
    assert all(i > 0 for i in curve["information"])
    assert "vendor/chartjs/chart.umd.min.js" in html and "assessments/bank.js" in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline script or style
    fixed = client.get(f"/b/{track.business_id}/tracks/{track.id}/questions/").content.decode()
    assert "information-curve" not in fixed


def test_only_the_agent_answers_and_other_businesses_see_nothing(
    as_alice: ApiClient, as_bob: ApiClient, as_charlie: ApiClient, adaptive: Track
) -> None:
    attempt = start(as_bob, adaptive)
    first = attempt["questions"][0]["id"]

    assert_problem(answer(as_alice, attempt["id"], first, right=True), 403, "forbidden")
    assert_problem(answer(as_charlie, attempt["id"], first, right=True), 404, "not_found")
    assert_problem(as_charlie.post(f"/attempts/{attempt['id']}/submit"), 404, "not_found")
    assert_problem(as_charlie.post(f"/tracks/{adaptive.id}/attempts"), 404, "not_found")
    assert Attempt.objects.get(pk=attempt["id"]).adaptive_state["answers"] == []
