"""Support's settings (PRODUCT.md §2): SLA terms with tier overrides and business hours, the SLA
policy's thresholds, and the tracks that make a Certified Support Agent.

The stored shapes are plain JSON; whether they are valid is decided by the support domain's own
types (``SlaTerms``, ``SlaSettings``, ``BusinessHours``, ``SlaPolicy``), the same ones that
compute deadlines and thresholds, so a business can never save SLA settings a ticket would then
refuse.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, time
from typing import Any, TypeVar

from django import forms
from pydantic import BaseModel, ConfigDict, Field, field_validator

from refairn.core.errors import Conflict
from refairn.programs.domain import Tier
from refairn.programs.models import Business
from refairn.programs.settings_sections import SectionForm, SettingsSection
from refairn.support.domain.errors import SlaConfigError
from refairn.support.domain.sla import MAX_SLA_HOURS, BusinessHours, SlaSettings, SlaTerms
from refairn.support.domain.thresholds import SlaPolicy
from refairn.training.models import Track

T = TypeVar("T")
WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]
OVERRIDE_TIERS = (Tier.PREMIUM, Tier.ENTERPRISE, Tier.STRATEGIC)


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SlaTermsShape(_Shape):
    first_response_hours: int
    resolution_hours: int


class BusinessHoursShape(_Shape):
    timezone: str = "UTC"
    weekdays: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    start: time = time(9, 0)
    end: time = time(17, 0)
    holidays: list[date] = Field(default_factory=list)


class SlaShape(_Shape):
    first_response_hours: int = 24
    resolution_hours: int = 72
    tiers: dict[Tier, SlaTermsShape] = Field(
        default_factory=lambda: {
            Tier.PREMIUM: SlaTermsShape(first_response_hours=4, resolution_hours=24)
        }
    )
    business_hours: BusinessHoursShape | None = None

    @field_validator("tiers", mode="before")
    @classmethod
    def _null_removes_a_tier(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {tier: terms for tier, terms in value.items() if terms is not None}
        return value


class SlaPolicyShape(_Shape):
    warning_threshold: int = 3
    review_threshold: int = 5


def _hours(label: str, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=1, max_value=MAX_SLA_HOURS)


class SupportForm(SectionForm):
    sla_first_response_hours = _hours("First response (hours)")
    sla_resolution_hours = _hours("Resolution (hours)")
    premium_first_response_hours = _hours("Premium: first response (hours)", required=False)
    premium_resolution_hours = _hours("Premium: resolution (hours)", required=False)
    enterprise_first_response_hours = _hours("Enterprise: first response (hours)", required=False)
    enterprise_resolution_hours = _hours("Enterprise: resolution (hours)", required=False)
    strategic_first_response_hours = _hours("Strategic: first response (hours)", required=False)
    strategic_resolution_hours = _hours("Strategic: resolution (hours)", required=False)
    use_business_hours = forms.BooleanField(
        required=False, label="Count only business hours toward SLA deadlines"
    )
    bh_timezone = forms.CharField(
        label="Time zone", required=False, help_text="IANA name, e.g. Europe/Berlin"
    )
    bh_start = forms.TimeField(label="Day starts", required=False)
    bh_end = forms.TimeField(label="Day ends", required=False)
    bh_weekdays = forms.TypedMultipleChoiceField(
        label="Working days",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bh_holidays = forms.CharField(
        label="Holidays",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One date per line, YYYY-MM-DD.",
    )
    warning_threshold = forms.IntegerField(
        label="Overdue flags in 30 days before a warning", min_value=1
    )
    review_threshold = forms.IntegerField(
        label="Overdue flags in 30 days before a review", min_value=1
    )
    support_track_ids = forms.TypedMultipleChoiceField(
        label="Tracks that make a Certified Support Agent",
        required=False,
        coerce=str,
        widget=forms.CheckboxSelectMultiple,
        help_text="None checked: every required track.",
    )

    layout = (
        ("sla_first_response_hours", "sla_resolution_hours"),
        ("premium_first_response_hours", "premium_resolution_hours"),
        ("enterprise_first_response_hours", "enterprise_resolution_hours"),
        ("strategic_first_response_hours", "strategic_resolution_hours"),
        ("use_business_hours",),
        ("bh_timezone", "bh_start"),
        ("bh_end", "bh_weekdays"),
        ("bh_holidays",),
        ("warning_threshold", "review_threshold"),
        ("support_track_ids",),
    )

    BUSINESS_HOURS_FIELDS = ("bh_timezone", "bh_start", "bh_end", "bh_weekdays", "bh_holidays")

    def clean(self) -> dict[str, Any]:
        """Hours changed while "business hours" is off would be dropped on saving (issue 12
        item 9): they are refused instead, asking for the box."""
        data = super().clean() or {}
        if not data.get("use_business_hours"):
            for name in self.BUSINESS_HOURS_FIELDS:
                if name in self.changed_data:
                    self.add_error(
                        name,
                        "Business hours are off, so this would not be saved: tick “Count only "
                        "business hours toward SLA deadlines”, or leave it as it was.",
                    )
        return data

    def __init__(self, *args: Any, business_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, business_id=business_id, **kwargs)
        self.fields["support_track_ids"].choices = [  # type: ignore[attr-defined]
            (str(t.id), t.name) for t in Track.objects.filter(business_id=business_id)
        ]

    @classmethod
    def initial_from(cls, document: Mapping[str, Any], business_id: uuid.UUID) -> dict[str, Any]:
        section = SupportSection.of(document)
        sla, hours = section.sla, section.sla.business_hours
        initial: dict[str, Any] = {
            "sla_first_response_hours": sla.first_response_hours,
            "sla_resolution_hours": sla.resolution_hours,
            "use_business_hours": hours is not None,
            "bh_timezone": hours.timezone if hours else "UTC",
            "bh_weekdays": hours.weekdays if hours else [0, 1, 2, 3, 4],
            "bh_start": hours.start if hours else time(9, 0),
            "bh_end": hours.end if hours else time(17, 0),
            "bh_holidays": "\n".join(d.isoformat() for d in hours.holidays) if hours else "",
            "warning_threshold": section.sla_policy.warning_threshold,
            "review_threshold": section.sla_policy.review_threshold,
            "support_track_ids": [str(t) for t in section.support_track_ids or []],
        }
        for tier in OVERRIDE_TIERS:
            terms = sla.tiers.get(tier)
            initial[f"{tier.value}_first_response_hours"] = (
                terms.first_response_hours if terms else None
            )
            initial[f"{tier.value}_resolution_hours"] = terms.resolution_hours if terms else None
        return initial

    def to_patch(self) -> dict[str, Any]:
        data = self.cleaned_data
        # An override left empty is removed (null), so clearing the fields really clears it.
        tiers: dict[str, dict[str, int | None] | None] = {}
        for tier in OVERRIDE_TIERS:
            first = data[f"{tier.value}_first_response_hours"]
            resolution = data[f"{tier.value}_resolution_hours"]
            if first is None and resolution is None:
                tiers[tier.value] = None
            else:
                tiers[tier.value] = {"first_response_hours": first, "resolution_hours": resolution}
        business_hours = None
        if data["use_business_hours"]:
            business_hours = {
                "timezone": data["bh_timezone"] or "UTC",
                "weekdays": data["bh_weekdays"],
                "start": data["bh_start"].isoformat() if data["bh_start"] else None,
                "end": data["bh_end"].isoformat() if data["bh_end"] else None,
                "holidays": [
                    line.strip() for line in data["bh_holidays"].splitlines() if line.strip()
                ],
            }
        return {
            "sla": {
                "first_response_hours": data["sla_first_response_hours"],
                "resolution_hours": data["sla_resolution_hours"],
                "tiers": tiers,
                "business_hours": business_hours,
            },
            "sla_policy": {
                "warning_threshold": data["warning_threshold"],
                "review_threshold": data["review_threshold"],
            },
            "support_track_ids": data["support_track_ids"] or None,
        }

    def field_paths(self) -> dict[str, str]:
        paths = {
            "sla": "sla_first_response_hours",
            "sla.first_response_hours": "sla_first_response_hours",
            "sla.resolution_hours": "sla_resolution_hours",
            "sla.tiers": "premium_first_response_hours",
            "sla.business_hours": "use_business_hours",
            "sla_policy": "review_threshold",
            "sla_policy.warning_threshold": "warning_threshold",
            "sla_policy.review_threshold": "review_threshold",
            "support_track_ids": "support_track_ids",
        }
        for key in ("timezone", "weekdays", "start", "end", "holidays"):
            paths[f"sla.business_hours.{key}"] = f"bh_{key}"
        for tier in OVERRIDE_TIERS:
            paths[f"sla.tiers.{tier.value}"] = f"{tier.value}_first_response_hours"
            for key in ("first_response_hours", "resolution_hours"):
                paths[f"sla.tiers.{tier.value}.{key}"] = f"{tier.value}_{key}"
        return paths


def _problem(prefix: str, exc: SlaConfigError) -> dict[str, str]:
    return {f"{prefix}{exc.field}": exc.message}


class SupportSection(SettingsSection):
    title = "Support"
    order = 30
    form = SupportForm
    # The response times promised to customers and worked to by agents, and which tracks make a
    # Certified Support Agent; the warning and review thresholds stay the business's.
    member_readable = frozenset({"sla", "support_track_ids"})
    # One choice among the business's tracks: a PATCH replaces the list, never merges it.
    replaced_whole = frozenset({"support_track_ids"})

    sla: SlaShape = Field(default_factory=SlaShape)
    sla_policy: SlaPolicyShape = Field(default_factory=SlaPolicyShape)
    support_track_ids: list[uuid.UUID] | None = Field(
        default=None, description="Tracks that make a Certified Support Agent; null: all required"
    )

    def problems(self) -> dict[str, str]:
        """PRODUCT.md §2: the SLA and its policy as the support domain accepts them."""
        found: dict[str, str] = {}
        checks: tuple[tuple[str, Callable[[], object]], ...] = (
            ("sla.", self._terms),
            ("sla.business_hours.", self._calendar),
            ("sla_policy.", self._policy),
        )
        for prefix, build in checks:
            try:
                build()
            except SlaConfigError as exc:
                found |= _problem(prefix, exc)
        return found

    def business_problems(self, business_id: uuid.UUID) -> dict[str, str]:
        """PRODUCT.md §2: support tracks are tracks of this business."""
        own = set(Track.objects.filter(business_id=business_id).values_list("id", flat=True))
        unknown = [str(t) for t in self.support_track_ids or [] if t not in own]
        if unknown:
            return {"support_track_ids": f"not tracks of this business: {', '.join(unknown)}"}
        return {}

    def _terms(self) -> SlaSettings:
        """The default terms and the tier overrides (raises ``SlaConfigError`` naming the path
        below ``sla``)."""
        try:
            default = SlaTerms(self.sla.first_response_hours, self.sla.resolution_hours)
        except SlaConfigError as exc:
            raise SlaConfigError(exc.field, exc.message) from None
        tiers = {}
        for tier, terms in self.sla.tiers.items():
            try:
                tiers[tier.value] = SlaTerms(terms.first_response_hours, terms.resolution_hours)
            except SlaConfigError as exc:
                raise SlaConfigError(f"tiers.{tier.value}.{exc.field}", exc.message) from None
        return SlaSettings(default=default, tiers=tiers)

    def _calendar(self) -> BusinessHours | None:
        hours = self.sla.business_hours
        if hours is None:
            return None
        return BusinessHours(
            timezone=hours.timezone,
            weekdays=frozenset(hours.weekdays),
            start=hours.start,
            end=hours.end,
            holidays=frozenset(hours.holidays),
        )

    def _policy(self) -> SlaPolicy:
        return SlaPolicy(
            warning_threshold=self.sla_policy.warning_threshold,
            review_threshold=self.sla_policy.review_threshold,
        )

    # Settings are validated when saved; a document stored before a rule existed may still
    # break one, and the action that needs it is refused (409) rather than failing.

    def terms_for(self, tier: str) -> SlaTerms:
        """PRODUCT.md §2: the tier's SLA terms (its override, or the default)."""
        return _usable("sla.", lambda: self._terms().terms_for(tier))

    @property
    def calendar(self) -> BusinessHours | None:
        """Only these hours count toward SLA deadlines (None: every calendar hour)."""
        return _usable("sla.business_hours.", self._calendar)

    @property
    def policy(self) -> SlaPolicy:
        """PRODUCT.md §2: the warning and review thresholds over the trailing window."""
        return _usable("sla_policy.", self._policy)


def _usable(prefix: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except SlaConfigError as exc:
        raise Conflict(
            f"The business's SLA settings cannot be used: {prefix}{exc.field}: {exc.message}",
            code=exc.code,
            extra={"field": f"{prefix}{exc.field}"},
        ) from None


def support_settings(business: Business) -> SupportSection:
    return SupportSection.of(business.settings)
