"""Reading GIFT text into ``GiftQuestion``s (the rules: the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import NamedTuple

from refairn.assessments.domain.irt import ItemParameters
from refairn.assessments.domain.questions import QuestionType
from refairn.assessments.gift.model import (
    CATEGORY_LINE,
    FORMAT_PREFIX,
    FULL,
    ZERO,
    GiftAnswer,
    GiftError,
    GiftQuestion,
)

_ANSWERED = frozenset({QuestionType.MULTIPLE_CHOICE, QuestionType.SHORT_ANSWER})
_ESCAPES = {"\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n"}
_WEIGHT = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]+)?")
_META = re.compile(r"^//\s*refairn:(.*)$")
_RUBRIC = re.compile(r"^//\s*refairn-rubric:(.*)$")
_IRT = re.compile(r"^//\s*refairn-irt:(.*)$")
_CONTEXT = re.compile(r"^\$[^$/]*\$/(?:top(?:/|$))?")
_TYPES = {t.value: t for t in QuestionType}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Ch(NamedTuple):
    char: str
    literal: bool  # escaped (or a lone backslash): text, never markup
    pos: int  # offset in the question's source text, for line numbers


def _scan(text: str) -> list[_Ch]:
    out: list[_Ch] = []
    i = 0
    while i < len(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if text[i] == "\\" and nxt in _ESCAPES:
            out.append(_Ch(_ESCAPES[nxt], True, i))
            i += 2
        else:  # like Moodle, an unknown escape keeps its backslash
            out.append(_Ch(text[i], text[i] == "\\", i))
            i += 1
    return out


def _text(chs: Sequence[_Ch]) -> str:
    return "".join(c.char for c in chs)


def _without_format(text: str) -> str:
    return FORMAT_PREFIX.sub("", text.strip(), count=1).strip()


def _clean(chs: Sequence[_Ch]) -> str:
    return _without_format(_text(chs))


def _find(chs: Sequence[_Ch], mark: str, start: int = 0) -> int:
    for i in range(start, len(chs)):
        if chs[i].char == mark and not chs[i].literal:
            return i
    return -1


def _find_run(chs: Sequence[_Ch], mark: str, length: int, start: int = 0) -> list[int]:
    """Every index where ``length`` unescaped ``mark`` characters begin."""
    return [
        i
        for i in range(start, len(chs) - length + 1)
        if all(c.char == mark and not c.literal for c in chs[i : i + length])
    ]


def _lstrip(chs: Sequence[_Ch]) -> Sequence[_Ch]:
    i = 0
    while i < len(chs) and chs[i].char.isspace():
        i += 1
    return chs[i:]


@dataclass
class _Meta:
    line: int | None = None
    type: QuestionType | None = None
    points: int = 1
    critical: bool = False
    rubric: list[str] = field(default_factory=list)
    irt: ItemParameters | None = None


class _Source:
    """A question's lines (comments removed) joined, with a map back to file line numbers."""

    def __init__(self, body: Sequence[tuple[int, str]]) -> None:
        self.numbers = [number for number, _ in body]
        self.starts: list[int] = []
        offset = 0
        for _, line in body:
            self.starts.append(offset)
            offset += len(line) + 1
        self.chs = _scan("\n".join(line for _, line in body))

    def line(self, ch: _Ch) -> int:
        index = max(i for i, start in enumerate(self.starts) if start <= ch.pos)
        return self.numbers[index]


def parse_gift(text: str) -> list[GiftQuestion]:
    """PRODUCT.md §4: import questions from Moodle GIFT (module docs for what is supported).

    Raises ``GiftError`` with the 1-based line of the problem, or where its question starts.
    """
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    questions: list[GiftQuestion] = []
    topic = ""
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            block.append((number, line))
            continue
        if block:
            topic, question = _read_block(block, topic)
            if question is not None:
                questions.append(question)
            block = []
    return questions


def _read_block(block: Sequence[tuple[int, str]], topic: str) -> tuple[str, GiftQuestion | None]:
    meta = _Meta()
    body: list[tuple[int, str]] = []
    for number, line in block:
        stripped = line.lstrip()
        if stripped.startswith("//"):
            if rubric := _RUBRIC.match(stripped):
                meta.line = meta.line or number
                meta.rubric.append(rubric.group(1).removeprefix(" "))
            elif irt := _IRT.match(stripped):
                meta.line = meta.line or number
                meta.irt = _read_irt(number, irt.group(1))
            elif refairn := _META.match(stripped):
                meta.line = meta.line or number
                _read_meta(number, refairn.group(1), meta)
        elif not body and stripped.startswith(CATEGORY_LINE):
            topic = _CONTEXT.sub("", stripped[len(CATEGORY_LINE) :].strip(), count=1)
        else:
            body.append((number, line))
    if not body:
        if meta.line is not None:
            raise GiftError(meta.line, "'// refairn' lines must be directly above their question")
        return topic, None
    return topic, _read_question(_Source(body), meta, topic)


def _read_meta(number: int, content: str, meta: _Meta) -> None:
    for token in content.split():
        key, _, value = token.partition("=")
        if key == "type" and value in _TYPES:
            meta.type = _TYPES[value]
        elif key == "points" and re.fullmatch(r"[0-9]+", value) and int(value) >= 1:
            meta.points = int(value)
        elif key == "critical" and value.lower() in ("true", "false"):
            meta.critical = value.lower() == "true"
        else:
            raise GiftError(
                number,
                f"unknown refairn setting {token!r}: use type=<question type>, "
                "points=<whole number of at least 1>, critical=true|false",
            )


def _read_irt(number: int, content: str) -> ItemParameters:
    values: dict[str, str] = {}
    for token in content.split():
        key, _, value = token.partition("=")
        if key not in ("a", "b", "c") or key in values:
            raise GiftError(number, f"unknown or repeated IRT setting {token!r}: use a= b= c=")
        values[key] = value
    try:
        return ItemParameters.from_json(values)
    except ValueError as error:
        raise GiftError(number, f"IRT parameters: {error}") from None


def _read_question(source: _Source, meta: _Meta, topic: str) -> GiftQuestion:
    first_line = source.numbers[0]
    chs = _lstrip(source.chs)
    title = ""
    if _text(chs[:2]) == "::" and not chs[0].literal and not chs[1].literal:
        ends = _find_run(chs, ":", 2, start=2)
        if not ends:
            raise GiftError(first_line, "the title's '::' is not closed by another '::'")
        title, chs = _text(chs[2 : ends[0]]).strip(), chs[ends[0] + 2 :]
    opening, stray = _find(chs, "{"), _find(chs, "}")
    if 0 <= stray < opening or (opening < 0 and stray >= 0):
        raise GiftError(source.line(chs[stray]), r"'}' without '{' (write a literal brace as \})")
    if opening < 0:
        raise GiftError(
            first_line, "question has no answer block { } (descriptions are not supported)"
        )
    open_line = source.line(chs[opening])
    closing = _find(chs, "}", opening + 1)
    if closing < 0:
        raise GiftError(
            open_line, "'{' is not closed by '}' before the blank line ending the question"
        )
    nested = _find(chs, "{", opening + 1)
    if 0 <= nested < closing:
        raise GiftError(source.line(chs[nested]), r"'{' inside an answer block (write it as \{)")
    after = chs[closing + 1 :]
    extras = [i for i in (_find(after, "{"), _find(after, "}")) if i >= 0]
    if extras:
        raise GiftError(source.line(after[min(extras)]), "a question has only one answer block")
    prompt = _text(chs[:opening])
    if _text(after).strip():
        prompt += "_____" + _text(after)
    kind, answers, general_feedback = _read_answers(
        source, chs[opening + 1 : closing], meta.type, open_line
    )
    try:
        return GiftQuestion(
            type=kind,
            prompt=_without_format(prompt),
            answers=answers,
            title=title,
            general_feedback=general_feedback,
            points=meta.points,
            critical=meta.critical,
            topic=topic,
            rubric="\n".join(meta.rubric),
            irt=meta.irt,
        )
    except ValueError as error:
        raise GiftError(open_line if answers else first_line, str(error)) from None


def _read_answers(
    source: _Source, inner: Sequence[_Ch], declared: QuestionType | None, open_line: int
) -> tuple[QuestionType, tuple[GiftAnswer, ...], str]:
    general_feedback = ""
    if cuts := _find_run(inner, "#", 4):
        general_feedback, inner = _clean(inner[cuts[-1] + 4 :]), inner[: cuts[-1]]
    inner = _lstrip(inner)
    if not _text(inner).strip():
        kind = declared or QuestionType.SCENARIO
        if kind is QuestionType.MULTIPLE_CHOICE:
            raise GiftError(open_line, "a multiple choice question needs answers, not {}")
        return kind, (), general_feedback
    if inner[0].char == "#" and not inner[0].literal:
        raise GiftError(open_line, "numerical questions ({#...}) are not supported")
    marks = [i for i, c in enumerate(inner) if c.char in "=~" and not c.literal]
    if not marks:
        kind, answers = _read_true_false(inner, declared, open_line)
        return kind, answers, general_feedback
    if lead := _text(inner[: marks[0]]).strip():
        raise GiftError(open_line, f"answers start with = or ~, not {lead!r}")
    segments = [inner[s:e] for s, e in zip(marks, [*marks[1:], len(inner)], strict=True)]
    answers = tuple(_read_answer(seg[0], seg[1:], source.line(seg[0])) for seg in segments)
    tilde = any(seg[0].char == "~" for seg in segments)
    if declared is not None:
        kind = declared
    elif tilde:
        kind = QuestionType.MULTIPLE_CHOICE
    elif any("->" in _text(seg) for seg in segments):
        raise GiftError(open_line, "matching questions (->) are not supported")
    else:
        kind = QuestionType.SHORT_ANSWER
    if kind is QuestionType.SHORT_ANSWER and tilde:
        raise GiftError(open_line, "a short answer takes only = answers")
    if kind not in _ANSWERED:
        raise GiftError(open_line, f"a {kind.value} question takes an empty answer block {{}}")
    return kind, answers, general_feedback


def _read_answer(mark: _Ch, chs: Sequence[_Ch], line: int) -> GiftAnswer:
    chs = _lstrip(chs)
    weight = FULL if mark.char == "=" else ZERO
    if chs and chs[0].char == "%":
        end = _find(chs, "%", 1)
        raw = _text(chs[1:end]) if end > 0 else ""
        if not _WEIGHT.fullmatch(raw) or not -FULL <= Decimal(raw) <= FULL:
            shown = _text(chs[: end + 1]) if end > 0 else _text(chs)
            raise GiftError(
                line,
                f"unknown answer weight {shown!r}: write a percentage from -100 to 100 such as "
                "%50% (an answer starting with % needs an explicit weight: ~%0%%...)",
            )
        weight, chs = Decimal(raw), chs[end + 1 :]
    hash_at = _find(chs, "#")
    text, feedback = (chs[:hash_at], chs[hash_at + 1 :]) if hash_at >= 0 else (chs, ())
    if not _clean(text):
        raise GiftError(line, "empty answer")
    return GiftAnswer(_clean(text), weight, _clean(feedback))


def _read_true_false(
    inner: Sequence[_Ch], declared: QuestionType | None, open_line: int
) -> tuple[QuestionType, tuple[GiftAnswer, ...]]:
    """Moodle's ``{T#feedback if wrong#feedback if right}`` as a True/False multiple choice."""
    hashes = [i for i, c in enumerate(inner) if c.char == "#" and not c.literal][:2]
    bounds = [-1, *hashes, len(inner)]
    parts = [_clean(inner[a + 1 : b]) for a, b in pairwise(bounds)]
    word = parts[0].upper()
    if word not in _TRUE_FALSE:
        raise GiftError(open_line, f"answers start with = or ~ (or are T/F), not {parts[0]!r}")
    if declared not in (None, QuestionType.MULTIPLE_CHOICE):
        raise GiftError(open_line, f"a {declared} question cannot be true/false")
    wrong, right = [*parts, "", ""][1:3]
    truth = _TRUE_FALSE[word]
    answers = (
        GiftAnswer("True", FULL if truth else ZERO, right if truth else wrong),
        GiftAnswer("False", ZERO if truth else FULL, wrong if truth else right),
    )
    return QuestionType.MULTIPLE_CHOICE, answers
