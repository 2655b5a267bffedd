from decimal import Decimal

from refairn.assessments.domain import (
    QuestionResult,
    QuestionStats,
    average_percent,
    most_difficult,
    question_statistics,
)

D = Decimal


def attempt(**marks: bool) -> list[QuestionResult]:
    return [QuestionResult(q, 1, False, D(1) if right else D(0)) for q, right in marks.items()]


def test_percent_correct_and_discrimination_of_four_attempts():
    stats = question_statistics(
        [
            attempt(q1=True, q2=True, q3=True, q4=True),  # 100%
            attempt(q1=True, q2=True, q3=False, q4=True),  # 75%
            attempt(q1=True, q2=False, q3=False, q4=True),  # 50%
            attempt(q1=False, q2=False, q3=False, q4=True),  # 25%
        ]
    )

    # 4 attempts: groups of round(0.27 * 4) = 1, the 100% and the 25% attempts.
    assert stats == {
        "q1": QuestionStats("q1", 4, 3, D("75.00"), D("1.00")),
        "q2": QuestionStats("q2", 4, 2, D("50.00"), D("1.00")),
        "q3": QuestionStats("q3", 4, 1, D("25.00"), D("1.00")),
        "q4": QuestionStats("q4", 4, 4, D("100.00"), D("0.00")),
    }


def scored(filler: int, right: bool) -> list[QuestionResult]:
    """An attempt whose rank is set by a 100-point filler question."""
    return [
        QuestionResult("q", 1, False, D(1) if right else D(0)),
        QuestionResult("filler", 100, False, D(filler)),
    ]


def test_question_the_weakest_get_right_has_negative_discrimination():
    stats = question_statistics(
        [scored(100, False), scored(80, False), scored(10, True), scored(0, True)]
    )

    assert stats["q"].discrimination == D("-1.00")
    assert stats["q"].percent_correct == D("50.00")


def test_groups_are_27_percent_of_the_attempts():
    right_at = {9, 8, 7, 5, 0}
    stats = question_statistics([scored(10 * i, i in right_at) for i in range(10)])

    # 10 attempts: groups of 3; upper (i=7,8,9) 3/3, lower (i=0,1,2) 1/3 -> D = 0.67
    assert stats["q"].discrimination == D("0.67")
    assert stats["q"].times_answered == 10
    assert stats["q"].percent_correct == D("50.00")


def test_one_attempt_has_no_discrimination():
    assert question_statistics([attempt(q1=True)])["q1"].discrimination is None


def test_attempts_awaiting_review_are_left_out():
    pending = [QuestionResult("q1", 1, False, D(0)), QuestionResult("q2", 2, False, None)]

    stats = question_statistics([attempt(q1=True), pending])

    assert stats["q1"].times_answered == 1
    assert "q2" not in stats


def test_questions_drawn_in_only_some_attempts_count_only_those():
    stats = question_statistics([attempt(q1=True, q2=False), attempt(q1=False)])

    assert stats["q2"].times_answered == 1
    assert stats["q1"].times_answered == 2


def stat(qid: str, percent: str) -> QuestionStats:
    return QuestionStats(qid, 100, int(D(percent)), D(percent), None)


def test_most_difficult_are_below_70_percent_hardest_first():
    stats = [stat("api", "62"), stat("gdpr", "65"), stat("proration", "68"), stat("churn", "66")]
    stats += [stat("easy", "90"), stat("border", "70")]

    assert [s.question_id for s in most_difficult(stats)] == ["api", "gdpr", "churn", "proration"]


def test_most_difficult_threshold_is_configurable():
    assert [s.question_id for s in most_difficult([stat("a", "75")], threshold=80)] == ["a"]


def test_average_percent_rounds_half_up():
    assert average_percent([D("89.2"), D("84.5"), D("88.1")]) == D("87.27")
    assert average_percent([D("0.005"), D(0)]) == D("0.00")
    assert average_percent([D("0.01"), D(0)]) == D("0.01")  # 0.005 -> 0.01


def test_average_of_nothing_is_none():
    assert average_percent([]) is None
