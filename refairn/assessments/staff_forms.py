"""Forms of the question bank page (PRODUCT.md §4): a question, and a GIFT import.

The forms are ``refairn.core.forms.ApiForm``s: the API's schemas and the services judge each
submission again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from refairn.assessments.domain import QuestionType, limits
from refairn.core.forms import ApiForm
from refairn.training.staff_forms import parse_choice_lines


class QuestionForm(ApiForm):
    type = forms.ChoiceField(
        choices=[
            (QuestionType.MULTIPLE_CHOICE.value, "Multiple choice"),
            (QuestionType.SHORT_ANSWER.value, "Short answer"),
            (QuestionType.SCENARIO.value, "Scenario"),
            (QuestionType.PRACTICAL.value, "Practical exercise"),
            (QuestionType.SIMULATION.value, "Simulation (role-play scored 0–100)"),
        ]
    )
    title = forms.CharField(max_length=limits.TITLE_MAX, required=False)
    prompt = forms.CharField(max_length=limits.PROMPT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Multiple choice: one per line, * before each correct one, optional feedback "
        "after ||. Short answer: one accepted answer per line. Others: leave empty.",
    )
    points = forms.IntegerField(min_value=1, max_value=limits.MAX_POINTS, initial=1)
    critical = forms.BooleanField(required=False, label="Critical (one wrong fails the attempt)")
    topic = forms.CharField(max_length=limits.TOPIC_MAX, required=False)
    rubric = forms.CharField(
        required=False,
        max_length=limits.RUBRIC_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What a reviewer looks for; never shown to the agent.",
    )
    module_id = forms.ChoiceField(label="Drawn from module", required=False)
    faq_item_ids = forms.MultipleChoiceField(
        label="Linked FAQ items", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        modules: Iterable[tuple[str, str]] = (),
        faq_items: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module_id"].choices = [("", "None"), *modules]  # type: ignore[attr-defined]
        self.fields["faq_item_ids"].choices = list(faq_items)  # type: ignore[attr-defined]

    def api_body(self) -> dict[str, Any]:
        """The ``POST /tracks/{t}/questions`` body this form describes."""
        data = self.cleaned_data
        short_answer = data["type"] == QuestionType.SHORT_ANSWER
        return {
            "type": data["type"],
            "title": data["title"],
            "prompt": data["prompt"],
            "choices": [
                # A short answer's lines are its accepted answers: all correct by definition.
                {"text": text, "correct": correct or short_answer, "feedback": feedback}
                for text, correct, feedback in parse_choice_lines(data["choices"])
            ],
            "points": data["points"],
            "critical": data["critical"],
            "topic": data["topic"],
            "rubric": data["rubric"],
            "module_id": data["module_id"] or None,
            "faq_item_ids": data["faq_item_ids"],
        }


class GiftImportForm(ApiForm):
    text = forms.CharField(
        label="GIFT text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Moodle GIFT: multiple choice and short answer (and more); questions are "
        "separated by a blank line.",
    )
    file = forms.FileField(
        label="…or a GIFT file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".gift,.txt,text/plain"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("text") and not data.get("file"):
            raise forms.ValidationError("Paste GIFT text or choose a file.")
        return data

    @property
    def api_paths(self) -> dict[str, str]:  # type: ignore[override]
        # The service names the body; the body is whichever control the person used.
        return {"body": "file" if self.cleaned_data.get("file") else "text"}

    def body(self) -> bytes:
        upload = self.cleaned_data.get("file")
        return upload.read() if upload else self.cleaned_data["text"].encode("utf-8")
