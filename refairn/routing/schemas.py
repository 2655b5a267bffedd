from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from refairn.core.schemas import StrictIn


class MatchOut(Schema):
    tags_any: list[str]
    tiers: list[str]
    priorities: list[str]
    escalation_flag: bool | None


class RequireTrackOut(Schema):
    track_id: str


class RequireCertificationsOut(Schema):
    min_certifications: int


class FallbackOut(Schema):
    action: Literal[
        "base_track_and_notify",
        "flag_for_review",
        "route_to_manager",
        "highest_certified",
    ]
    base_track_id: str | None


class RoutingRuleOut(Schema):
    """API.md "Routing": one rule in its normalized form (every key present, tags lower-case
    and sorted, tiers and priorities in their canonical order)."""

    name: str
    match: MatchOut
    require: RequireTrackOut | RequireCertificationsOut
    fallback: FallbackOut | None
    escalate_to_security: bool


class RoutingTemplateIn(StrictIn):
    template: Annotated[str, Field(min_length=1, max_length=60)]
