from typing import Any

import pytest

from refairn.assessments.models import Question
from refairn.assessments.tests.factories import make_track, mc
from refairn.training.models import FaqItem, Module
from tests.support import assert_problem

pytestmark = pytest.mark.django_db

NEW = {
    "type": "multiple_choice",
    "prompt": "Who handles a billing dispute?",
    "choices": [
        {"text": "The agent", "correct": False, "feedback": "No: agents never judge charges."},
        {"text": "The business", "correct": True, "feedback": "Yes: escalate it."},
    ],
    "points": 2,
    "critical": True,
    "topic": "Escalation",
    "title": "Billing disputes",
}


def create(client: Any, track: Any, **overrides: Any) -> Any:
    return client.post(f"/tracks/{track.id}/questions", {**NEW, **overrides})


def test_owner_adds_a_question_with_generated_choice_ids(as_alice: Any, track: Any) -> None:
    response = create(as_alice, track)

    assert response.status_code == 201, response.body
    body = response.body
    assert body["choices"] == [
        {
            "id": "a",
            "text": "The agent",
            "correct": False,
            "feedback": NEW["choices"][0]["feedback"],
        },
        {"id": "b", "text": "The business", "correct": True, "feedback": "Yes: escalate it."},
    ]
    assert (body["points"], body["critical"], body["topic"], body["title"]) == (
        2,
        True,
        "Escalation",
        "Billing disputes",
    )
    assert body["active"] is True
    stored = Question.objects.get(pk=body["id"])
    assert stored.track_id == track.id and stored.business_id == track.business_id


def test_a_question_links_its_module_and_faq_items(as_alice: Any, track: Any) -> None:
    module = Module.objects.create(
        business_id=track.business_id, track=track, title="FAQ", format="faq"
    )
    item = FaqItem.objects.create(module=module, position=1, question="Q?", answer="A.")

    response = create(as_alice, track, module_id=str(module.id), faq_item_ids=[str(item.id)])

    assert response.status_code == 201, response.body
    assert response.body["module_id"] == str(module.id)
    assert response.body["faq_item_ids"] == [str(item.id)]


def test_a_short_answer_keeps_its_accepted_answers(as_alice: Any, track: Any) -> None:
    response = create(
        as_alice,
        track,
        type="short_answer",
        choices=[{"text": "billing team", "correct": True}, {"text": "billing", "correct": True}],
    )

    assert response.status_code == 201, response.body
    assert [c["id"] for c in response.body["choices"]] == ["a", "b"]


def test_a_scenario_has_a_rubric_and_no_choices(as_alice: Any, track: Any) -> None:
    response = create(as_alice, track, type="scenario", choices=[], rubric="Escalates at once.")

    assert response.status_code == 201, response.body
    assert response.body["rubric"] == "Escalates at once."


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"choices": [{"text": "Only one", "correct": True}]}, "choices"),
        ({"choices": [{"text": "x", "correct": False}, {"text": "y"}]}, "choices"),
        ({"type": "scenario"}, "choices"),
        ({"type": "short_answer", "choices": [{"text": "x", "correct": False}]}, "choices"),
        ({"prompt": "   "}, "prompt"),
        ({"prompt": ""}, "prompt"),
        ({"points": 0}, "points"),
        ({"points": 1001}, "points"),
        ({"type": "essay"}, "type"),
        ({"topic": "two\nlines"}, "topic"),
        ({"choices": [{"text": " ", "correct": True}, {"text": "y"}]}, "choices.0.text"),
        ({"module_id": "00000000-0000-0000-0000-000000000000"}, "module_id"),
        ({"faq_item_ids": ["00000000-0000-0000-0000-000000000000"]}, "faq_item_ids"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_questions_are_refused_naming_the_field(
    as_alice: Any, track: Any, overrides: dict[str, Any], field: str
) -> None:
    response = create(as_alice, track, **overrides)

    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]]
    assert not Question.objects.exists()


def test_a_module_of_another_track_is_refused(as_alice: Any, track: Any, business_a: Any) -> None:
    other = make_track(business_a, name="Other")
    module = Module.objects.create(
        business_id=other.business_id, track=other, title="M", format="video"
    )

    assert_problem(create(as_alice, track, module_id=str(module.id)), 422, "validation_error")
    assert not Question.objects.exists()


@pytest.mark.parametrize("who", ["as_bob", "as_diana"])
def test_agents_and_reviewers_cannot_add_questions(request: Any, who: str, track: Any) -> None:
    assert_problem(create(request.getfixturevalue(who), track), 403, "forbidden")
    assert not Question.objects.exists()


def test_other_tenants_cannot_add_questions(as_charlie: Any, track: Any) -> None:
    assert_problem(create(as_charlie, track), 404, "not_found")
    assert not Question.objects.exists()


def test_staff_list_the_bank_with_answers(as_diana: Any, track: Any, bank: Any) -> None:
    response = as_diana.get(f"/tracks/{track.id}/questions")

    assert response.status_code == 200
    assert {q["id"] for q in response.body} == {str(q.id) for q in bank}
    assert all("correct" in c for q in response.body for c in q["choices"])


def test_retired_questions_are_listed_only_on_request(as_alice: Any, track: Any, bank: Any) -> None:
    assert as_alice.delete(f"/questions/{bank[0].id}").status_code == 204

    listed = as_alice.get(f"/tracks/{track.id}/questions").body
    everything = as_alice.get(f"/tracks/{track.id}/questions?include_retired=true").body

    assert str(bank[0].id) not in {q["id"] for q in listed}
    assert {q["id"]: q["active"] for q in everything}[str(bank[0].id)] is False


def test_agents_cannot_list_the_bank(as_bob: Any, track: Any, bank: Any) -> None:
    assert_problem(as_bob.get(f"/tracks/{track.id}/questions"), 403, "forbidden")


def test_other_tenants_cannot_list_the_bank(as_charlie: Any, track: Any, bank: Any) -> None:
    assert_problem(as_charlie.get(f"/tracks/{track.id}/questions"), 404, "not_found")


def test_deleting_a_question_retires_it(as_alice: Any, track: Any) -> None:
    question = mc(track, "Retire me")

    response = as_alice.delete(f"/questions/{question.id}")

    assert response.status_code == 204
    question.refresh_from_db()
    assert question.active is False


def test_deleting_an_unknown_question_is_not_found(as_alice: Any, track: Any) -> None:
    assert_problem(as_alice.delete("/questions/not-an-id"), 404, "not_found")


@pytest.mark.parametrize("who", ["as_bob", "as_diana"])
def test_only_owners_and_managers_retire_questions(request: Any, who: str, track: Any) -> None:
    question = mc(track, "Keep me")

    assert_problem(
        request.getfixturevalue(who).delete(f"/questions/{question.id}"), 403, "forbidden"
    )
    question.refresh_from_db()
    assert question.active is True


def test_other_tenants_cannot_retire_questions(as_charlie: Any, track: Any) -> None:
    question = mc(track, "Keep me")

    assert_problem(as_charlie.delete(f"/questions/{question.id}"), 404, "not_found")
    question.refresh_from_db()
    assert question.active is True
