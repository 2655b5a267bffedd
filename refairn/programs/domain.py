"""Program settings (PRODUCT.md §2): every key, its default and its validation, as plain data.

No Django here: the settings are a Pydantic model so the same rules serve the API, the web form
and the stored JSON.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Self
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Tier(StrEnum):
    STANDARD = "standard"
    PREMIUM = "premium"
    ENTERPRISE = "enterprise"
    STRATEGIC = "strategic"


class AgentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


Hours = Annotated[int, Field(ge=1, le=24 * 90)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


def _without_nulls(value: Any) -> Any:
    """In maps of optional entries (tier overrides, targets) ``null`` removes the entry."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if item is not None}
    return value


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlaTerms(_Settings):
    first_response_hours: Hours = 24
    resolution_hours: Hours = 72

    @model_validator(mode="after")
    def _resolution_after_first_response(self) -> Self:
        if self.resolution_hours < self.first_response_hours:
            raise ValueError("resolution_hours must be at least first_response_hours")
        return self


class BusinessHours(_Settings):
    """Only these hours count toward SLA deadlines when set (PRODUCT.md §2)."""

    timezone: str = "UTC"
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], min_length=1, description="0 = Monday"
    )
    start: time = time(9, 0)
    end: time = time(17, 0)
    holidays: list[date] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from None
        return value

    @field_validator("weekdays")
    @classmethod
    def _distinct_sorted(cls, value: list[int]) -> list[int]:
        return sorted(set(value))

    @model_validator(mode="after")
    def _window_not_empty(self) -> Self:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class Sla(SlaTerms):
    tiers: dict[Tier, SlaTerms] = Field(
        default_factory=lambda: {
            Tier.PREMIUM: SlaTerms(first_response_hours=4, resolution_hours=24)
        }
    )
    business_hours: BusinessHours | None = None

    @field_validator("tiers", mode="before")
    @classmethod
    def _drop_removed_tiers(cls, value: Any) -> Any:
        return _without_nulls(value)

    def terms_for(self, tier: Tier) -> SlaTerms:
        return self.tiers.get(
            tier,
            SlaTerms(
                first_response_hours=self.first_response_hours,
                resolution_hours=self.resolution_hours,
            ),
        )


class SlaPolicy(_Settings):
    warning_threshold: Annotated[int, Field(ge=1, le=100)] = 3
    review_threshold: Annotated[int, Field(ge=1, le=100)] = 5

    @model_validator(mode="after")
    def _review_after_warning(self) -> Self:
        if self.review_threshold < self.warning_threshold:
            raise ValueError("review_threshold must be at least warning_threshold")
        return self


class ReferralTerms(_Settings):
    one_off_amount: Amount | None = Decimal("25.00")
    recurring_percent: Percent | None = Decimal("10")
    recurring_months: Annotated[int, Field(ge=1, le=600)] | None = 12


class SupportTerms(_Settings):
    """Exactly one of a fixed monthly amount or a percent of the customer's monthly value."""

    monthly_amount: Amount | None = None
    monthly_percent: Percent | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.monthly_amount is None) == (self.monthly_percent is None):
            raise ValueError("set exactly one of monthly_amount or monthly_percent")
        return self


class ReportSettings(_Settings):
    annual_cost: Amount | None = None
    revenue_impact: Amount | None = None
    targets: dict[UUID, Percent] = Field(default_factory=dict)

    @field_validator("targets", mode="before")
    @classmethod
    def _drop_removed_targets(cls, value: Any) -> Any:
        return _without_nulls(value)


class ProgramSettings(_Settings):
    training_access: Literal["on_request", "automatic"] = "on_request"
    final_approval: Literal["manual", "automatic"] = "manual"
    manual_review: bool = False
    retry_period_days: Annotated[int, Field(ge=0, le=365)] = 7
    max_attempts: Annotated[int, Field(ge=1, le=100)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    sla: Sla = Field(default_factory=Sla)
    sla_policy: SlaPolicy = Field(default_factory=SlaPolicy)
    referral_terms: ReferralTerms = Field(default_factory=ReferralTerms)
    support_terms: SupportTerms = Field(
        default_factory=lambda: SupportTerms(monthly_amount=Decimal("20.00"))
    )
    support_track_ids: list[UUID] | None = Field(
        default=None, description="Tracks that make a Certified Support Agent; null: all required"
    )
    report: ReportSettings = Field(default_factory=ReportSettings)


# Keys whose value is one choice among alternatives: a PATCH replaces them whole.
REPLACED_WHOLE = frozenset({"support_terms", "support_track_ids"})


def merge_patch(
    current: dict[str, Any], patch: dict[str, Any], *, top: bool = True
) -> dict[str, Any]:
    """A partial update: objects merge key by key, any other value (``null`` included, meaning
    "none") replaces the stored one; the keys in ``REPLACED_WHOLE`` are always replaced."""
    merged = dict(current)
    for key, value in patch.items():
        stored = merged.get(key)
        if (
            isinstance(value, dict)
            and isinstance(stored, dict)
            and not (top and key in REPLACED_WHOLE)
        ):
            merged[key] = merge_patch(stored, value, top=False)
        else:
            merged[key] = value
    return merged


def settings_with_patch(current: dict[str, Any], patch: dict[str, Any]) -> ProgramSettings:
    """Validate ``current`` + ``patch``; raises pydantic.ValidationError naming the fields."""
    return ProgramSettings.model_validate(merge_patch(current, patch))
