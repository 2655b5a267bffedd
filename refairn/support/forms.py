"""The support pages' forms. They check only the shape of the input; the services decide what
is allowed and their field errors are shown at the fields (``show_errors``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from refairn.core.errors import InvalidInput
from refairn.core.forms import InstantField
from refairn.programs.models import Customer
from refairn.support.domain.escalation import Category
from refairn.support.domain.ratings import MAX_SCORE, MIN_SCORE

# The API's limits (support.schemas), so a page never accepts what the API refuses.
TEXT_MAX = 10_000
NOTE_MAX = 2_000
SUBJECT_MAX = 200


def show_errors(form: forms.Form, error: InvalidInput) -> None:
    """A service's field errors at their fields; one about a field the form lacks goes on top."""
    if not error.fields:
        form.add_error(None, error.detail)
    for field, message in error.fields.items():
        form.add_error(field if field in form.fields else None, message)


def _text(label: str, *, rows: int, max_length: int, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReplyForm(forms.Form):
    body = _text("Your reply", rows=5, max_length=TEXT_MAX)
    # The must-escalate categories the agent saw and chose to send anyway (the confirm step).
    acknowledged = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, check_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if check_url:
            # The agent's draft is checked for must-escalate topics as they type (htmx).
            self.fields["body"].widget.attrs.update(
                {
                    "hx-post": check_url,
                    "hx-trigger": "input changed delay:500ms",
                    "hx-target": "#scope-warnings",
                    "aria-describedby": "scope-warnings",
                }
            )

    def acknowledged_categories(self) -> set[str]:
        return set(filter(None, self.cleaned_data.get("acknowledged", "").split(",")))


class EscalateForm(forms.Form):
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category")] + [(c.value, c.label) for c in Category],
    )
    note = _text("Note for the business (optional)", rows=3, max_length=NOTE_MAX, required=False)


SCORE_CHOICES = [(str(n), str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)]


def _score(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 is poor, 5 is excellent.",
    )


class RatingForm(forms.Form):
    responsiveness = _score("Responsiveness")
    product_knowledge = _score("Product knowledge")
    professionalism = _score("Professionalism")
    overall = _score("Overall satisfaction")
    comment = _text("Comment (optional)", rows=3, max_length=NOTE_MAX, required=False)

    SCORES = ("responsiveness", "product_knowledge", "professionalism", "overall")

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in self.SCORES}


PRIORITY_CHOICES = [
    ("P1", "Urgent: we cannot work"),
    ("P2", "High: something important is broken"),
    ("P3", "Normal"),
    ("P4", "Low: a question or a suggestion"),
]


TAGS_MAX = 20
TAG_MAX = 40


class TicketForm(forms.Form):
    customer_id = forms.ChoiceField(label="Account")
    subject = forms.CharField(label="Subject", max_length=SUBJECT_MAX)
    category = forms.ChoiceField(
        label="Category",
        required=False,
        help_text="What the request is about: it goes to the agents who know the topic.",
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=TAGS_MAX * (TAG_MAX + 2),
        help_text="Optional keywords, separated by commas (for example: export, dashboard).",
    )
    body = _text("How can we help?", rows=6, max_length=TEXT_MAX)
    priority = forms.ChoiceField(label="Priority", choices=PRIORITY_CHOICES, initial="P3")

    def __init__(
        self,
        *args: Any,
        customers: Sequence[Customer],
        categories: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if categories:
            self.fields["category"].choices = [  # type: ignore[attr-defined]
                ("", "Other or not sure"),
                *[(c, c.replace("-", " ").capitalize()) for c in categories],
            ]
        else:
            # Without routing rules a category would reach nobody in particular.
            del self.fields["category"]
        field = self.fields["customer_id"]
        field.choices = [(str(c.id), c.name) for c in customers]  # type: ignore[attr-defined]
        if len(customers) == 1:
            # Nothing to choose: the ticket is for the caller's one account.
            field.initial = str(customers[0].id)
            field.widget = forms.HiddenInput()

    def clean_tags(self) -> list[str]:
        # One spelling per tag, as the API stores them (``schemas._tags``).
        cleaned = (" ".join(t.split()).lower() for t in self.cleaned_data["tags"].split(","))
        tags = list(dict.fromkeys(t for t in cleaned if t))
        if len(tags) > TAGS_MAX:
            raise forms.ValidationError(f"Use at most {TAGS_MAX} tags.")
        if any(len(t) > TAG_MAX for t in tags):
            raise forms.ValidationError(f"Each tag has at most {TAG_MAX} characters.")
        return tags

    def ticket_fields(self) -> dict[str, Any]:
        """``ticket_create``'s arguments: the category is the first tag routing matches."""
        data = dict(self.cleaned_data)
        category = data.pop("category", "")
        data["tags"] = list(dict.fromkeys([category, *data["tags"]] if category else data["tags"]))
        return data


class NoteForm(forms.Form):
    # Shares the ticket page with the reply form: its own ids and names.
    prefix = "note"

    body = _text("Internal note (only the support side sees it)", rows=3, max_length=TEXT_MAX)


class ReassignForm(forms.Form):
    # Shares the ticket page with the escalation form, which has a "note" too.
    prefix = "reassign"

    agent_id = forms.ChoiceField(label="Agent")
    note = forms.CharField(label="Why", required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, agents: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent_id"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an agent"),
            *agents,
        ]


class UnavailabilityForm(forms.Form):
    starts_at = InstantField(label="Away from")
    ends_at = InstantField(label="Back on")
    reason = _text("Reason (optional)", rows=2, max_length=NOTE_MAX, required=False)
