from decimal import Decimal

import pytest

from refairn.assessments.domain import (
    Choice,
    Question,
    QuestionType,
    Suggestion,
    expected_keywords,
    suggest_score,
)

D = Decimal
RUBRIC = "Full credit when the agent escalates.\nkeywords: refund, escalate, billing team"
RUBRIC_KEYWORDS = ("refund", "escalate", "billing team")


def scenario(rubric: str = RUBRIC, points: int = 4) -> Question:
    return Question(
        id="s",
        type=QuestionType.SCENARIO,
        prompt="A customer disputes a charge.",
        points=points,
        rubric=rubric,
    )


def short_answer(*accepted: str, rubric: str = "") -> Question:
    return Question(
        id="a",
        type=QuestionType.SHORT_ANSWER,
        prompt="Who is buried in Grant's tomb?",
        choices=tuple(Choice(f"c{i}", text, True) for i, text in enumerate(accepted)),
        points=2,
        rubric=rubric,
    )


def test_keywords_line_gives_the_expected_keywords():
    assert expected_keywords(RUBRIC) == ("refund", "escalate", "billing team")


def test_two_of_three_keywords_on_four_points_suggest_2_5():
    suggestion = suggest_score(scenario(), "I would escalate this to the Billing Team!")

    # 4 * 2/3 = 2.67 -> nearest half: 2.5
    assert suggestion == Suggestion(D("2.5"), ("escalate", "billing team"), RUBRIC_KEYWORDS)


def test_keywords_match_through_simple_stemming():
    suggestion = suggest_score(
        scenario(), "Escalating now; the refunds are for the teams in billing."
    )

    assert suggestion is not None
    assert suggestion.matched == RUBRIC_KEYWORDS
    assert suggestion.points == D(4)


def test_no_keyword_suggests_zero():
    suggestion = suggest_score(scenario(), "I would fix it myself.")

    assert suggestion == Suggestion(D(0), (), RUBRIC_KEYWORDS)


def test_rubric_without_keywords_line_uses_its_content_words():
    question = scenario("Must mention the refund policy and escalation.", points=2)

    suggestion = suggest_score(question, "Our refund policies apply.")

    # expected: refund, policy, escalation; 2 * 2/3 = 1.33 -> 1.5
    assert suggestion == Suggestion(
        D("1.5"), ("refund", "policy"), ("refund", "policy", "escalation")
    )


@pytest.mark.parametrize(
    ("points", "matched", "expected"),
    [
        (1, "alpha", D("0.5")),
        (3, "alpha", D("1")),
        (2, "alpha beta", D("1")),
        (5, "alpha", D("1.5")),
    ],
)
def test_suggestion_rounds_half_up_to_the_nearest_half_point(points, matched, expected):
    question = scenario("keywords: alpha, beta, gamma, delta", points=points)

    suggestion = suggest_score(question, matched)

    # 1*1/4=0.25->0.5; 3*1/4=0.75->1; 2*2/4=1; 5*1/4=1.25->1.5
    assert suggestion is not None
    assert suggestion.points == expected


def test_duplicate_keywords_count_once():
    assert expected_keywords("keywords: refund, Refunds; escalate") == ("refund", "escalate")


def test_short_answer_containing_an_accepted_answer_suggests_full_points():
    suggestion = suggest_score(short_answer("no one", "nobody"), "Nobody, of course.")

    assert suggestion == Suggestion(D(2), ("nobody",), ("nobody",))


def test_short_answer_missing_every_accepted_answer_suggests_zero():
    suggestion = suggest_score(short_answer("no one", "nobody"), "Grant")

    assert suggestion == Suggestion(D(0), (), ("no one", "nobody"))


def test_short_answer_falls_back_to_rubric_keywords():
    question = short_answer("nobody", rubric="keywords: grant, wife")

    suggestion = suggest_score(question, "Grant and his wife")

    assert suggestion == Suggestion(D(2), ("grant", "wife"), ("grant", "wife"))


@pytest.mark.parametrize("kind", [QuestionType.PRACTICAL, QuestionType.SIMULATION])
def test_practical_and_simulation_get_no_suggestion(kind):
    question = Question(id="p", type=kind, prompt="Do it.", rubric="keywords: refund")

    assert suggest_score(question, "refund") is None


def test_scenario_without_rubric_gets_no_suggestion():
    assert suggest_score(scenario(""), "anything") is None
