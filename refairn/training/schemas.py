from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from ninja import Schema
from pydantic import Field, model_validator

from refairn.core.schemas import StrictIn
from refairn.training.domain import Format, Requirement
from refairn.training.models import Track

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


# What new content may start as (issue 12 item 5); archiving is a lifecycle action.
NewStatus = Literal["draft", "published"]


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
    status: NewStatus = Field(
        default="published", description="A draft is hidden from agents until published."
    )
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
    status: str
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


class ModulePatch(StrictIn):
    """Every field optional: only the fields sent change (issue 12 item 5: published modules
    stay editable; ``position`` reorders)."""

    title: Title | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    required: bool | None = None
    estimated_hours: (
        Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=1, allow_inf_nan=False)] | None
    ) = None
    position: Annotated[int, Field(ge=0, le=32_767)] | None = None
    duration_seconds: Annotated[int, Field(gt=0, le=2_147_483_647)] | None = None
    video_url: Annotated[str, Field(max_length=200)] | None = None


class OpenedOut(Schema):
    module_id: uuid.UUID
    opened_at: datetime


# -- tracks ---------------------------------------------------------------------------------

TrackName = Annotated[str, Field(min_length=1, max_length=120)]
PassingScore = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Months = Annotated[int, Field(ge=1, le=120)]
Level = Literal["L1", "L2", "L3"]


class BadgeIn(StrictIn):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    icon: Annotated[str, Field(max_length=16)] = ""


class CompositionIn(StrictIn):
    type: Annotated[str, Field(min_length=1, max_length=16)]
    count: Annotated[int, Field(ge=1, le=500)]


Composition = Annotated[
    list[CompositionIn],
    Field(
        max_length=10,
        description="The mix of question types each fixed-form attempt draws; the counts sum "
        "to question_count. Empty: any type.",
    ),
]


class AssessmentIn(StrictIn):
    mode: Literal["fixed", "adaptive"] = "fixed"
    question_count: Annotated[int, Field(ge=1, le=500)]
    time_limit_minutes: Annotated[int, Field(ge=1, le=24 * 60)]
    composition: Composition = []


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
    status: NewStatus = Field(
        default="published", description="A draft is hidden from agents and the dashboard."
    )


class BadgePatch(StrictIn):
    name: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    icon: Annotated[str, Field(max_length=16)] | None = None


class AssessmentPatch(StrictIn):
    mode: Literal["fixed", "adaptive"] | None = None
    question_count: Annotated[int, Field(ge=1, le=500)] | None = None
    time_limit_minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    composition: Composition | None = None


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


class CompositionOut(Schema):
    type: str
    count: int


class AssessmentOut(Schema):
    mode: str
    question_count: int
    time_limit_minutes: int
    composition: list[CompositionOut]


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
    status: str
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
            "composition": obj.composition,
        }


_NESTED = {
    "badge": {"name": "badge_name", "icon": "badge_icon"},
    "assessment": {
        "mode": "assessment_mode",
        "question_count": "question_count",
        "time_limit_minutes": "time_limit_minutes",
        "composition": "composition",
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
        composition=[part.dict() for part in payload.assessment.composition],
    )
    return fields


def _plain(value: Any) -> Any:
    """A nested list of schemas (the composition) as the plain dicts a JSON field stores."""
    if isinstance(value, list):
        return [item.dict() if isinstance(item, Schema) else item for item in value]
    return value


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
                changes[_NESTED[key][inner]] = _plain(getattr(value, inner))
        else:
            changes[key] = value
    return changes
