from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

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
    assessment_available: bool
    blocked_reason: str | None

    @staticmethod
    def resolve_status_meaning(obj: dict[str, Any]) -> str:
        return STATUS_MEANINGS[Status(obj["status"])]


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
    cycle: int
    attempts_used: int
    granted_attempts: int
    max_attempts: int | None
    last_failed_at: datetime | None
    next_attempt_at: datetime | None
    history: list[HistoryOut]

    @staticmethod
    def resolve_status_meaning(obj: dict[str, Any]) -> str:
        return STATUS_MEANINGS[Status(obj["status"])]


class ReasonIn(StrictIn):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class ReopenIn(StrictIn):
    reason: Annotated[str, Field(max_length=2000)] = ""


class GrantAttemptsIn(StrictIn):
    count: Annotated[int, Field(ge=1, le=20)]
    reason: Annotated[str, Field(max_length=2000)] = ""
