"""Request and response shapes for the question bank, attempts and reviews (API.md).

Agents get their own schemas (``Agent*Out``) with no field that could carry a correct flag,
choice feedback before the end, or a rubric; staff schemas carry everything.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from refairn.assessments.domain import QuestionType
from refairn.assessments.models import MAX_POINTS, AttemptQuestion, Question
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


class AgentChoiceOut(Schema):
    id: str
    text: str


class AgentQuestionOut(Schema):
    id: str
    type: str
    prompt: str
    choices: list[AgentChoiceOut]


class AttemptStartOut(Schema):
    id: uuid.UUID
    track_id: uuid.UUID
    number: int
    started_at: datetime
    deadline: datetime
    adaptive: bool
    questions: list[AgentQuestionOut]


class AnswerIn(StrictIn):
    choice_ids: (
        Annotated[list[Annotated[str, Field(max_length=16)]], Field(max_length=50)] | None
    ) = None
    text: LongText | None = None


class AnswerOut(Schema):
    question_id: uuid.UUID
    choice_ids: list[str] | None
    text: str
    answered_at: datetime | None

    @staticmethod
    def resolve_choice_ids(obj: AttemptQuestion) -> list[str] | None:
        return obj.answer_choice_ids

    @staticmethod
    def resolve_text(obj: AttemptQuestion) -> str:
        return obj.answer_text


class SubmitOut(Schema):
    id: uuid.UUID
    status: str
    score: float | None
    passed: bool | None
    certification_status: str
    submitted_at: datetime | None
    auto_submitted: bool


class AgentResultOut(Schema):
    """A question of the agent's attempt: results stay null until the outcome is final."""

    id: uuid.UUID
    position: int
    type: str
    prompt: str
    choices: list[AgentChoiceOut]
    choice_ids: list[str] | None
    text: str
    answered_at: datetime | None
    max_points: int
    points: float | None
    feedback: str | None
    answered_correctly: bool | None


class AgentAttemptOut(Schema):
    id: uuid.UUID
    track_id: uuid.UUID
    agent_id: uuid.UUID
    number: int
    status: str
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    auto_submitted: bool
    score: float | None
    passed: bool | None
    certification_status: str
    questions: list[AgentResultOut]


class StaffResultOut(AgentResultOut):
    choices: list[ChoiceOut]  # type: ignore[assignment]
    critical: bool
    rubric: str
    accepted_answers: list[str]
    suggested_points: float | None
    matched_keywords: list[str]
    graded_by: uuid.UUID | None
    graded_at: datetime | None


class StaffAttemptOut(AgentAttemptOut):
    questions: list[StaffResultOut]  # type: ignore[assignment]
    state: str
    earned_points: float
    total_points: float
    pending_points: float
    critical_missed: bool
    needs_review: bool
    graded_by: uuid.UUID | None
    graded_at: datetime | None


# --- reviews ---------------------------------------------------------------------------------


class ReviewQuestionOut(Schema):
    question_id: uuid.UUID
    type: str
    prompt: str
    answer_text: str
    points: int
    grade_max: int
    critical: bool
    rubric: str
    accepted_answers: list[str]
    suggested_points: float | None
    matched_keywords: list[str]


class ReviewOut(Schema):
    attempt_id: uuid.UUID
    agent_id: uuid.UUID
    track_id: uuid.UUID
    submitted_at: datetime | None
    status: str
    auto_submitted: bool
    questions_to_grade: list[ReviewQuestionOut]


class GradeIn(StrictIn):
    question_id: uuid.UUID
    points: Annotated[Decimal, Field(allow_inf_nan=False)]
    feedback: LongText = ""


class GradingIn(StrictIn):
    grades: Annotated[list[GradeIn], Field(max_length=500)] = []
    decision: Literal["pass", "fail"] | None = None
