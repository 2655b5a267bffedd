"""Forms of the business's certification pages: tracks, decisions on an agent's certification,
support access and warnings.

The forms are ``refairn.core.forms.ApiForm``s: the API's schemas and the services judge each
submission again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from refairn.certification.domain import Requirement
from refairn.certification.models import Track
from refairn.core.forms import ApiForm


def _blank_to_none(value: Any) -> Any:
    return None if value in ("", None) else value


class TrackForm(ApiForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.ChoiceField(choices=[(r.value, r.value.title()) for r in Requirement])
    min_level = forms.ChoiceField(
        label="Minimum agent level",
        required=False,
        choices=[("", "None"), *Track.AgentLevel.choices],
    )
    prerequisite_ids = forms.MultipleChoiceField(
        label="Prerequisite tracks",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The agent must hold these certifications before the assessment opens.",
    )
    estimated_days = forms.IntegerField(
        label="Estimated duration (days)", required=False, min_value=1, max_value=3650
    )
    passing_score = forms.DecimalField(
        label="Passing score (%)", min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    recertification_months = forms.IntegerField(
        label="Recertification interval (months)",
        min_value=1,
        max_value=120,
        help_text="12 = annual; 6 = twice a year.",
    )
    security_critical = forms.BooleanField(
        required=False, label="Security-critical (an expired agent gets no tickets)"
    )
    badge_name = forms.CharField(
        label="Badge name", max_length=80, required=False, help_text="Defaults to the name."
    )
    badge_icon = forms.CharField(label="Badge icon", max_length=16, required=False)
    assessment_mode = forms.ChoiceField(
        label="Assessment", choices=Track.AssessmentMode.choices, initial="fixed"
    )
    question_count = forms.IntegerField(
        label="Questions per attempt", min_value=1, max_value=500, initial=20
    )
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)", min_value=1, max_value=24 * 60, initial=60
    )

    api_paths = {
        "badge.name": "badge_name",
        "badge.icon": "badge_icon",
        "badge": "badge_name",
        "assessment.mode": "assessment_mode",
        "assessment.question_count": "question_count",
        "assessment.time_limit_minutes": "time_limit_minutes",
        "assessment": "question_count",
    }

    def __init__(self, *args: Any, tracks: Iterable[Track] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prerequisite_ids"].choices = [(str(t.id), t.name) for t in tracks]  # type: ignore[attr-defined]

    def api_body(self) -> dict[str, Any]:
        """The ``POST /businesses/{b}/tracks`` body this form describes."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "requirement": data["requirement"],
            "min_level": _blank_to_none(data["min_level"]),
            "prerequisite_ids": data["prerequisite_ids"],
            "estimated_days": data["estimated_days"],
            "passing_score": data["passing_score"],
            "recertification_months": data["recertification_months"],
            "security_critical": data["security_critical"],
            "badge": {
                "name": data["badge_name"] or data["name"][:80],
                "icon": data["badge_icon"],
            },
            "assessment": {
                "mode": data["assessment_mode"],
                "question_count": data["question_count"],
                "time_limit_minutes": data["time_limit_minutes"],
            },
        }


class ReasonForm(ApiForm):
    """A decision that must say why (decline, revoke)."""

    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(ApiForm):
    reason = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GrantAttemptsForm(ApiForm):
    count = forms.IntegerField(label="Extra attempts", min_value=1, max_value=20, initial=1)
    reason = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SUPPORT_ACTION_LABELS = {
    "suspend": "Suspend (no tickets or new customers until reinstated)",
    "reinstate": "Reinstate",
    "remove": "Remove (every customer is unassigned at once)",
    "reapprove": "Re-approve",
}


class SupportAccessForm(ApiForm):
    action = forms.ChoiceField()
    reason = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to suspend or remove.",
    )

    def __init__(self, *args: Any, actions: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, SUPPORT_ACTION_LABELS[a]) for a in actions]  # type: ignore[attr-defined]


class WarningForm(ApiForm):
    message = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewDecisionForm(ApiForm):
    outcome = forms.ChoiceField(
        choices=[("keep", "Keep support access"), ("remove_support", "Remove support access")]
    )
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationForm(ApiForm):
    """The business's answer to a pending agent application."""

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(
        max_length=2000, required=False, help_text="Required to reject; the applicant sees it."
    )
