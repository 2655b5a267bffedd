"""Forms of the business's track pages (PRODUCT.md §3): a track, and a module of each of the
five formats.

The forms are ``refairn.core.forms.ApiForm``s: the API's schemas and the services judge each
submission again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from refairn.core.forms import ApiForm
from refairn.training.domain import AgentLevel, AssessmentMode, Format, Requirement
from refairn.training.models import Track


def _blank_to_none(value: Any) -> Any:
    return None if value in ("", None) else value


class TrackForm(ApiForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.ChoiceField(choices=[(r.value, r.value.title()) for r in Requirement])
    min_level = forms.ChoiceField(
        label="Minimum agent level",
        required=False,
        choices=[("", "None"), *((level.value, level.value) for level in AgentLevel)],
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
        label="Assessment",
        choices=[(mode.value, mode.value.title()) for mode in AssessmentMode],
        initial="fixed",
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


def type_code(words: str) -> str:
    """A question type as a person writes it ("Short answer") to its code (``short_answer``)."""
    return "_".join(words.strip().lower().replace("_", " ").split())


def type_words(code: str) -> str:
    return code.replace("_", " ")


class CompositionForm(ApiForm):
    """Issue 11 item 5: the mix of question types each attempt draws, one ``type: count`` per
    line or comma ("multiple choice: 40, practical: 5"); empty draws any type. Types are written
    as words (issue 12 item 9); the API's codes are accepted too."""

    composition = forms.CharField(
        label="Mix of question types",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One “type: count” per line, counts adding up to the questions per attempt; "
        "types: multiple choice, short answer, scenario, practical, simulation. Leave empty to "
        "draw any type.",
    )

    api_paths = {"assessment.composition": "composition", "assessment": "composition"}

    def clean_composition(self) -> list[dict[str, Any]]:
        parts = []
        for entry in re.split(r"[,\n]", self.cleaned_data["composition"]):
            if not entry.strip():
                continue
            question_type, colon, count = entry.partition(":")
            if not colon or not count.strip().isdigit():
                raise forms.ValidationError(f"“{entry.strip()}” is not “type: count”.")
            parts.append({"type": type_code(question_type), "count": int(count)})
        return parts

    def api_body(self) -> dict[str, Any]:
        """The ``PATCH /tracks/{t}`` body this form describes."""
        return {"assessment": {"composition": self.cleaned_data["composition"]}}


FORMAT_LABELS = {
    Format.VIDEO: "Video",
    Format.PDF: "PDF document",
    Format.TEXT: "Text lesson",
    Format.DEMO_SCRIPT: "Demo script",
    Format.FAQ: "FAQ",
}


class ModuleForm(ApiForm):
    """What every module has; subclasses add their format's fields."""

    format: Format

    title = forms.CharField(max_length=200)
    required = forms.BooleanField(required=False, initial=True, label="Required for the assessment")
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    estimated_hours = forms.DecimalField(
        label="Estimated hours", required=False, min_value=0, max_digits=5, decimal_places=1
    )

    def format_fields(self) -> dict[str, Any]:
        return {}

    def api_body(self) -> dict[str, Any]:
        """The ``POST /tracks/{t}/modules`` body this form describes."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "format": self.format.value,
            "required": data["required"],
            "description": data["description"],
            "estimated_hours": data["estimated_hours"],
            **self.format_fields(),
        }


class ModuleEditForm(ApiForm):
    """Issue 12: a module's content as ``PATCH /modules/{m}`` changes it, published or not.
    The video fields only for a video module; a PDF's file has its own form (``PdfFileForm``).
    """

    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    required = forms.BooleanField(required=False, label="Required for the assessment")
    estimated_hours = forms.DecimalField(
        label="Estimated hours",
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        help_text="Leave empty to show no estimate.",
    )
    duration_seconds = forms.IntegerField(
        label="Duration (seconds)",
        min_value=1,
        max_value=2_147_483_647,
        help_text="Complete when the agent has watched 95% of it.",
    )
    video_url = forms.URLField(
        label="Video address (http or https)",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Leave empty to remove the address.",
    )

    VIDEO_FIELDS = ("duration_seconds", "video_url")

    def __init__(self, *args: Any, module_format: Format, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if module_format != Format.VIDEO:
            for name in self.VIDEO_FIELDS:
                del self.fields[name]

    @classmethod
    def initial_of(cls, module: Any) -> dict[str, Any]:
        fields = ("title", "description", "required", "estimated_hours", *cls.VIDEO_FIELDS)
        return {name: getattr(module, name) for name in fields}

    def api_body(self) -> dict[str, Any]:
        """The ``PATCH /modules/{m}`` body: every field the form shows (an empty estimate
        clears it; an empty address removes it)."""
        return {name: self.cleaned_data[name] for name in self.fields}


class VideoModuleForm(ModuleForm):
    format = Format.VIDEO
    duration_seconds = forms.IntegerField(
        label="Duration (seconds)",
        min_value=1,
        max_value=2_147_483_647,
        help_text="Complete when the agent has watched 95% of it.",
    )
    video_url = forms.URLField(
        label="Video address (http or https)", required=False, assume_scheme="https"
    )

    def format_fields(self) -> dict[str, Any]:
        return {
            "duration_seconds": self.cleaned_data["duration_seconds"],
            "video_url": self.cleaned_data["video_url"] or None,
        }


class PdfModuleForm(ModuleForm):
    format = Format.PDF
    file = forms.FileField(
        label="PDF file",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text="At most 20 MB. Complete when the agent downloads it.",
    )

    api_paths = {"body": "file"}


class PdfFileForm(ApiForm):
    """A new file for an existing PDF module."""

    file = forms.FileField(
        label="New PDF file",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    api_paths = {"body": "file"}


class DemoScriptModuleForm(ModuleForm):
    format = Format.DEMO_SCRIPT
    script = forms.CharField(max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}))
    practice_runs_required = forms.IntegerField(
        label="Practice runs required", min_value=1, max_value=1000, initial=1
    )

    def format_fields(self) -> dict[str, Any]:
        return {
            "script": self.cleaned_data["script"],
            "practice_runs_required": self.cleaned_data["practice_runs_required"],
        }


def parse_choice_lines(text: str) -> list[tuple[str, bool, str]]:
    """One choice per line: ``*`` before a correct one, and optional feedback after ``||``.
    Returns (text, correct, feedback) in order; blank lines are skipped."""
    choices = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        correct = line.startswith("*")
        body, _, feedback = line.removeprefix("*").partition("||")
        choices.append((body.strip(), correct, feedback.strip()))
    return choices


class SectionForm(forms.Form):
    title = forms.CharField(label="Section title", max_length=200)
    body = forms.CharField(
        label="Text", max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    quiz_prompt = forms.CharField(label="Quiz question", required=False, max_length=1000)
    quiz_choices = forms.CharField(
        label="Quiz choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line; put * before the one correct choice.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        prompt, choices = data.get("quiz_prompt"), data.get("quiz_choices")
        if prompt and not choices:
            self.add_error("quiz_choices", "List the quiz's choices.")
        if choices and not prompt:
            self.add_error("quiz_prompt", "Write the quiz question.")
        return data

    def api_section(self) -> dict[str, Any]:
        data = self.cleaned_data
        quiz = None
        if data["quiz_prompt"]:
            quiz = {
                "prompt": data["quiz_prompt"],
                "choices": [
                    {"text": text, "correct": correct}
                    for text, correct, _ in parse_choice_lines(data["quiz_choices"])
                ],
            }
        return {"title": data["title"], "body": data["body"], "quiz": quiz}


class FaqItemForm(forms.Form):
    question = forms.CharField(max_length=1000)
    answer = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def api_item(self) -> dict[str, Any]:
        return {"question": self.cleaned_data["question"], "answer": self.cleaned_data["answer"]}


SectionFormSet = formset_factory(
    SectionForm, extra=2, min_num=1, validate_min=True, max_num=40, validate_max=True
)
FaqItemFormSet = formset_factory(
    FaqItemForm, extra=3, min_num=1, validate_min=True, max_num=100, validate_max=True
)


class RowsModuleForm(ModuleForm):
    """A module whose content is a list of rows (a formset): text sections or FAQ items."""

    rows_key: str
    formset_class: type[BaseFormSet[Any]]

    def __init__(self, data: Any = None, files: Any = None, *, prefix: str | None = None) -> None:
        super().__init__(data, files, prefix=prefix)
        self.rows = self.formset_class(data, prefix=f"{prefix}-{self.rows_key}")

    def is_valid(self) -> bool:
        # Both always run, so every mistake on the page is shown at once.
        return all([super().is_valid(), self.rows.is_valid()])

    def filled_rows(self) -> list[forms.Form]:
        return [f for f in self.rows.forms if f.has_changed() and f.cleaned_data]

    def add_api_errors(self, fields: dict[str, str]) -> None:  # type: ignore[override]
        """``sections.2.quiz`` goes to the third filled row's quiz field."""
        filled = self.filled_rows()
        rest = {}
        for path, message in fields.items():
            parts = path.split(".")
            if parts[0] == self.rows_key and len(parts) > 1 and parts[1].isdigit():
                index = int(parts[1])
                if index < len(filled):
                    row = filled[index]
                    name = next((p for p in reversed(parts[2:]) if p in row.fields), None)
                    if name is None and "quiz" in parts[2:]:
                        name = "quiz_choices"
                    row.add_error(name, message)
                    continue
            rest[path] = message
        super().add_api_errors(rest)


class TextModuleForm(RowsModuleForm):
    format = Format.TEXT
    rows_key = "sections"
    formset_class = SectionFormSet

    def format_fields(self) -> dict[str, Any]:
        return {"sections": [row.api_section() for row in self.filled_rows()]}  # type: ignore[attr-defined]


class FaqModuleForm(RowsModuleForm):
    format = Format.FAQ
    rows_key = "items"
    formset_class = FaqItemFormSet

    def format_fields(self) -> dict[str, Any]:
        return {"items": [row.api_item() for row in self.filled_rows()]}  # type: ignore[attr-defined]


MODULE_FORMS: dict[Format, type[ModuleForm]] = {
    Format.VIDEO: VideoModuleForm,
    Format.PDF: PdfModuleForm,
    Format.TEXT: TextModuleForm,
    Format.DEMO_SCRIPT: DemoScriptModuleForm,
    Format.FAQ: FaqModuleForm,
}


def module_form(fmt: Format, data: Any = None, files: Any = None) -> ModuleForm:
    """The creation form of one format; its prefix keeps the five forms of a page apart."""
    return MODULE_FORMS[fmt](data, files, prefix=fmt.value)
