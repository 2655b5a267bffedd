"""Request and response shapes of the question bank (API.md). The attempts' shapes are
certification's (``certification.schemas``), which drives attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from refairn.assessments.domain import QuestionType
from refairn.assessments.models import MAX_POINTS, Question
from refairn.core.schemas import StrictIn

LongText = Annotated[str, Field(max_length=20_000)]


class ChoiceIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=2_000)]
    correct: bool = False
    feedback: Annotated[str, Field(max_length=2_000)] = ""


class QuestionIn(StrictIn):
    type: QuestionType
    prompt: Annotated[str, Field(min_length=1, max_length=20_000)]
    choices: Annotated[list[ChoiceIn], Field(max_length=50)] = []
    points: Annotated[int, Field(ge=1, le=MAX_POINTS)] = 1
    critical: bool = False
    topic: Annotated[str, Field(max_length=120)] = ""
    rubric: LongText = ""
    module_id: uuid.UUID | None = None
    title: Annotated[str, Field(max_length=200)] = ""
    faq_item_ids: Annotated[list[uuid.UUID], Field(max_length=100)] = []


class ChoiceOut(Schema):
    id: str
    text: str
    correct: bool
    feedback: str


class QuestionOut(Schema):
    id: uuid.UUID
    track_id: uuid.UUID
    module_id: uuid.UUID | None
    type: str
    title: str
    prompt: str
    choices: list[ChoiceOut]
    points: int
    critical: bool
    topic: str
    rubric: str
    active: bool
    created_at: datetime
    faq_item_ids: list[uuid.UUID]

    @staticmethod
    def resolve_faq_item_ids(obj: Question) -> list[uuid.UUID]:
        return [item.id for item in obj.faq_items.all()]


class ImportOut(Schema):
    imported: int


# --- attempts --------------------------------------------------------------------------------
