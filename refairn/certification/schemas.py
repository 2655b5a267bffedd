from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from refairn.certification.domain import Requirement, Status
from refairn.certification.models import Track
from refairn.core.schemas import StrictIn

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

TrackName = Annotated[str, Field(min_length=1, max_length=120)]
PassingScore = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Months = Annotated[int, Field(ge=1, le=120)]
Level = Literal["L1", "L2", "L3"]


class BadgeIn(StrictIn):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    icon: Annotated[str, Field(max_length=16)] = ""


class AssessmentIn(StrictIn):
    mode: Literal["fixed", "adaptive"] = "fixed"
    question_count: Annotated[int, Field(ge=1, le=500)]
    time_limit_minutes: Annotated[int, Field(ge=1, le=24 * 60)]


class TrackIn(StrictIn):
    name: TrackName
    description: Annotated[str, Field(max_length=10_000)] = ""
    requirement: Requirement
    min_level: Level | None = None
    prerequisite_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    estimated_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    passing_score: PassingScore
    recertification_months: Months
    security_critical: bool = False
    badge: BadgeIn | None = Field(default=None, description="Defaults to the track's name.")
    assessment: AssessmentIn = Field(
        default_factory=lambda: AssessmentIn(question_count=20, time_limit_minutes=60)
    )
    position: Annotated[int, Field(ge=0, le=10_000)] | None = None


class BadgePatch(StrictIn):
    name: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    icon: Annotated[str, Field(max_length=16)] | None = None


class AssessmentPatch(StrictIn):
    mode: Literal["fixed", "adaptive"] | None = None
    question_count: Annotated[int, Field(ge=1, le=500)] | None = None
    time_limit_minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None


class TrackPatch(StrictIn):
    """Every field optional: only the fields sent change. ``null`` is refused by the service
    except where it means "none" (``min_level``, ``estimated_days``)."""

    name: TrackName | None = None
    description: Annotated[str, Field(max_length=10_000)] | None = None
    requirement: Requirement | None = None
    min_level: Level | None = None
    prerequisite_ids: Annotated[list[uuid.UUID], Field(max_length=50)] | None = None
    estimated_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    passing_score: PassingScore | None = None
    recertification_months: Months | None = None
    security_critical: bool | None = None
    badge: BadgePatch | None = None
    assessment: AssessmentPatch | None = None
    position: Annotated[int, Field(ge=0, le=10_000)] | None = None


class TemplateIn(StrictIn):
    template: Annotated[str, Field(min_length=1, max_length=60)]


class BadgeOut(Schema):
    name: str
    icon: str


class AssessmentOut(Schema):
    mode: str
    question_count: int
    time_limit_minutes: int


class TrackOut(Schema):
    id: uuid.UUID
    business_id: uuid.UUID
    name: str
    description: str
    requirement: str
    min_level: str | None
    prerequisite_ids: list[uuid.UUID]
    estimated_days: int | None
    passing_score: float
    recertification_months: int
    security_critical: bool
    badge: BadgeOut
    assessment: AssessmentOut
    position: int
    created_at: datetime

    @staticmethod
    def resolve_min_level(obj: Track) -> str | None:
        return obj.min_level or None

    @staticmethod
    def resolve_prerequisite_ids(obj: Track) -> list[uuid.UUID]:
        return [p.id for p in obj.prerequisites.all()]

    @staticmethod
    def resolve_badge(obj: Track) -> dict[str, str]:
        return {"name": obj.badge_name, "icon": obj.badge_icon}

    @staticmethod
    def resolve_assessment(obj: Track) -> dict[str, Any]:
        return {
            "mode": obj.assessment_mode,
            "question_count": obj.question_count,
            "time_limit_minutes": obj.time_limit_minutes,
        }


class SupportAccessOut(Schema):
    status: str
    support_access: str


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


_NESTED = {
    "badge": {"name": "badge_name", "icon": "badge_icon"},
    "assessment": {
        "mode": "assessment_mode",
        "question_count": "question_count",
        "time_limit_minutes": "time_limit_minutes",
    },
}


def track_fields(payload: TrackIn) -> dict[str, Any]:
    """A new track's body as ``Track`` field names (what ``track_create`` takes)."""
    fields = payload.dict(exclude={"badge", "assessment"})
    badge = payload.badge or BadgeIn(name=payload.name[:80])
    fields.update(
        badge_name=badge.name,
        badge_icon=badge.icon,
        assessment_mode=payload.assessment.mode,
        question_count=payload.assessment.question_count,
        time_limit_minutes=payload.assessment.time_limit_minutes,
    )
    return fields


def track_changes(payload: TrackPatch) -> dict[str, Any]:
    """The fields a PATCH sent (explicit nulls kept for the service to judge), as ``Track``
    field names; nested objects change only the keys they carry."""
    changes: dict[str, Any] = {}
    for key in payload.model_fields_set:
        value = getattr(payload, key)
        if key in _NESTED:
            if value is None:
                changes[key] = None
                continue
            for inner in value.model_fields_set:
                changes[_NESTED[key][inner]] = getattr(value, inner)
        else:
            changes[key] = value
    return changes
