"""Questions, the fixed-form draw and what an agent may see (PRODUCT.md §4).

A multiple choice question's choices are the options shown to the agent. A short answer's
choices are its accepted answers (all ``correct``): the reviewer sees them and the platform's
score suggestion uses them, but they are never sent to the agent. Scenario, practical and
simulation questions have no choices; a reviewer grades them against the rubric.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypedDict

from refairn.assessments.domain.errors import BankTooSmall


class QuestionType(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    SHORT_ANSWER = "short_answer"
    SCENARIO = "scenario"
    PRACTICAL = "practical"
    # PRODUCT.md §4: a role-play a reviewer scores 0-100; scoring.apply_grade scales that score
    # to the question's points so every question type weighs by its points alone.
    SIMULATION = "simulation"


REVIEWER_GRADED: frozenset[QuestionType] = frozenset(
    {
        QuestionType.SHORT_ANSWER,
        QuestionType.SCENARIO,
        QuestionType.PRACTICAL,
        QuestionType.SIMULATION,
    }
)


def choices_problem(question_type: QuestionType, correct: Sequence[bool]) -> str | None:
    """Why choices with these ``correct`` flags don't fit the type, or None when they do.

    Shared with the GIFT importer so a file and the API refuse the same shapes.
    """
    if question_type is QuestionType.MULTIPLE_CHOICE:
        if len(correct) < 2:
            return "a multiple choice question needs at least two choices"
        if not any(correct):
            return "a multiple choice question needs at least one correct choice"
        return None
    if question_type is QuestionType.SHORT_ANSWER:
        if not all(correct):
            return "a short answer's choices are its accepted answers, so all are correct"
        return None
    if correct:
        return f"a {question_type.value} question has no choices"
    return None


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """A bank question as drawn into an attempt; ``points`` weighs it in the score."""

    id: str
    type: QuestionType
    prompt: str
    choices: tuple[Choice, ...] = ()
    points: int = 1
    critical: bool = False
    topic: str = ""
    module_id: str | None = None
    rubric: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.points, bool) or not isinstance(self.points, int) or self.points < 1:
            raise ValueError(f"points must be a whole number of at least 1, not {self.points!r}")
        if not self.prompt.strip():
            raise ValueError("a question needs a prompt")
        problem = choices_problem(self.type, [c.correct for c in self.choices])
        if problem:
            raise ValueError(problem)
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique within a question")
        if any(not c.text.strip() for c in self.choices):
            raise ValueError("a choice needs text")

    @property
    def correct_choice_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.choices if c.correct)


def shuffle_choices(question: Question, rng: random.Random) -> Question:
    """PRODUCT.md §4: the assessment shuffles choices (per question, per attempt)."""
    if question.type is not QuestionType.MULTIPLE_CHOICE:
        return question
    choices = list(question.choices)
    rng.shuffle(choices)
    return replace(question, choices=tuple(choices))


def draw_questions(
    bank: Sequence[Question],
    count: int,
    rng: random.Random,
    composition: Sequence[tuple[QuestionType, int]] = (),
) -> list[Question]:
    """PRODUCT.md §4: a fixed-form assessment draws ``count`` questions from the track's bank.

    A uniform sample without replacement (no quota per topic or for critical questions), then
    each question's choices shuffled. The same seed gives the same draw. With a
    ``composition`` (issue 11 item 5: "40 questions + 5 practical exercises"; its counts sum to
    ``count``) each type is sampled for its count and the draw is shuffled together.
    Raises ``BankTooSmall`` when the bank (or a type's part of it) is too small.
    """
    if count < 1:
        raise ValueError("an assessment draws at least one question")
    if not composition:
        if len(bank) < count:
            raise BankTooSmall(available=len(bank), requested=count)
        return [shuffle_choices(q, rng) for q in rng.sample(list(bank), count)]
    if sum(n for _, n in composition) != count:
        raise ValueError("a composition's counts sum to the question count")
    drawn: list[Question] = []
    for question_type, n in composition:
        pool = [q for q in bank if q.type is question_type]
        if len(pool) < n:
            raise BankTooSmall(available=len(pool), requested=n, question_type=question_type)
        drawn += rng.sample(pool, n)
    rng.shuffle(drawn)
    return [shuffle_choices(q, rng) for q in drawn]


class AgentChoice(TypedDict):
    id: str
    text: str


class AgentQuestion(TypedDict):
    id: str
    type: str
    prompt: str
    choices: list[AgentChoice]


def agent_view(question: Question) -> AgentQuestion:
    """PRODUCT.md §4: what an agent may see — never correct flags, feedback or the rubric.

    Only multiple choice sends its choices; a short answer's choices are its accepted answers.
    """
    choices: list[AgentChoice] = []
    if question.type is QuestionType.MULTIPLE_CHOICE:
        choices = [{"id": c.id, "text": c.text} for c in question.choices]
    return {
        "id": question.id,
        "type": question.type.value,
        "prompt": question.prompt,
        "choices": choices,
    }
