"""Request and response shapes of the question bank (API.md). The attempts' shapes are
certification's (``certification.schemas``), which drives attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from refairn.assessments.domain import QuestionType, limits
from refairn.assessments.models import Question
from refairn.assessments.selectors import question_parameters
from refairn.core.schemas import StrictIn

# A free-text answer, or a reviewer's feedback on one: as long as a prompt may be.
LongText = Annotated[str, Field(max_length=limits.PROMPT_MAX)]


class ChoiceIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=limits.CHOICE_TEXT_MAX)]
    correct: bool = False
    feedback: Annotated[str, Field(max_length=limits.FEEDBACK_MAX)] = ""


class IrtIn(StrictIn):
    """3PL parameters (issue 15); the bounds are ``domain.irt``'s."""

    a: Annotated[float, Field(allow_inf_nan=False)]
    b: Annotated[float, Field(allow_inf_nan=False)]
    c: Annotated[float, Field(allow_inf_nan=False)]


class QuestionIn(StrictIn):
    type: QuestionType
    prompt: Annotated[str, Field(min_length=1, max_length=limits.PROMPT_MAX)]
    choices: Annotated[list[ChoiceIn], Field(max_length=limits.CHOICES_MAX)] = []
    points: Annotated[int, Field(ge=1, le=limits.MAX_POINTS)] = 1
    critical: bool = False
    topic: Annotated[str, Field(max_length=limits.TOPIC_MAX)] = ""
    rubric: Annotated[str, Field(max_length=limits.RUBRIC_MAX)] = ""
    module_id: uuid.UUID | None = None
    title: Annotated[str, Field(max_length=limits.TITLE_MAX)] = ""
    faq_item_ids: Annotated[list[uuid.UUID], Field(max_length=100)] = []
    irt: IrtIn | None = None


class IrtOut(Schema):
    a: float
    b: float
    c: float


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
    version: int
    replaces_id: uuid.UUID | None = Field(
        description="The version this one replaced (issue 12 item 5), or null."
    )
    created_at: datetime
    faq_item_ids: list[uuid.UUID]
    irt: IrtOut | None
    # manual, imported or calibrated; null without parameters.
    irt_source: str | None
    irt_responses: int

    @staticmethod
    def resolve_faq_item_ids(obj: Question) -> list[uuid.UUID]:
        return [item.id for item in obj.faq_items.all()]

    @staticmethod
    def resolve_irt(obj: Question) -> dict[str, float] | None:
        parameters = question_parameters(obj)
        return None if parameters is None else parameters.to_json()

    @staticmethod
    def resolve_irt_source(obj: Question) -> str | None:
        return obj.irt_source or None


class ImportOut(Schema):
    imported: int


# --- attempts --------------------------------------------------------------------------------
