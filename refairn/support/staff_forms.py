"""Forms of the business's support pages: the agent directory (applications, support access,
warnings, performance reviews), customers, assignment and the ticket filters."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from refairn.core.forms import ApiForm, DayField
from refairn.programs.domain import Tier
from refairn.support.domain.tickets import TicketStatus


def _start_of_day(value: Any) -> datetime | None:
    """A date typed in the form as the instant the day starts on the viewer's calendar (their
    zone, activated by accounts.middleware)."""
    if value is None:
        return None
    return datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone()).astimezone(UTC)


class CustomerForm(ApiForm):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(
        required=False, help_text="If it belongs to a user, they can log in to open tickets."
    )
    tier = forms.ChoiceField(choices=[(t.value, t.value.title()) for t in Tier])
    monthly_value = forms.DecimalField(
        label="Monthly value", min_value=0, max_digits=12, decimal_places=2
    )
    referred_by = forms.ChoiceField(label="Referred by", required=False)
    subscribed_at = DayField(
        label="Subscribed on", required=False, help_text="Leave empty for today."
    )

    def __init__(self, *args: Any, agents: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referred_by"].choices = [("", "Nobody"), *agents]  # type: ignore[attr-defined]

    def api_body(self) -> dict[str, Any]:
        """The ``POST /businesses/{b}/customers`` body this form describes."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "tier": data["tier"],
            "monthly_value": str(data["monthly_value"]),
            "referred_by": data["referred_by"] or None,
            "subscribed_at": _start_of_day(data["subscribed_at"]),
        }


class CancelForm(ApiForm):
    at = DayField(label="Cancelled on", required=False, help_text="Leave empty for now.")

    def api_at(self) -> datetime | None:
        return _start_of_day(self.cleaned_data["at"])


class AssignmentForm(ApiForm):
    """The agent to assign. Eligible agents come first; the others are listed with why they
    are not, and choosing one shows the platform's refusal as the form's error."""

    agent_id = forms.ChoiceField(label="Support agent")

    def __init__(
        self,
        *args: Any,
        eligible: Iterable[tuple[str, str]] = (),
        ineligible: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        groups: list[tuple[str, list[tuple[str, str]]]] = [
            ("Certified Support Agents", list(eligible))
        ]
        if others := list(ineligible):
            groups.append(("Not eligible now", others))
        self.fields["agent_id"].choices = [("", "Choose an agent"), *groups]  # type: ignore[attr-defined]


OVERDUE_CHOICES = [("", "Any"), ("yes", "Overdue"), ("no", "Not overdue")]


class TicketFilterForm(forms.Form):
    """The ticket list's filters (a GET form: filtering writes nothing)."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        required=False, choices=[("", "Any"), *[(s.value, s.label) for s in TicketStatus]]
    )
    overdue = forms.ChoiceField(required=False, choices=OVERDUE_CHOICES)
    agent_id = forms.ChoiceField(label="Agent", required=False)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)
    before = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, agents: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent_id"].choices = [("", "Any"), *agents]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``tickets_list_for`` (the API's query parameters)."""
        data = self.cleaned_data
        return {
            "q": data["q"],
            "status": TicketStatus(data["status"]) if data["status"] else None,
            "overdue": {"yes": True, "no": False}.get(data["overdue"]),
            "agent_id": uuid.UUID(data["agent_id"]) if data["agent_id"] else None,
            "cursor": data["cursor"] or None,
            "before": data["before"] or None,
        }


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


class SupportLevelForm(ApiForm):
    """Issue 11 item 6: the agent's support level; a track "Required — L2+" is required of
    L2, L3 and CSM agents."""

    support_level = forms.ChoiceField(
        label="Support level",
        choices=[
            ("L1", "L1"),
            ("L2", "L2"),
            ("L3", "L3"),
            ("CSM", "CSM (customer success manager)"),
        ],
    )


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
