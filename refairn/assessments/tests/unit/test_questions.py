import json
import random

import pytest

from refairn.assessments.domain import (
    BankTooSmall,
    Choice,
    Question,
    QuestionType,
    agent_view,
    draw_questions,
    shuffle_choices,
)

SECRET_RUBRIC = "RUBRIC-escalate to the billing team"
SECRET_FEEDBACK = "FEEDBACK-that is right"
SECRET_ACCEPTED = "ACCEPTED-nobody"


def mc(qid: str, *, critical: bool = False) -> Question:
    return Question(
        id=qid,
        type=QuestionType.MULTIPLE_CHOICE,
        prompt=f"Prompt {qid}",
        choices=(
            Choice(f"{qid}a", "Refund at once", False, SECRET_FEEDBACK),
            Choice(f"{qid}b", "Escalate", True, SECRET_FEEDBACK),
            Choice(f"{qid}c", "Ignore", False),
            Choice(f"{qid}d", "Acknowledge and escalate", True),
        ),
        critical=critical,
        rubric=SECRET_RUBRIC,
    )


def one_of_each_type() -> list[Question]:
    questions = [mc("q1")]
    questions.append(
        Question(
            id="q2",
            type=QuestionType.SHORT_ANSWER,
            prompt="Who handles refunds?",
            choices=(Choice("q2a", SECRET_ACCEPTED, True, SECRET_FEEDBACK),),
            rubric=SECRET_RUBRIC,
        )
    )
    for qid, kind in (
        ("q3", QuestionType.SCENARIO),
        ("q4", QuestionType.PRACTICAL),
        ("q5", QuestionType.SIMULATION),
    ):
        questions.append(
            Question(id=qid, type=kind, prompt="A customer asks…", rubric=SECRET_RUBRIC)
        )
    return questions


def test_reviewer_graded_types_are_the_four_non_choice_types():
    from refairn.assessments.domain import REVIEWER_GRADED

    assert {"short_answer", "scenario", "practical", "simulation"} == REVIEWER_GRADED


@pytest.mark.parametrize("question", one_of_each_type(), ids=lambda q: q.type.value)
def test_agent_view_never_contains_correct_flags_feedback_or_rubric(question: Question):
    view = agent_view(question)
    payload = json.dumps(view)

    assert set(view) == {"id", "type", "prompt", "choices"}
    assert all(set(choice) == {"id", "text"} for choice in view["choices"])
    for leak in ('"correct"', '"rubric"', '"feedback"', "RUBRIC-", "FEEDBACK-", "ACCEPTED-"):
        assert leak not in payload


def test_agent_view_of_multiple_choice_lists_choices_in_their_order():
    view = agent_view(mc("q1"))

    assert view == {
        "id": "q1",
        "type": "multiple_choice",
        "prompt": "Prompt q1",
        "choices": [
            {"id": "q1a", "text": "Refund at once"},
            {"id": "q1b", "text": "Escalate"},
            {"id": "q1c", "text": "Ignore"},
            {"id": "q1d", "text": "Acknowledge and escalate"},
        ],
    }


def test_agent_view_of_short_answer_hides_accepted_answers():
    assert agent_view(one_of_each_type()[1])["choices"] == []


def test_draw_takes_count_distinct_questions_from_the_bank():
    bank = [mc(f"q{i}") for i in range(10)]

    drawn = draw_questions(bank, 4, random.Random(7))

    assert len(drawn) == 4
    assert len({q.id for q in drawn}) == 4
    assert {q.id for q in drawn} <= {q.id for q in bank}


def test_draw_with_the_same_seed_is_the_same():
    bank = [mc(f"q{i}") for i in range(10)]

    assert draw_questions(bank, 5, random.Random(42)) == draw_questions(bank, 5, random.Random(42))


def test_draw_of_the_whole_bank_takes_every_question():
    bank = [mc(f"q{i}") for i in range(6)]

    assert sorted(q.id for q in draw_questions(bank, 6, random.Random(1))) == [
        f"q{i}" for i in range(6)
    ]


def test_draw_varies_with_the_seed():
    bank = [mc(f"q{i}") for i in range(10)]

    draws = {tuple(q.id for q in draw_questions(bank, 3, random.Random(s))) for s in range(20)}

    assert len(draws) > 1


def test_draw_from_a_bank_too_small_names_the_numbers():
    with pytest.raises(BankTooSmall) as error:
        draw_questions([mc("q1"), mc("q2"), mc("q3")], 5, random.Random(0))

    assert (error.value.available, error.value.requested) == (3, 5)
    assert error.value.code == "question_bank_too_small"
    assert "3" in str(error.value) and "5" in str(error.value)


def test_draw_of_zero_questions_is_refused():
    with pytest.raises(ValueError):
        draw_questions([mc("q1")], 0, random.Random(0))


def test_draw_shuffles_choices_but_keeps_them_and_their_flags():
    question = mc("q1")
    orders = set()
    for seed in range(20):
        (drawn,) = draw_questions([question], 1, random.Random(seed))
        assert set(drawn.choices) == set(question.choices)
        orders.add(tuple(c.id for c in drawn.choices))

    assert len(orders) > 1


def test_shuffle_leaves_questions_without_choices_alone():
    scenario = one_of_each_type()[2]

    assert shuffle_choices(scenario, random.Random(3)) is scenario


def test_correct_choice_ids_are_the_correct_choices():
    assert mc("q1").correct_choice_ids == {"q1b", "q1d"}


@pytest.mark.parametrize(
    ("kind", "choices", "points"),
    [
        (QuestionType.MULTIPLE_CHOICE, (Choice("a", "Only", True),), 1),
        (QuestionType.MULTIPLE_CHOICE, (Choice("a", "A", False), Choice("b", "B", False)), 1),
        (QuestionType.MULTIPLE_CHOICE, (Choice("a", "A", True), Choice("a", "B", False)), 1),
        (QuestionType.MULTIPLE_CHOICE, (Choice("a", "A", True), Choice("b", " ", False)), 1),
        (QuestionType.SHORT_ANSWER, (Choice("a", "wrong", False),), 1),
        (QuestionType.SCENARIO, (Choice("a", "A", True),), 1),
        (QuestionType.SCENARIO, (), 0),
        (QuestionType.SCENARIO, (), True),
    ],
)
def test_invalid_questions_are_refused(kind, choices, points):
    with pytest.raises(ValueError):
        Question(id="q", type=kind, prompt="P", choices=choices, points=points)


def test_a_question_needs_a_prompt():
    with pytest.raises(ValueError):
        Question(id="q", type=QuestionType.SCENARIO, prompt="  ")
