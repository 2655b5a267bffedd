"""The business's routing page (PRODUCT.md §7): the ordered rules, edited one at a time in a
form (issue 12 item 6) or whole as JSON with errors naming the rule path, the support-standard
rule set in one step, and the recent routing decisions. Thin: the same selectors and services
as ``/businesses/{b}/routing-rules``.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from refairn.core.forms import REFUSALS, ApiForm
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import business_get_for
from refairn.routing import selectors, services
from refairn.routing.forms import FALLBACK_WORDS, RuleForm, place, rule_initial
from refairn.routing.models import RoutingDecision
from refairn.training.selectors import tracks_list_for

RECENT_DECISIONS = 30


class RulesForm(ApiForm):
    rules = forms.CharField(
        label="Rules (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text="An ordered list; the first rule that matches a ticket decides. An empty "
        "list removes every rule.",
    )

    def clean_rules(self) -> Any:
        text = self.cleaned_data["rules"].strip() or "[]"
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
            ) from None

    def add_api_errors(self, fields: dict[str, str]) -> None:  # type: ignore[override]
        # Every path is a place in the one textarea: each message keeps its path.
        for path, message in fields.items():
            self.add_error("rules", f"{path}: {message}")


def _describe(rule: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    """One stored rule in words, for the summary above the editor."""
    match = rule["match"]
    conditions = []
    if match["tags_any"]:
        conditions.append("tags any of " + ", ".join(match["tags_any"]))
    if match["tiers"]:
        conditions.append("tier " + " or ".join(match["tiers"]))
    if match["priorities"]:
        conditions.append("priority " + " or ".join(match["priorities"]))
    if match["escalation_flag"] is not None:
        conditions.append("escalation flag " + ("set" if match["escalation_flag"] else "not set"))
    require = rule["require"]
    if "track_id" in require:
        needs = f"certified in {names.get(str(require['track_id']), 'an unknown track')}"
    else:
        needs = f"at least {require['min_certifications']} certifications"
    fallback = rule["fallback"]
    otherwise = ""
    if fallback:
        otherwise = FALLBACK_WORDS.get(fallback["action"], fallback["action"])
        if fallback.get("base_track_id"):
            otherwise += f" ({names.get(str(fallback['base_track_id']), 'unknown track')})"
    return {
        "name": rule["name"],
        "when": " and ".join(conditions) or "every ticket",
        "needs": needs,
        "otherwise": otherwise,
        "security": "yes" if rule["escalate_to_security"] else "",
    }


def _recent_decisions(actor: Actor) -> list[RoutingDecision]:
    """The latest decisions of the business, newest first (one scoped query)."""
    return list(
        RoutingDecision.objects.for_actor(actor)
        .select_related("agent")
        .order_by("-at", "-id")[:RECENT_DECISIONS]
    )


def _page(
    request: HttpRequest,
    actor: Actor,
    form: RulesForm | None = None,
    status: int = 200,
    rule_form: RuleForm | None = None,
) -> HttpResponse:
    rules = selectors.routing_rules_get_for(actor)
    tracks = tracks_list_for(actor)
    names = {str(t.id): t.name for t in tracks}
    if rule_form is None:
        rule_form = RuleForm(track_names=names, initial=_edited(request, rules))
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "rules": [_describe(rule, names) for rule in rules],
        "tracks": tracks,
        "form": form or RulesForm(initial={"rules": json.dumps(rules, indent=2)}),
        "rule_form": rule_form,
        "editing": rule_form["editing"].value() not in (None, ""),
        "decisions": _recent_decisions(actor),
        "can_edit": actor.has(*ADMIN_ROLES),
    }
    return render(request, "routing/rules.html", context, status=status)


def _edited(request: HttpRequest, rules: list[dict[str, Any]]) -> dict[str, object]:
    """``?edit=<n>`` (1-based): that rule's values in the form; else an empty form."""
    try:
        index = int(request.GET.get("edit", "")) - 1
    except ValueError:
        return {}
    return rule_initial(rules[index], index) if 0 <= index < len(rules) else {}


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §7: read the rules (staff) and replace them whole (owners, managers);
    nothing is saved unless every rule is valid."""
    actor = staff_actor(request, business_id)
    if request.method != "POST":
        return _page(request, actor)
    actor.require(*ADMIN_ROLES)
    form = RulesForm(request.POST)
    if form.is_valid():
        try:
            saved = services.routing_rules_replace(actor=actor, rules=form.cleaned_data["rules"])
        except REFUSALS as exc:
            form.add_domain_error(exc, field="rules")
            return _page(request, actor, form, exc.status)
        messages.success(
            request, f"{len(saved)} routing rule{'s' if len(saved) != 1 else ''} saved."
        )
        return redirect("routing:rules", business_id=business_id)
    return _page(request, actor, form, 422)


@login_required
@require_POST
def rule_save(request: HttpRequest, business_id: str) -> HttpResponse:
    """Issue 12 item 6: add one rule, or change one, from the form; the whole list goes through
    the same service as the JSON editor and the API, and nothing is saved unless it is valid."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    names = {str(t.id): t.name for t in tracks_list_for(actor)}
    form = RuleForm(request.POST, track_names=names)
    if not form.is_valid():
        return _page(request, actor, status=422, rule_form=form)
    current = selectors.routing_rules_get_for(actor)
    editing = form.cleaned_data.get("editing")
    whole, form.placed_at = place(
        current, form.rule(), editing=editing, position=form.cleaned_data.get("position")
    )
    form.rule_names = [str(rule["name"]) for rule in whole]
    try:
        services.routing_rules_replace(actor=actor, rules=whole)
    except REFUSALS as exc:
        form.add_domain_error(exc)
        return _page(request, actor, status=exc.status, rule_form=form)
    verb = "saved" if editing is not None else "added"
    messages.success(request, f"Rule “{form.cleaned_data['name']}” {verb}.")
    return redirect("routing:rules", business_id=business_id)


@login_required
@require_POST
def rule_delete(request: HttpRequest, business_id: str, number: int) -> HttpResponse:
    """Remove rule ``number`` (1-based) from the ordered list."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    current = selectors.routing_rules_get_for(actor)
    if not 1 <= number <= len(current):
        messages.error(request, "That rule no longer exists; nothing was removed.")
        return redirect("routing:rules", business_id=business_id)
    removed = current.pop(number - 1)
    try:
        services.routing_rules_replace(actor=actor, rules=current)
    except REFUSALS as exc:
        messages.error(request, f"Rule “{removed['name']}” was not removed: {exc.detail}")
    else:
        messages.success(request, f"Rule “{removed['name']}” removed.")
    return redirect("routing:rules", business_id=business_id)


@login_required
@require_POST
def rules_template(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §7: the third seed's six rules over the support-standard tracks."""
    actor = staff_actor(request, business_id)
    try:
        saved = services.routing_rules_from_template(
            actor=actor, template=services.SUPPORT_STANDARD
        )
    except REFUSALS as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"The {len(saved)} support-standard routing rules are in place.")
    return redirect("routing:rules", business_id=business_id)
