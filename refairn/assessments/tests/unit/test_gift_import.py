from decimal import Decimal

from refairn.assessments.domain import QuestionType
from refairn.assessments.gift import GiftAnswer, GiftQuestion, parse_gift

D = Decimal
MC = QuestionType.MULTIPLE_CHOICE


def only(text: str) -> GiftQuestion:
    (question,) = parse_gift(text)
    return question


def test_multiple_choice_with_title_feedback_and_general_feedback():
    question = only("::Q1:: What is 2+2? {=four#Yes! ~three#No. ####Count again.}")

    assert question == GiftQuestion(
        type=MC,
        prompt="What is 2+2?",
        answers=(GiftAnswer("four", D(100), "Yes!"), GiftAnswer("three", D(0), "No.")),
        title="Q1",
        general_feedback="Count again.",
    )


def test_weights_make_positive_answers_correct():
    question = only("Which two? {~%50%a ~%50%b ~%-100%c ~%33.33333%d}")

    assert [(a.text, a.weight, a.correct) for a in question.answers] == [
        ("a", D(50), True),
        ("b", D(50), True),
        ("c", D(-100), False),
        ("d", D("33.33333"), True),
    ]


def test_all_equals_answers_are_a_short_answer():
    question = only("Who's buried in Grant's tomb?{=no one =nobody =%50%Grant#close}")

    assert question.type is QuestionType.SHORT_ANSWER
    assert question.answers == (
        GiftAnswer("no one"),
        GiftAnswer("nobody"),
        GiftAnswer("Grant", D(50), "close"),
    )


def test_empty_answer_block_is_a_scenario():
    question = only("Describe how you would calm an angry customer. {}")

    assert question.type is QuestionType.SCENARIO
    assert question.answers == ()


def test_true_false_becomes_a_true_false_multiple_choice():
    question = only("The sky is blue. {T}")

    assert question.type is MC
    assert question.answers == (GiftAnswer("True", D(100)), GiftAnswer("False", D(0)))


def test_false_with_moodle_feedback_wrong_then_right():
    question = only("Grant is buried in Grant's tomb.{FALSE#He is entombed.#Correct!}")

    assert question.answers == (
        GiftAnswer("True", D(0), "He is entombed."),
        GiftAnswer("False", D(100), "Correct!"),
    )


def test_true_false_accepts_lowercase_words():
    assert only("Yes? {true}").answers[0] == GiftAnswer("True", D(100))


def test_escaped_characters_are_text():
    question = only(r"Braces \{x\} and \= \~ \# \: \\ and a\nbreak {=a\~b ~c\#d}")

    assert question.prompt == "Braces {x} and = ~ # : \\ and a\nbreak"
    assert [a.text for a in question.answers] == ["a~b", "c#d"]


def test_unknown_escape_keeps_its_backslash():
    assert only(r"C:\temp\x path {}").prompt == r"C:\temp\x path"


def test_format_prefixes_are_dropped():
    question = only("::T::[html]<p>Pick</p> {=[html]<b>yes</b>#[markdown]*ok* ~no}")

    assert question.prompt == "<p>Pick</p>"
    assert question.answers[0] == GiftAnswer("<b>yes</b>", D(100), "*ok*")


def test_question_over_several_lines_with_comments_inside():
    question = only(
        "::Q:: Which step comes first\n"
        "when a customer asks for a refund? {\n"
        "  // the right one\n"
        "  =Acknowledge and escalate\n"
        "  ~Refund at once\n"
        "}\n"
    )

    assert question.prompt == "Which step comes first\nwhen a customer asks for a refund?"
    assert [a.text for a in question.answers] == ["Acknowledge and escalate", "Refund at once"]


def test_missing_word_question_gets_a_blank():
    question = only("Grant is {~buried =entombed ~living} in Grant's tomb.")

    assert question.prompt == "Grant is _____ in Grant's tomb."


def test_comments_and_blank_lines_separate_questions():
    questions = parse_gift(
        "// first\nOne {=a ~b}\n\n\n// second\nTwo http://x.test {}\n\n// trailing comment\n"
    )

    assert [q.prompt for q in questions] == ["One", "Two http://x.test"]


def test_category_sets_the_topic_of_the_following_questions():
    questions = parse_gift(
        "$CATEGORY: $course$/top/Billing\n\nA {}\n\nB {}\n\n$CATEGORY: Security\n\nC {}"
    )

    assert [q.topic for q in questions] == ["Billing", "Billing", "Security"]


def test_refairn_metadata_and_rubric_are_read():
    question = only(
        "// refairn: type=simulation points=5 critical=true\n"
        "// refairn-rubric: Greets the customer.\n"
        "// refairn-rubric:\n"
        "// refairn-rubric:   keywords: calm, refund\n"
        "::Sim:: Role-play an angry customer. {}"
    )

    assert question.type is QuestionType.SIMULATION
    assert (question.points, question.critical) == (5, True)
    assert question.rubric == "Greets the customer.\n\n  keywords: calm, refund"


def test_without_metadata_a_question_is_worth_one_point_and_not_critical():
    question = only("Q {=a ~b}")

    assert (question.points, question.critical, question.rubric) == (1, False, "")


def test_declared_short_answer_reads_arrows_as_text():
    question = only("// refairn: type=short_answer\nPath? {=Settings -> Billing}")

    assert question.answers == (GiftAnswer("Settings -> Billing"),)


def test_answer_starting_with_percent_after_an_explicit_weight():
    assert only("Q {~%0%%5 off =%100%%10 off}").answers == (
        GiftAnswer("%5 off", D(0)),
        GiftAnswer("%10 off", D(100)),
    )


def test_windows_line_endings_and_byte_order_mark():
    questions = parse_gift("\ufeff::A:: One {=a ~b}\r\n\r\n::B:: Two {}\r\n")

    assert [q.title for q in questions] == ["A", "B"]


def test_moodle_export_reads():
    text = (
        "// question: 0  name: Switch category to $course$/top/Default for Demo/Billing\n"
        "$CATEGORY: $course$/top/Default for Demo/Billing\n\n\n"
        "// question: 12  name: Refunds\n"
        "::Refunds::[html]<p>Who refunds?</p>{\n"
        "\t=%100%the business#\n"
        "\t=%100%billing team#\n"
        "}\n\n"
        "// question: 13  name: Pick\n"
        "::Pick::[html]Pick two{\n"
        "\t~%50%A#\n"
        "\t~%50%B\n"
        "\t~%-100%C\n"
        "\t####General\n"
        "}\n"
    )

    refunds, pick = parse_gift(text)

    assert refunds.type is QuestionType.SHORT_ANSWER
    assert refunds.topic == "Default for Demo/Billing"
    assert refunds.answers == (GiftAnswer("the business"), GiftAnswer("billing team"))
    assert pick.general_feedback == "General"
    assert [a.correct for a in pick.answers] == [True, True, False]


def test_empty_text_has_no_questions():
    assert parse_gift("") == []
    assert parse_gift("// only a comment\n\n") == []
