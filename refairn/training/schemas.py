from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Literal, Self

from ninja import Schema
from pydantic import Field, model_validator

from refairn.core.schemas import StrictIn
from refairn.training.domain import Format

# Limits keep the largest valid module well under Django's 2.5 MB request body limit
# (DATA_UPLOAD_MAX_MEMORY_SIZE): a text module of 40 sections of 10,000 characters each.
Title = Annotated[str, Field(min_length=1, max_length=200)]
Body = Annotated[str, Field(min_length=1, max_length=10_000)]
Short = Annotated[str, Field(min_length=1, max_length=1000)]
# A JSON number of seconds; the domain reads floats through their decimal form.
Seconds = int | Annotated[float, Field(allow_inf_nan=False)]


class QuizChoiceIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=300)]
    correct: bool = False


class QuizIn(StrictIn):
    prompt: Short
    choices: Annotated[list[QuizChoiceIn], Field(min_length=2, max_length=10)]

    @model_validator(mode="after")
    def _exactly_one_correct(self) -> Self:
        if sum(choice.correct for choice in self.choices) != 1:
            raise ValueError("a quiz needs exactly one correct choice")
        return self


class SectionIn(StrictIn):
    title: Title
    body: Body
    quiz: QuizIn | None = None


class FaqItemIn(StrictIn):
    question: Short
    answer: Annotated[str, Field(min_length=1, max_length=4000)]


class ModuleIn(StrictIn):
    """A module of a track; the fields after ``position`` belong to one format each."""

    title: Title
    format: Format
    required: bool = True
    description: Annotated[str, Field(max_length=5000)] = ""
    estimated_hours: (
        Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=1, allow_inf_nan=False)] | None
    ) = None
    position: Annotated[int, Field(ge=0, le=32_767)] | None = None
    # video
    duration_seconds: Annotated[int, Field(gt=0, le=2_147_483_647)] | None = None
    video_url: Annotated[str, Field(max_length=200)] | None = None
    # text
    sections: Annotated[list[SectionIn], Field(min_length=1, max_length=40)] | None = None
    # demo_script
    script: Annotated[str, Field(min_length=1, max_length=20_000)] | None = None
    practice_runs_required: Annotated[int, Field(ge=1, le=1000)] | None = None
    # faq
    items: Annotated[list[FaqItemIn], Field(min_length=1, max_length=100)] | None = None


class QuizChoiceStaffOut(Schema):
    text: str
    correct: bool


class QuizChoiceOut(Schema):
    text: str


class QuizOut(Schema):
    prompt: str
    # Staff first: a choice without ``correct`` (the agent's view) only fits the second.
    choices: list[QuizChoiceStaffOut | QuizChoiceOut]


class SectionOut(Schema):
    id: uuid.UUID
    position: int
    title: str
    body: str
    quiz: QuizOut | None
    completed: bool | None = Field(description="The calling agent's state; null for staff.")


class FaqItemOut(Schema):
    id: uuid.UUID
    position: int
    question: str
    answer: str
    reviewed: bool | None = Field(description="The calling agent's state; null for staff.")


class ModuleOut(Schema):
    id: uuid.UUID
    track_id: uuid.UUID
    title: str
    description: str
    format: str
    required: bool
    position: int
    estimated_hours: Decimal | None
    locked: bool = Field(description="True when the caller has no training access yet.")
    duration_seconds: int | None
    video_url: str | None
    has_file: bool | None
    script: str | None
    practice_runs_required: int | None
    sections: list[SectionOut] | None
    items: list[FaqItemOut] | None
    completed: bool | None = Field(description="The calling agent's state; null for staff.")
    progress: int | None = Field(description="Percent, for the calling agent; null for staff.")


class ProgressIn(StrictIn):
    """One format's keys: video ``watched``; text ``section_id`` (+ ``quiz_choice_index``);
    demo_script ``practice_run``; faq ``reviewed_item_ids``."""

    watched: (
        Annotated[list[tuple[Seconds, Seconds]], Field(min_length=1, max_length=1000)] | None
    ) = None
    section_id: Annotated[str, Field(max_length=64)] | None = None
    quiz_choice_index: Annotated[int, Field(ge=0, le=1000)] | None = None
    practice_run: Literal[True] | None = None
    reviewed_item_ids: (
        Annotated[list[Annotated[str, Field(max_length=64)]], Field(min_length=1, max_length=1000)]
        | None
    ) = None


class ProgressOut(Schema):
    module_id: uuid.UUID
    completed: bool
    progress: int
