"""Issue 15 item 1: 3PL parameters on questions, by hand and through GIFT; staff see where they
came from and how many responses stand behind them; agents never see them."""

from typing import Any

import pytest

from refairn.assessments.models import Question
from refairn.assessments.tests.factories import make_track
from tests.support import assert_problem

pytestmark = pytest.mark.django_db

NEW = {
    "type": "multiple_choice",
    "prompt": "Who handles a billing dispute?",
    "choices": [{"text": "The agent"}, {"text": "The business", "correct": True}],
}


def import_(client: Any, track: Any, text: str) -> Any:
    return client.post(f"/tracks/{track.id}/questions/import", text, CONTENT_TYPE="text/plain")


def create(client: Any, track: Any, **overrides: Any) -> Any:
    return client.post(f"/tracks/{track.id}/questions", {**NEW, **overrides})


def test_a_question_takes_parameters_by_hand(as_alice: Any, track: Any) -> None:
    response = create(as_alice, track, irt={"a": 1.4, "b": -0.25, "c": 0.2})

    assert response.status_code == 201, response.body
    assert response.body["irt"] == {"a": 1.4, "b": -0.25, "c": 0.2}
    assert (response.body["irt_source"], response.body["irt_responses"]) == ("manual", 0)
    listed = as_alice.get(f"/tracks/{track.id}/questions").body
    assert listed[0]["irt"] == {"a": 1.4, "b": -0.25, "c": 0.2}


def test_a_question_without_parameters_says_so(as_alice: Any, track: Any) -> None:
    body = create(as_alice, track).body

    assert (body["irt"], body["irt_source"], body["irt_responses"]) == (None, None, 0)


@pytest.mark.parametrize(
    "irt",
    [
        {"a": 9, "b": 0, "c": 0.2},  # discrimination beyond the bounds
        {"a": 1, "b": 0, "c": 0.5},  # guessing half the time is no question
        {"a": 1, "b": 7, "c": 0},
    ],
)
def test_parameters_out_of_bounds_are_refused(as_alice: Any, track: Any, irt: Any) -> None:
    response = create(as_alice, track, irt=irt)

    assert_problem(response, 422, "invalid_irt_parameters")
    assert "irt" in [e["field"] for e in response.body["errors"]]
    assert not Question.objects.exists()


def test_parameters_need_all_three(as_alice: Any, track: Any) -> None:
    assert create(as_alice, track, irt={"a": 1, "b": 0}).status_code == 422
    assert not Question.objects.exists()


def test_gift_export_and_import_keep_the_parameters(
    as_alice: Any, track: Any, business_a: Any
) -> None:
    create(as_alice, track, irt={"a": 1.2345678901, "b": -0.1, "c": 0.15})
    create(as_alice, track, prompt="No parameters yet")
    exported = as_alice.get(f"/tracks/{track.id}/questions/export")
    text = exported.content.decode()
    assert "// refairn-irt: a=1.2345678901 b=-0.1 c=0.15" in text

    other = make_track(business_a, name="Copy")
    response = import_(as_alice, other, text)

    assert response.status_code == 201, response.body
    copied = {q["prompt"]: q for q in as_alice.get(f"/tracks/{other.id}/questions").body}
    assert copied[NEW["prompt"]]["irt"] == {"a": 1.2345678901, "b": -0.1, "c": 0.15}
    assert copied[NEW["prompt"]]["irt_source"] == "imported"
    assert copied["No parameters yet"]["irt"] is None


def test_a_gift_file_with_bad_parameters_names_the_line(as_alice: Any, track: Any) -> None:
    gift = "// refairn-irt: a=1 b=0 c=0.9\nWho? {=Me ~You}\n"
    response = import_(as_alice, track, gift)

    assert_problem(response, 422, "invalid_gift")
    assert response.body["line"] == 1


def test_agents_never_read_the_bank(as_bob: Any, track: Any) -> None:
    assert as_bob.get(f"/tracks/{track.id}/questions").status_code == 403
