"""Reporting's settings (PRODUCT.md §8): the program's cost and revenue impact for the ROI, and
a completion target per track."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from django import forms
from pydantic import BaseModel, ConfigDict, Field, field_validator

from refairn.programs.models import Business
from refairn.programs.settings_sections import SectionForm, SettingsSection
from refairn.training.models import Track

Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=12, decimal_places=2, min_value=0
    )


class ReportShape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    annual_cost: Amount | None = None
    revenue_impact: Amount | None = None
    targets: dict[uuid.UUID, Percent] = Field(default_factory=dict)

    @field_validator("targets", mode="before")
    @classmethod
    def _null_removes_a_target(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {track: target for track, target in value.items() if target is not None}
        return value


class ReportForm(SectionForm):
    report_annual_cost = _money("Program annual cost (for ROI)")
    report_revenue_impact = _money("Revenue impact per year (for ROI)")

    layout = (("report_annual_cost", "report_revenue_impact"),)

    def __init__(self, *args: Any, business_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, business_id=business_id, **kwargs)
        self.tracks = [(str(t.id), t.name) for t in Track.objects.filter(business_id=business_id)]
        for track_id, name in self.tracks:
            self.fields[f"target_{track_id}"] = forms.DecimalField(
                label=f"Completion target: {name} (%)",
                required=False,
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
            )

    @classmethod
    def initial_from(cls, document: Mapping[str, Any], business_id: uuid.UUID) -> dict[str, Any]:
        report = ReportSection.of(document).report
        initial: dict[str, Any] = {
            "report_annual_cost": report.annual_cost,
            "report_revenue_impact": report.revenue_impact,
        }
        initial |= {f"target_{track}": target for track, target in report.targets.items()}
        return initial

    def to_patch(self) -> dict[str, Any]:
        data = self.cleaned_data

        def dec(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "report": {
                "annual_cost": dec(data["report_annual_cost"]),
                "revenue_impact": dec(data["report_revenue_impact"]),
                # Every track's target is sent: an emptied field removes its target.
                "targets": {
                    track_id: dec(data.get(f"target_{track_id}")) for track_id, _ in self.tracks
                },
            }
        }

    def field_paths(self) -> dict[str, str]:
        paths = {
            "report": "report_annual_cost",
            "report.annual_cost": "report_annual_cost",
            "report.revenue_impact": "report_revenue_impact",
        }
        for track_id, _ in self.tracks:
            paths[f"report.targets.{track_id}"] = f"target_{track_id}"
        return paths


class ReportSection(SettingsSection):
    title = "Reports"
    order = 50
    form = ReportForm

    report: ReportShape = Field(default_factory=ReportShape)

    def business_problems(self, business_id: uuid.UUID) -> dict[str, str]:
        """PRODUCT.md §8: targets are for tracks of this business."""
        own = set(Track.objects.filter(business_id=business_id).values_list("id", flat=True))
        unknown = [str(t) for t in self.report.targets if t not in own]
        if unknown:
            return {"report.targets": f"not tracks of this business: {', '.join(unknown)}"}
        return {}


def report_settings(business: Business) -> ReportSection:
    return ReportSection.of(business.settings)
