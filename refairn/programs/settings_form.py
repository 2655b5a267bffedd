"""The program settings page: one Django form over the nested settings document.

``FIELDS`` maps each form field to its path in the settings JSON, in both directions: the form's
initial values are read through it, a submitted form is written through it, and validation
errors from the one validator (``programs.domain.ProgramSettings`` via ``settings_update``) come
back to the field whose path they name.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from refairn.programs.domain import Tier

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]
OVERRIDE_TIERS = [Tier.PREMIUM, Tier.ENTERPRISE, Tier.STRATEGIC]


def _hours(label: str, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=1)


def _money(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=0
    )


def _percent(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )


class ProgramSettingsForm(forms.Form):
    training_access = forms.ChoiceField(
        choices=[
            ("on_request", "On request (agent asks for support access)"),
            ("automatic", "Automatic (every approved agent)"),
        ],
    )
    final_approval = forms.ChoiceField(
        choices=[("manual", "Manual: we confirm every pass"), ("automatic", "Automatic")]
    )
    manual_review = forms.BooleanField(
        required=False, label="Review every submission before the decision"
    )
    retry_period_days = forms.IntegerField(label="Retry period (days)", min_value=0, max_value=365)
    max_attempts = forms.IntegerField(
        label="Maximum attempts per cycle",
        required=False,
        min_value=1,
        max_value=100,
        help_text="Leave empty for no limit.",
    )
    currency = forms.CharField(label="Currency (ISO code)", max_length=3, min_length=3)
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
    bh_weekdays = forms.TypedMultipleChoiceField(
        label="Working days",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bh_start = forms.TimeField(label="Day starts", required=False)
    bh_end = forms.TimeField(label="Day ends", required=False)
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
    referral_one_off_amount = _money("Referral: one-off amount on first subscription")
    referral_recurring_percent = _percent("Referral: recurring percent of monthly value")
    referral_recurring_months = forms.IntegerField(
        label="Referral: recurring for at most (months)",
        required=False,
        min_value=1,
        help_text="Leave empty for as long as the customer stays subscribed.",
    )
    support_terms_kind = forms.ChoiceField(
        label="Support commission",
        choices=[
            ("amount", "Fixed amount per customer per month"),
            ("percent", "Percent of the customer's monthly value"),
        ],
    )
    support_terms_value = forms.DecimalField(
        label="Support commission value", min_value=0, max_digits=12, decimal_places=2
    )
    support_track_ids = forms.TypedMultipleChoiceField(
        label="Tracks that make a Certified Support Agent",
        required=False,
        coerce=str,
        widget=forms.CheckboxSelectMultiple,
        help_text="None checked: every required track.",
    )
    report_annual_cost = _money("Program annual cost (for ROI)")
    report_revenue_impact = _money("Revenue impact per year (for ROI)")

    def __init__(self, *args: Any, tracks: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tracks = list(tracks)
        self.fields["support_track_ids"].choices = self.tracks  # type: ignore[attr-defined]
        for track_id, name in self.tracks:
            self.fields[f"target_{track_id}"] = _percent(f"Completion target: {name} (%)")

    # --- settings document <-> form -----------------------------------------------------

    @classmethod
    def initial_from(
        cls, settings: dict[str, Any], tracks: Iterable[tuple[str, str]]
    ) -> dict[str, Any]:
        sla, hours = settings["sla"], settings["sla"].get("business_hours")
        support = settings["support_terms"]
        initial: dict[str, Any] = {
            key: settings[key]
            for key in (
                "training_access",
                "final_approval",
                "manual_review",
                "retry_period_days",
                "max_attempts",
                "currency",
            )
        }
        initial |= {
            "sla_first_response_hours": sla["first_response_hours"],
            "sla_resolution_hours": sla["resolution_hours"],
            "use_business_hours": hours is not None,
            "bh_timezone": (hours or {}).get("timezone", "UTC"),
            "bh_weekdays": (hours or {}).get("weekdays", [0, 1, 2, 3, 4]),
            "bh_start": (hours or {}).get("start", "09:00"),
            "bh_end": (hours or {}).get("end", "17:00"),
            "bh_holidays": "\n".join((hours or {}).get("holidays", [])),
            "warning_threshold": settings["sla_policy"]["warning_threshold"],
            "review_threshold": settings["sla_policy"]["review_threshold"],
            "referral_one_off_amount": settings["referral_terms"]["one_off_amount"],
            "referral_recurring_percent": settings["referral_terms"]["recurring_percent"],
            "referral_recurring_months": settings["referral_terms"]["recurring_months"],
            "support_terms_kind": "percent"
            if support.get("monthly_percent") is not None
            else "amount",
            "support_terms_value": support.get("monthly_percent") or support.get("monthly_amount"),
            "support_track_ids": settings.get("support_track_ids") or [],
            "report_annual_cost": settings["report"]["annual_cost"],
            "report_revenue_impact": settings["report"]["revenue_impact"],
        }
        for tier in OVERRIDE_TIERS:
            terms = sla["tiers"].get(tier.value) or {}
            initial[f"{tier.value}_first_response_hours"] = terms.get("first_response_hours")
            initial[f"{tier.value}_resolution_hours"] = terms.get("resolution_hours")
        for track_id, _ in tracks:
            initial[f"target_{track_id}"] = settings["report"]["targets"].get(track_id)
        return initial

    def to_settings(self) -> dict[str, Any]:
        """The whole settings document the form describes (JSON-ready)."""
        data = self.cleaned_data

        def dec(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

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
        kind = "monthly_percent" if data["support_terms_kind"] == "percent" else "monthly_amount"
        return {
            "training_access": data["training_access"],
            "final_approval": data["final_approval"],
            "manual_review": data["manual_review"],
            "retry_period_days": data["retry_period_days"],
            "max_attempts": data["max_attempts"],
            "currency": data["currency"].upper(),
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
            "referral_terms": {
                "one_off_amount": dec(data["referral_one_off_amount"]),
                "recurring_percent": dec(data["referral_recurring_percent"]),
                "recurring_months": data["referral_recurring_months"],
            },
            "support_terms": {kind: dec(data["support_terms_value"])},
            "support_track_ids": data["support_track_ids"] or None,
            "report": {
                "annual_cost": dec(data["report_annual_cost"]),
                "revenue_impact": dec(data["report_revenue_impact"]),
                "targets": {
                    track_id: dec(data[f"target_{track_id}"])
                    for track_id, _ in self.tracks
                    if data.get(f"target_{track_id}") is not None
                },
            },
        }

    def add_settings_errors(self, fields: dict[str, str]) -> None:
        """Attach errors named by settings path to the form fields that edit them: the longest
        known prefix of the path wins; an unknown path becomes a form-wide error."""
        for path, message in fields.items():
            parts = path.split(".")
            prefixes = (".".join(parts[:n]) for n in range(len(parts), 0, -1))
            field = next((self.field_by_path[p] for p in prefixes if p in self.field_by_path), None)
            self.add_error(field, message)

    @property
    def field_by_path(self) -> dict[str, str]:
        paths = {
            name: name
            for name in (
                "training_access",
                "final_approval",
                "manual_review",
                "retry_period_days",
                "max_attempts",
                "currency",
                "support_track_ids",
            )
        }
        paths |= {
            "sla": "sla_first_response_hours",
            "sla.first_response_hours": "sla_first_response_hours",
            "sla.resolution_hours": "sla_resolution_hours",
            "sla.tiers": "premium_first_response_hours",
            "sla.business_hours": "use_business_hours",
            "sla_policy": "review_threshold",
            "sla_policy.warning_threshold": "warning_threshold",
            "sla_policy.review_threshold": "review_threshold",
            "referral_terms": "referral_one_off_amount",
            "support_terms": "support_terms_value",
            "report": "report_annual_cost",
            "report.annual_cost": "report_annual_cost",
            "report.revenue_impact": "report_revenue_impact",
        }
        for key in ("timezone", "weekdays", "start", "end", "holidays"):
            paths[f"sla.business_hours.{key}"] = f"bh_{key}"
        for key in ("one_off_amount", "recurring_percent", "recurring_months"):
            paths[f"referral_terms.{key}"] = f"referral_{key}"
        for tier in OVERRIDE_TIERS:
            paths[f"sla.tiers.{tier.value}"] = f"{tier.value}_first_response_hours"
            for key in ("first_response_hours", "resolution_hours"):
                paths[f"sla.tiers.{tier.value}.{key}"] = f"{tier.value}_{key}"
        for track_id, _ in self.tracks:
            paths[f"report.targets.{track_id}"] = f"target_{track_id}"
        return paths
