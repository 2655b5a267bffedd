"""Forms of the business's certification pages: decisions on an agent's certification,
support access and warnings.

The forms are ``refairn.core.forms.ApiForm``s: the API's schemas and the services judge each
submission again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from refairn.core.forms import ApiForm


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
