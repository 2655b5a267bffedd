from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from refairn.assessments.schemas import ChoiceOut, LongText
from refairn.certification.domain import Status
from refairn.core.schemas import StrictIn
from refairn.training.schemas import BadgeOut

# The third seed's status guide in plain words, next to the nine statuses (PRODUCT.md §5); the
# agent's dashboard shows it beside each track.
STATUS_MEANINGS: dict[Status, str] = {
    Status.NOT_STARTED: "You have not started this track yet.",
    Status.IN_PROGRESS: "You are working through the training; the assessment opens when every "
    "required module is complete.",
    Status.SUBMITTED: "Your assessment was handed in and is being scored.",
    Status.FAILED: "You did not reach the passing score (or missed a critical question). You "
    "stay a referral agent; you may retake it after the retry period.",
    Status.AWAITING_MANUAL_REVIEW: "A reviewer is grading your assessment.",
    Status.PASSED: "You passed; the business will confirm your certification.",
    Status.CERTIFIED: "You are certified until the expiry date; you may renew from 30 days "
    "before it.",
    Status.EXPIRED: "Your certification ran out. Retake the assessment to renew it; you keep "
    "your current customers but get no new ones until then.",
    Status.REVOKED: "The business revoked this certification; it can reopen it.",
}


def status_meaning(status: Status, declined_reason: str | None = None) -> str:
    """The status in plain words; a pass the business declined says so, with its reason."""
    if declined_reason is not None:
        return (
            f"The business declined your certification. Its reason: “{declined_reason}”. You "
            "stay a referral agent; you may retake the assessment after the retry period."
        )
    return STATUS_MEANINGS[status]


class ModuleStateOut(Schema):
    id: uuid.UUID
    title: str
    format: str
    required: bool
    completed: bool
    progress: int


class MyCertificationOut(Schema):
    track_id: uuid.UUID
    track_name: str
    track_status: str = Field(
        description="``published``, or ``archived``: a retired track stays on the path of an "
        "agent who has a certification in it (their history), its assessment closed "
        "(``blocked_reason`` ``track_archived``)."
    )
    requirement: str
    status: str
    status_meaning: str
    badge: BadgeOut
    modules: list[ModuleStateOut]
    attempts_used: int
    granted_attempts: int
    max_attempts: int | None
    retry_period_days: int
    next_attempt_at: datetime | None
    certified_at: datetime | None
    expires_at: datetime | None
    renewal_passed_at: datetime | None = Field(
        description="A passed renewal waiting for the business's final approval (manual "
        "approval); the current certification stays valid to ``expires_at`` meanwhile."
    )
    assessment_available: bool
    blocked_reason: str | None

    @staticmethod
    def resolve_status_meaning(obj: dict[str, Any]) -> str:
        return status_meaning(Status(obj["status"]), obj.get("declined_reason"))


class HistoryOut(Schema):
    from_status: str = Field(alias="from")
    to: str
    event: str
    at: datetime
    by: uuid.UUID | None
    reason: str


class CertificationOut(Schema):
    """Serialise with ``by_alias=True`` (the history's ``from`` is a Python keyword)."""

    agent_id: uuid.UUID
    track_id: uuid.UUID
    track_name: str
    status: str
    status_meaning: str
    certified_at: datetime | None
    expires_at: datetime | None
    renewal_passed_at: datetime | None = Field(
        description="A passed renewal waiting for the business's final approval (manual "
        "approval); approve renews it, decline leaves the certification as it is."
    )
    cycle: int
    attempts_used: int
    granted_attempts: int
    max_attempts: int | None
    last_failed_at: datetime | None
    next_attempt_at: datetime | None
    history: list[HistoryOut]

    @staticmethod
    def resolve_status_meaning(obj: dict[str, Any]) -> str:
        return status_meaning(Status(obj["status"]), obj.get("declined_reason"))


class ReopenIn(StrictIn):
    reason: Annotated[str, Field(max_length=2000)] = ""


class GrantAttemptsIn(StrictIn):
    count: Annotated[int, Field(ge=1, le=20)]
    reason: Annotated[str, Field(max_length=2000)] = ""


# -- attempts: the agent takes them, reviewers grade them ------------------------------------


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


class AdaptiveAnswerOut(Schema):
    """An answer in an adaptive attempt (issue 15): the next question, or none when the test
    has finished (then submit for the result)."""

    question_id: uuid.UUID
    choice_ids: list[str] | None
    text: str
    answered_at: datetime | None
    next_question: AgentQuestionOut | None
    finished: bool


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


class AttemptReviewOut(Schema):
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
