"""The questions as GIFT carries them, and their conversion to and from the bank's questions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from refairn.assessments.domain.irt import ItemParameters
from refairn.assessments.domain.questions import Choice, Question, QuestionType, choices_problem

FULL = Decimal(100)
ZERO = Decimal(0)
# Shared by the reader and the writer: a text format prefix, and the topic line.
FORMAT_PREFIX = re.compile(r"^\[(?:moodle|html|plain|markdown)\]")
CATEGORY_LINE = "$CATEGORY:"


class GiftError(Exception):
    """A GIFT text Refairn cannot import (API: 422 ``invalid_gift``); ``line`` is 1-based."""

    code = "invalid_gift"

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass(frozen=True)
class GiftAnswer:
    """One answer; ``weight`` is Moodle's percentage (-100..100), 100 for ``=``, 0 for ``~``."""

    text: str
    weight: Decimal = FULL
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True)
class GiftQuestion:
    type: QuestionType
    prompt: str
    answers: tuple[GiftAnswer, ...] = ()
    title: str = ""
    general_feedback: str = ""
    points: int = 1
    critical: bool = False
    topic: str = ""
    rubric: str = ""
    irt: ItemParameters | None = None

    def __post_init__(self) -> None:
        if isinstance(self.points, bool) or not isinstance(self.points, int) or self.points < 1:
            raise ValueError(f"points must be a whole number of at least 1, not {self.points!r}")
        if not self.prompt.strip():
            raise ValueError("question has no text")
        if "\n" in self.topic or "\r" in self.topic:
            raise ValueError("a topic is one line")
        for answer in self.answers:
            if not answer.text.strip():
                raise ValueError("empty answer")
            if not answer.weight.is_finite() or not -FULL <= answer.weight <= FULL:
                raise ValueError(f"answer weight {answer.weight} is outside -100..100")
        problem = choices_problem(self.type, [a.correct for a in self.answers])
        if problem:
            raise ValueError(problem)


def gift_from_question(question: Question) -> GiftQuestion:
    """Our question as GIFT: one correct choice is ``=``; several share 100% (``~%50%``) and
    the wrong ones weigh -100%, so Moodle, too, gives nothing for a wrong pick."""
    correct = sum(c.correct for c in question.choices)
    share = (FULL / max(correct, 1)).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)

    def weight(choice: Choice) -> Decimal:
        if question.type is QuestionType.SHORT_ANSWER or correct == 1:
            return FULL if choice.correct else ZERO
        return share if choice.correct else -FULL

    return GiftQuestion(
        type=question.type,
        prompt=question.prompt,
        answers=tuple(GiftAnswer(c.text, weight(c), c.feedback) for c in question.choices),
        points=question.points,
        critical=question.critical,
        topic=question.topic,
        rubric=question.rubric,
    )


def question_from_gift(
    question: GiftQuestion, *, question_id: str, choice_ids: Sequence[str]
) -> Question:
    """An imported question with the ids the caller assigned (one per answer, in order).
    The title and general feedback have no place in a Refairn question and are dropped."""
    return Question(
        id=question_id,
        type=question.type,
        prompt=question.prompt,
        choices=tuple(
            Choice(cid, a.text, a.correct, a.feedback)
            for cid, a in zip(choice_ids, question.answers, strict=True)
        ),
        points=question.points,
        critical=question.critical,
        topic=question.topic,
        rubric=question.rubric,
    )
