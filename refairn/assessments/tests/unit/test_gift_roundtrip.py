from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from refairn.assessments.domain import Choice, Question, QuestionType
from refairn.assessments.gift import (
    GiftAnswer,
    GiftQuestion,
    export_gift,
    gift_from_question,
    parse_gift,
    question_from_gift,
)

D = Decimal
REVIEWED = [QuestionType.SCENARIO, QuestionType.PRACTICAL, QuestionType.SIMULATION]
# Characters GIFT gives a meaning to, and starts of text that would read as markup.
SPECIALS = list("~=#{}:\\%[]/->$_ \n")
STARTS = ["", "", "", "[html]", "[moodle]", "//", "%", "%50%", "::", "$CATEGORY:", "#", "####"]
STARTS += ["=", "~", "{", "}", "\\n", "\\", "T", "->"]
MC_WEIGHTS = [D(100), D(0), D(50), D(-100), D("33.33333"), D(25), D(-50), D("12.5")]
SA_WEIGHTS = [D(100), D(50), D("33.33333"), D(10)]

# Plain letters plus Unicode that str.strip() treats as space (no-break, ideographic, line
# separator) and text outside Latin-1, so trimming and encoding are exercised too.
chars = st.sampled_from([*"abcXYZ09.,'?!é日😀", "\xa0", "\u3000", "\u2028", *SPECIALS])
visible = st.sampled_from([*"abcXYZ09.,'?!é日😀~=#{}:\\%[]/->$_"])
texts = st.builds(
    lambda start, head, rest: (start + head + rest).strip(),
    st.sampled_from(STARTS),
    visible,
    st.text(chars, max_size=15),
)
optional_texts = st.just("") | texts
topics = st.text(st.sampled_from("abcXYZ019 &/-"), max_size=15).map(str.strip)
rubrics = st.text(chars | st.just("\t"), max_size=40)


def gift_answers(weights: list[Decimal]) -> st.SearchStrategy[GiftAnswer]:
    return st.builds(GiftAnswer, texts, st.sampled_from(weights), optional_texts)


@st.composite
def gift_questions(draw: st.DrawFn) -> GiftQuestion:
    kind = draw(st.sampled_from(list(QuestionType)))
    answers: list[GiftAnswer] = []
    if kind is QuestionType.MULTIPLE_CHOICE:
        right = draw(gift_answers([w for w in MC_WEIGHTS if w > 0]))
        others = draw(st.lists(gift_answers(MC_WEIGHTS), min_size=1, max_size=4))
        answers = draw(st.permutations([right, *others]))
    elif kind is QuestionType.SHORT_ANSWER:
        answers = draw(st.lists(gift_answers(SA_WEIGHTS), max_size=3))
    return GiftQuestion(
        type=kind,
        prompt=draw(texts),
        answers=tuple(answers),
        title=draw(optional_texts),
        general_feedback=draw(optional_texts),
        points=draw(st.integers(1, 10**6)),
        critical=draw(st.booleans()),
        topic=draw(topics),
        rubric=draw(rubrics),
    )


@given(st.lists(gift_questions(), max_size=6))
def test_export_then_import_gives_the_same_gift_questions(questions):
    assert parse_gift(export_gift(questions)) == questions


@st.composite
def questions(draw: st.DrawFn) -> Question:
    kind = draw(st.sampled_from(list(QuestionType)))
    flags: list[bool] = []
    if kind is QuestionType.MULTIPLE_CHOICE:
        flags = draw(
            st.permutations([True, *draw(st.lists(st.booleans(), min_size=1, max_size=5))])
        )
    elif kind is QuestionType.SHORT_ANSWER:
        flags = [True] * draw(st.integers(0, 3))
    return Question(
        id="q",
        type=kind,
        prompt=draw(texts),
        choices=tuple(
            Choice(f"c{i}", draw(texts), correct, draw(optional_texts))
            for i, correct in enumerate(flags)
        ),
        points=draw(st.integers(1, 100)),
        critical=draw(st.booleans()),
        topic=draw(topics),
        rubric=draw(rubrics),
    )


@given(st.lists(questions(), min_size=1, max_size=5))
def test_our_questions_survive_a_gift_round_trip(originals):
    parsed = parse_gift(export_gift([gift_from_question(q) for q in originals]))

    assert [
        question_from_gift(g, question_id="q", choice_ids=[c.id for c in q.choices])
        for g, q in zip(parsed, originals, strict=True)
    ] == originals


def test_several_correct_choices_export_as_shared_weights():
    question = Question(
        id="q",
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="Which must be escalated?",
        choices=(
            Choice("a", "Refunds", True),
            Choice("b", "Password resets", True),
            Choice("c", "How-to questions", False),
            Choice("d", "Billing disputes", True),
        ),
        points=2,
        critical=True,
        topic="Escalation",
        rubric="keywords: refund",
    )

    assert export_gift([gift_from_question(question)]) == (
        "$CATEGORY: Escalation\n\n"
        "// refairn: type=multiple_choice points=2 critical=true\n"
        "// refairn-rubric: keywords: refund\n"
        "Which must be escalated? {~%33.33333%Refunds ~%33.33333%Password resets "
        "~%-100%How-to questions ~%33.33333%Billing disputes}\n"
    )


def test_export_escapes_and_protects_text_that_would_read_as_markup():
    question = GiftQuestion(
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="// {odd}: 1=1?\nyes",
        answers=(GiftAnswer("%5", D(100), "[html]x"), GiftAnswer("a#b~c", D(0))),
    )

    assert export_gift([question]) == (
        "// refairn: type=multiple_choice points=1 critical=false\n"
        "[moodle]// \\{odd\\}\\: 1\\=1?\\nyes {~%100%%5#[moodle][html]x ~a\\#b\\~c}\n"
    )


def test_carriage_returns_export_as_line_breaks():
    question = GiftQuestion(
        type=QuestionType.SCENARIO, prompt="a\r\rb", title="t\r", rubric="x\r\ry\r\nz"
    )

    assert parse_gift(export_gift([question])) == [
        GiftQuestion(type=QuestionType.SCENARIO, prompt="a\n\nb", title="t", rubric="x\n\ny\nz")
    ]


def test_export_returns_to_no_topic_with_an_empty_category():
    exported = export_gift(
        [
            GiftQuestion(type=QuestionType.SCENARIO, prompt="A", topic="Billing"),
            GiftQuestion(type=QuestionType.SCENARIO, prompt="B"),
        ]
    )

    assert "\n$CATEGORY:\n" in exported
    assert [q.topic for q in parse_gift(exported)] == ["Billing", ""]


def test_export_of_nothing_is_empty():
    assert export_gift([]) == ""
