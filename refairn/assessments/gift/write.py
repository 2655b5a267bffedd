"""Writing ``GiftQuestion``s as GIFT text that ``parse_gift`` reads back unchanged."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from refairn.assessments.domain.questions import QuestionType
from refairn.assessments.gift.model import (
    CATEGORY_LINE,
    FORMAT_PREFIX,
    FULL,
    ZERO,
    GiftAnswer,
    GiftQuestion,
)

_ESCAPE_TABLE = str.maketrans(
    {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:"}
    | {"\n": "\\n"}
)


def _newlines(text: str) -> str:
    # A bare \r would read as a line break on import and could split the question.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _escape(text: str) -> str:
    return _newlines(text).translate(_ESCAPE_TABLE)


def _write_text(text: str) -> str:
    # A text that starts like a format prefix gets Moodle's default one, which import drops.
    return ("[moodle]" if FORMAT_PREFIX.match(text) else "") + _escape(text)


def _write_weight(weight: Decimal) -> str:
    return format(weight.normalize(), "f")


def _write_answer(kind: QuestionType, answer: GiftAnswer) -> str:
    # A text starting with % would read as a weight, so it always gets an explicit one.
    bare = not answer.text.startswith("%")
    if kind is QuestionType.SHORT_ANSWER:
        mark = "=" if bare and answer.weight == FULL else f"=%{_write_weight(answer.weight)}%"
    elif bare and answer.weight == FULL:
        mark = "="
    elif bare and answer.weight == ZERO:
        mark = "~"
    else:
        mark = f"~%{_write_weight(answer.weight)}%"
    feedback = f"#{_write_text(answer.feedback)}" if answer.feedback else ""
    return f"{mark}{_write_text(answer.text)}{feedback}"


def _write_question(question: GiftQuestion) -> str:
    critical = "true" if question.critical else "false"
    lines = [f"// refairn: type={question.type.value} points={question.points} critical={critical}"]
    if question.irt is not None:
        # repr keeps every digit, so an export read back gives the same parameters.
        irt = question.irt
        lines.append(f"// refairn-irt: a={irt.a!r} b={irt.b!r} c={irt.c!r}")
    if question.rubric:
        lines += [f"// refairn-rubric: {line}" for line in _newlines(question.rubric).split("\n")]
    head = f"::{_escape(question.title)}::" if question.title else ""
    prompt = _write_text(question.prompt)
    if not head and prompt.startswith("//"):
        prompt = "[moodle]" + prompt  # else the line would read as a comment
    parts = [_write_answer(question.type, a) for a in question.answers]
    if question.general_feedback:
        parts.append("####" + _write_text(question.general_feedback))
    lines.append(f"{head}{prompt} {{{' '.join(parts)}}}")
    return "\n".join(lines)


def export_gift(questions: Iterable[GiftQuestion]) -> str:
    """PRODUCT.md §4: export questions as Moodle GIFT, with Refairn's metadata comments
    (module docs) so that importing the result gives the same questions back."""
    blocks: list[str] = []
    topic = ""
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            blocks.append(f"{CATEGORY_LINE} {topic}".rstrip())
        blocks.append(_write_question(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""
