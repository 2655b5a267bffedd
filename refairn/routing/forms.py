"""The routing page's rule form (issue 12 item 6): one rule at a time, tracks picked by name,
tags as a list, tiers and priorities as choices, the fallback from a menu. The form only turns
what was typed into the API's rule shape; ``routing_rules_replace`` (``domain.parse_rules``)
judges it, as it judges the API, and its errors come back to the field they name."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from refairn.core.forms import ApiForm
from refairn.routing.domain import PRIORITIES, TIERS, FallbackAction

FALLBACK_WORDS = {
    FallbackAction.BASE_TRACK_AND_NOTIFY: "route to agents with the base track and notify managers",
    FallbackAction.FLAG_FOR_REVIEW: "flag for specialist review",
    FallbackAction.ROUTE_TO_MANAGER: "route to a manager",
    FallbackAction.HIGHEST_CERTIFIED: ("route to the highest-certified agent and notify managers"),
}
ESCALATION_CHOICES = (
    ("", "Either way"),
    ("true", "Only tickets flagged for escalation"),
    ("false", "Only tickets not flagged for escalation"),
)
_RULE_PATH = re.compile(r"^rules\[(\d+)\]\.?(.*)$")
_INDEX = re.compile(r"\[\d+\]")
_RULE_REF = re.compile(r"rules\[(\d+)\][\w.\[\]]*")
_ACTION = re.compile("|".join(str(action) for action in FallbackAction))


def split_tags(text: str) -> list[str]:
    """Tags typed as a list: separated by commas or new lines, blanks dropped."""
    return [tag.strip() for tag in re.split(r"[,\n]", text) if tag.strip()]


class RuleForm(ApiForm):
    editing = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    name = forms.CharField(label="Name", max_length=100)
    tags = forms.CharField(
        label="Tags (any of)",
        required=False,
        help_text="Separate tags with commas; a ticket with any of them matches.",
    )
    tiers = forms.MultipleChoiceField(
        label="Customer tiers",
        required=False,
        choices=[(tier, tier.title()) for tier in TIERS],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any tier.",
    )
    priorities = forms.MultipleChoiceField(
        label="Priorities",
        required=False,
        choices=[(p, p) for p in PRIORITIES],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any priority.",
    )
    escalation_flag = forms.ChoiceField(
        label="Escalation flag", required=False, choices=ESCALATION_CHOICES
    )
    require_track = forms.ChoiceField(
        label="Required certification",
        required=False,
        help_text="Agents certified in this track form the rule's pool.",
    )
    min_certifications = forms.IntegerField(
        label="Or a minimum number of certifications",
        required=False,
        min_value=1,
        help_text="Instead of one track: agents holding at least this many certifications.",
    )
    fallback_action = forms.ChoiceField(
        label="When nobody in the pool is available",
        required=False,
        choices=[("", "Leave the ticket in the business queue")]
        + [(str(action), words) for action, words in FALLBACK_WORDS.items()],
    )
    fallback_base_track = forms.ChoiceField(
        label="Fallback base track",
        required=False,
        help_text="The fallback routes only to agents certified in this track.",
    )
    escalate_to_security = forms.BooleanField(
        label="Also escalate to the security staff", required=False
    )
    position = forms.IntegerField(
        label="Position",
        required=False,
        min_value=1,
        help_text="1 is the first rule; empty: after the others.",
    )

    api_paths = {
        "match.tags_any": "tags",
        "match.tiers": "tiers",
        "match.priorities": "priorities",
        "match.escalation_flag": "escalation_flag",
        "require.track_id": "require_track",
        "require.min_certifications": "min_certifications",
        "require": "require_track",
        "fallback.action": "fallback_action",
        "fallback.base_track_id": "fallback_base_track",
        "fallback": "fallback_action",
    }

    def __init__(self, *args: Any, track_names: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tracks = [("", "—"), *sorted(track_names.items(), key=lambda item: item[1].casefold())]
        for name in ("require_track", "fallback_base_track"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = tracks
        # Set by the view before the service judges the list: the other rules' names, and
        # where this rule sits among them.
        self.rule_names: Sequence[str] = ()
        self.placed_at = -1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_track = bool(data.get("require_track"))
        has_count = data.get("min_certifications") is not None
        if has_track == has_count and "min_certifications" not in self.errors:
            self.add_error(
                "require_track",
                "Choose a required track, or give a minimum number of certifications (not both).",
            )
        # Without a fallback there is nothing for a base track to limit: refused, not dropped
        # (issue 12 item 9).
        if data.get("fallback_base_track") and not data.get("fallback_action"):
            self.add_error(
                "fallback_base_track",
                "Choose what happens when nobody in the pool is available, or leave the base "
                "track empty.",
            )
        return data

    def rule(self) -> dict[str, object]:
        """The cleaned form in the API's rule shape (API.md "Routing")."""
        data = self.cleaned_data
        flag = data.get("escalation_flag") or ""
        require: dict[str, object] = (
            {"track_id": data["require_track"]}
            if data.get("require_track")
            else {"min_certifications": data["min_certifications"]}
        )
        fallback = None
        if data.get("fallback_action"):
            fallback = {
                "action": data["fallback_action"],
                "base_track_id": data.get("fallback_base_track") or None,
            }
        return {
            "name": data["name"],
            "match": {
                "tags_any": split_tags(data.get("tags") or ""),
                "tiers": list(data.get("tiers") or []),
                "priorities": list(data.get("priorities") or []),
                "escalation_flag": {"true": True, "false": False}.get(flag),
            },
            "require": require,
            "fallback": fallback,
            "escalate_to_security": bool(data.get("escalate_to_security")),
        }

    def add_api_errors(self, fields: Mapping[str, str]) -> None:
        """The service names each problem by its path in the whole list (``rules[2].name``):
        the edited rule's go to their fields, another rule's are shown form-wide with its
        name, so a problem elsewhere is never lost."""
        index = self.placed_at
        for path, raw in fields.items():
            message = self.in_words(raw)
            found = _RULE_PATH.match(path)
            if found is None:
                self.add_error(None, message)
                continue
            at, rest = int(found.group(1)), _INDEX.sub("", found.group(2))
            if at == index:
                self.add_error(self.field_for(rest) if rest else None, message)
            else:
                name = self.rule_names[at] if at < len(self.rule_names) else ""
                self.add_error(None, f"Rule {at + 1} ({name}): {message}")

    def in_words(self, message: str) -> str:
        """The service's message without paths or enum values (issue 12 item 9)."""

        def rule(found: re.Match[str]) -> str:
            at = int(found.group(1))
            name = self.rule_names[at] if at < len(self.rule_names) else ""
            return f"rule {at + 1} ({name})" if name else f"rule {at + 1}"

        message = _RULE_REF.sub(rule, message)
        return _ACTION.sub(lambda found: f"“{FALLBACK_WORDS[FallbackAction(found[0])]}”", message)


def rule_initial(rule: Mapping[str, Any], index: int) -> dict[str, object]:
    """A stored rule as the form's initial values, for editing it."""
    match, require, fallback = rule["match"], rule["require"], rule["fallback"] or {}
    flag = match.get("escalation_flag")
    return {
        "editing": index,
        "name": rule["name"],
        "tags": ", ".join(match.get("tags_any") or []),
        "tiers": match.get("tiers") or [],
        "priorities": match.get("priorities") or [],
        "escalation_flag": "" if flag is None else str(flag).lower(),
        "require_track": require.get("track_id") or "",
        "min_certifications": require.get("min_certifications"),
        "fallback_action": fallback.get("action") or "",
        "fallback_base_track": fallback.get("base_track_id") or "",
        "escalate_to_security": rule["escalate_to_security"],
        "position": index + 1,
    }


def place(
    rules: list[dict[str, Any]],
    rule: dict[str, object],
    *,
    editing: int | None,
    position: int | None,
) -> tuple[list[dict[str, Any]], int]:
    """The whole list with ``rule`` put in: replacing rule ``editing`` (when it exists), at
    ``position`` (1-based, clamped; default: where it was, or last). Returns the list and the
    rule's index in it."""
    rest = list(rules)
    if editing is not None and 0 <= editing < len(rest):
        del rest[editing]
        default = editing
    else:
        default = len(rest)
    at = default if position is None else min(max(position - 1, 0), len(rest))
    rest.insert(at, dict(rule))
    return rest, at
