from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.assessments.domain import (
    Choice,
    GradeOutOfRange,
    InvalidAnswer,
    NotReviewerGraded,
    Question,
    QuestionResult,
    QuestionType,
    ScorePending,
    apply_grade,
    check_choice_ids,
    grade_choices,
    passed,
    score,
)

D = Decimal


def mc(points: int = 2, *, correct: tuple[str, ...] = ("b",)) -> Question:
    return Question(
        id="q",
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="Which?",
        choices=tuple(Choice(c, c.upper(), c in correct) for c in "abcd"),
        points=points,
    )


def reviewer(kind: QuestionType, points: int) -> Question:
    return Question(id="r", type=kind, prompt="Handle this customer.", points=points)


def test_exact_correct_choice_earns_full_points():
    assert grade_choices(mc(2), ["b"]) == D(2)


def test_wrong_choice_earns_nothing():
    assert grade_choices(mc(2), ["a"]) == D(0)


def test_several_correct_choices_need_exactly_that_set():
    question = mc(3, correct=("a", "c"))

    assert grade_choices(question, ["c", "a"]) == D(3)
    assert grade_choices(question, ["a"]) == D(0)  # no partial credit
    assert grade_choices(question, ["a", "b", "c"]) == D(0)


def test_unanswered_or_empty_choice_earns_nothing():
    assert grade_choices(mc(), None) == D(0)
    assert grade_choices(mc(), []) == D(0)


def test_only_multiple_choice_is_auto_graded():
    with pytest.raises(InvalidAnswer):
        grade_choices(reviewer(QuestionType.SCENARIO, 2), ["a"])


def test_unknown_choice_ids_are_an_invalid_answer():
    assert check_choice_ids(mc(), ["a", "b"]) == {"a", "b"}
    with pytest.raises(InvalidAnswer) as error:
        check_choice_ids(mc(), ["b", "zz"])
    assert "zz" in str(error.value)


def test_choices_for_a_text_question_are_an_invalid_answer():
    with pytest.raises(InvalidAnswer):
        check_choice_ids(reviewer(QuestionType.SHORT_ANSWER, 1), ["a"])


def test_twenty_five_questions_one_critical_wrong_is_96_percent_and_failed():
    results = [QuestionResult(f"q{i}", 1, True, D(1)) for i in range(24)]
    results.append(QuestionResult("q24", 1, True, D(0)))

    result = score(results)

    assert result.percent == D("96.00")
    assert (result.earned, result.total) == (D(24), D(25))
    assert result.critical_missed
    assert not passed(result, 85)


def test_same_miss_on_a_non_critical_question_passes_85_but_not_100():
    results = [QuestionResult(f"q{i}", 1, False, D(1)) for i in range(24)]
    results.append(QuestionResult("q24", 1, False, D(0)))

    result = score(results)

    assert not result.critical_missed
    assert passed(result, 85)
    assert not passed(result, 100)


def test_score_weighs_questions_by_points():
    result = score(
        [
            QuestionResult("a", 3, False, D(3)),
            QuestionResult("b", 1, False, D(0)),
            QuestionResult("c", 2, False, D("1.5")),
        ]
    )

    assert (result.earned, result.total, result.percent) == (D("4.5"), D(6), D("75.00"))


def test_percent_is_truncated_to_two_places():
    assert score([QuestionResult("a", 3, False, D(2))]).percent == D("66.66")
    assert score([QuestionResult("a", 800, False, D(1))]).percent == D("0.12")  # 0.125


def test_pass_compares_the_exact_ratio_not_the_rounded_percent():
    result = score([QuestionResult("a", 1000, False, D("849.96"))])  # 84.996%

    assert result.percent == D("84.99")  # never displays a pass mark it did not reach
    assert not passed(result, 85)
    assert passed(result, D("84.995"))


def test_exactly_the_passing_score_passes():
    result = score([QuestionResult("a", 20, False, D(17))])

    assert result.percent == D("85.00")
    assert passed(result, D(85))


def test_reviewer_graded_critical_below_full_points_is_a_miss():
    result = score([QuestionResult("a", 5, True, D(4)), QuestionResult("b", 5, False, D(5))])

    assert result.critical_missed
    assert not passed(result, 50)


def test_pending_review_is_reported_and_blocks_the_decision():
    result = score(
        [
            QuestionResult("a", 2, False, D(2)),
            QuestionResult("b", 3, True, None),
            QuestionResult("c", 1, False, None),
        ]
    )

    assert result.pending_review
    assert (result.earned, result.total, result.pending_points) == (D(2), D(6), D(4))
    assert not result.critical_missed  # not graded yet
    with pytest.raises(ScorePending):
        passed(result, 50)


def test_final_score_has_no_pending_points():
    result = score([QuestionResult("a", 2, False, D(2))])

    assert not result.pending_review
    assert result.pending_points == D(0)


def test_an_empty_attempt_cannot_be_scored():
    with pytest.raises(ValueError):
        score([])


def test_passing_score_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        passed(score([QuestionResult("a", 1, False, D(1))]), 101)


def test_result_earned_above_points_is_refused():
    with pytest.raises(ValueError):
        QuestionResult("a", 2, False, D(3))


def test_result_of_builds_from_the_question():
    question = mc(4)

    assert QuestionResult.of(question, D(4)) == QuestionResult("q", 4, False, D(4))


@given(
    st.lists(st.tuples(st.integers(1, 10), st.booleans(), st.booleans()), min_size=1, max_size=30)
)
def test_percent_is_earned_over_total_and_any_critical_miss_fails(rows):
    results = [
        QuestionResult(f"q{i}", points, critical, D(points) if right else D(0))
        for i, (points, critical, right) in enumerate(rows)
    ]
    result = score(results)
    total = sum(p for p, _, _ in rows)
    earned = sum(p for p, _, right in rows if right)

    assert result.percent == (D(earned) * 100 / total).quantize(D("0.01"), "ROUND_DOWN")
    assert result.critical_missed == any(c and not r for _, c, r in rows)
    if result.critical_missed:
        assert not passed(result, 0)


def test_reviewer_grade_within_points_is_kept():
    assert apply_grade(reviewer(QuestionType.SHORT_ANSWER, 5), D("3.5")) == D("3.5")
    assert apply_grade(reviewer(QuestionType.SCENARIO, 5), D(0)) == D(0)
    assert apply_grade(reviewer(QuestionType.PRACTICAL, 5), D(5)) == D(5)


@pytest.mark.parametrize("grade", [D("5.01"), D(-1), D("1.234"), D("NaN"), D("Infinity")])
def test_reviewer_grade_out_of_range_is_refused(grade):
    with pytest.raises(GradeOutOfRange) as error:
        apply_grade(reviewer(QuestionType.SCENARIO, 5), grade)

    assert error.value.maximum == D(5)


def test_simulation_score_is_scaled_to_points():
    simulation = reviewer(QuestionType.SIMULATION, 3)

    assert apply_grade(simulation, D(75)) == D("2.25")
    assert apply_grade(simulation, D(33)) == D("0.99")
    assert apply_grade(simulation, D("66.67")) == D("2.00")  # 2.0001
    assert apply_grade(simulation, D(100)) == D("3.00")


def test_simulation_score_above_100_is_refused():
    with pytest.raises(GradeOutOfRange) as error:
        apply_grade(reviewer(QuestionType.SIMULATION, 3), D(101))

    assert error.value.maximum == D(100)


def test_multiple_choice_takes_no_reviewer_grade():
    with pytest.raises(NotReviewerGraded):
        apply_grade(mc(), D(1))
