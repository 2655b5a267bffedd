"""Issue 12 item 9: a setting that cannot be saved is refused, never dropped silently.

Each staff form that edits settings is posted with its current values and one value the model
or the service cannot store (out of range, an unknown choice, too long, a field the service
would ignore, a combination the domain rejects). The page must come back refused (4xx) with the
error on that field, and nothing may be written: not the bad value, not the other fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Question
from refairn.notifications.domain.catalogue import Family
from refairn.notifications.models import NotificationPreference
from refairn.programs.models import Agent, Business
from refairn.routing.models import RoutingRuleSet
from refairn.support.tests.conftest import support_track
from refairn.training.models import Module, Track

pytestmark = pytest.mark.django_db


def post_value(value: Any) -> Any:
    """A form's initial value as a browser would post it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple)):
        return [post_value(v) for v in value]
    if isinstance(value, (date, Decimal, int)):
        return str(value)
    return value


def form_data(forms_on_page: Iterable[forms.Form]) -> dict[str, Any]:
    """Every field of the page's forms with the value the page shows (unchecked boxes left
    out, as a browser does)."""
    data: dict[str, Any] = {}
    for form in forms_on_page:
        for bound in form:
            value = post_value(bound.value())
            if isinstance(bound.field, forms.BooleanField) and not value:
                continue
            data[bound.html_name] = value
    return data


@dataclass(frozen=True)
class Case:
    """One value the page must refuse: ``changes`` posted over the page's own values, the
    error expected on ``field``."""

    id: str
    changes: dict[str, Any]
    field: str
    removed: tuple[str, ...] = field(default=())


def settings_forms(response: Any) -> list[forms.Form]:
    return [form for _, form in response.context["sections"]]


# -- the program settings page: every section's fields ----------------------------------------

SETTINGS_CASES = [
    Case("currency not ISO 4217", {"currency": "ZZZ"}, "currency"),
    Case("currency too long", {"currency": "EURO"}, "currency"),
    Case("unknown training access", {"training_access": "sometimes"}, "training_access"),
    Case("unknown final approval", {"final_approval": "maybe"}, "final_approval"),
    Case("negative retry period", {"retry_period_days": "-1"}, "retry_period_days"),
    Case("retry period too long", {"retry_period_days": "100000"}, "retry_period_days"),
    Case("zero attempts", {"max_attempts": "0"}, "max_attempts"),
    Case("zero-hour first response", {"sla_first_response_hours": "0"}, "sla_first_response_hours"),
    Case(
        "resolution before first response",
        {"sla_first_response_hours": "48", "sla_resolution_hours": "24"},
        "sla_resolution_hours",
    ),
    Case(
        "a tier override half filled",
        {"enterprise_first_response_hours": "2", "enterprise_resolution_hours": ""},
        "enterprise_resolution_hours",
    ),
    Case(
        "unknown time zone",
        {"use_business_hours": "on", "bh_timezone": "Mars/Olympus"},
        "bh_timezone",
    ),
    Case("no working day", {"use_business_hours": "on"}, "bh_weekdays", removed=("bh_weekdays",)),
    Case(
        "a start off the minute",
        {"use_business_hours": "on", "bh_start": "09:00:30"},
        "bh_start",
    ),
    Case(
        "a holiday that is no date",
        {"use_business_hours": "on", "bh_holidays": "soon"},
        "bh_holidays",
    ),
    Case(
        "business hours given but switched off",
        {"bh_timezone": "Mars/Olympus"},
        "bh_timezone",
        removed=("use_business_hours",),
    ),
    Case(
        "review before warning",
        {"warning_threshold": "5", "review_threshold": "3"},
        "review_threshold",
    ),
    Case("threshold too high", {"warning_threshold": "5000"}, "warning_threshold"),
    Case("unknown support track", {"support_track_ids": ["not-a-track"]}, "support_track_ids"),
    Case("negative one-off", {"referral_one_off_amount": "-5"}, "referral_one_off_amount"),
    Case("percent over 100", {"referral_recurring_percent": "150"}, "referral_recurring_percent"),
    Case(
        "recurring months without a recurring percent",
        {"referral_recurring_percent": "", "referral_recurring_months": "6"},
        "referral_recurring_months",
    ),
    Case(
        "support percent over 100",
        {"support_terms_kind": "percent", "support_terms_value": "150"},
        "support_terms_value",
    ),
    Case("unknown support kind", {"support_terms_kind": "shares"}, "support_terms_kind"),
    Case("annual cost too precise", {"report_annual_cost": "10.005"}, "report_annual_cost"),
    Case("annual cost too large", {"report_annual_cost": "1" + "0" * 12}, "report_annual_cost"),
]


@pytest.mark.parametrize("case", SETTINGS_CASES, ids=lambda c: c.id)
def test_the_settings_page_refuses_what_it_cannot_save(
    alice: User, business_a: Business, case: Case
) -> None:
    support_track(business_a)
    client = Client()
    client.force_login(alice)
    url = f"/b/{business_a.id}/settings/"
    page = client.get(url)
    data = form_data(settings_forms(page))
    for name in case.removed:
        data.pop(name, None)
    data |= case.changes
    before = Business.objects.get(pk=business_a.pk).settings
    # The page's own values save unchanged: the baseline is valid.
    baseline = {k: v for k, v in form_data(settings_forms(page)).items()}
    assert client.post(url, baseline).status_code == 302
    assert Business.objects.get(pk=business_a.pk).settings == before

    response = client.post(url, data)
    assert response.status_code == 422, case.id
    errors = {name: f.errors[name] for f in settings_forms(response) for name in f.errors}
    assert case.field in errors, (case.id, errors, response.context["errors"])
    assert Business.objects.get(pk=business_a.pk).settings == before
    assert 'class="errors" role="alert"' in response.content.decode()


def test_what_the_refusals_leave_open_still_saves(alice: User, business_a: Business) -> None:
    """The refusals above are about values that would be lost, not about the switches: hours
    ticked are saved; unticking stored hours turns them off; a referral with neither a
    recurring percent nor a limit is fine."""
    client = Client()
    client.force_login(alice)
    url = f"/b/{business_a.id}/settings/"
    data = form_data(settings_forms(client.get(url)))
    on = {**data, "use_business_hours": "on", "bh_timezone": "Europe/Berlin"}
    assert client.post(url, on).status_code == 302
    hours = Business.objects.get(pk=business_a.pk).settings["sla"]["business_hours"]
    assert hours["timezone"] == "Europe/Berlin"

    data = form_data(settings_forms(client.get(url)))
    assert data["bh_timezone"] == "Europe/Berlin"
    data.pop("use_business_hours")
    data |= {"referral_recurring_percent": "", "referral_recurring_months": ""}
    assert client.post(url, data).status_code == 302
    stored = Business.objects.get(pk=business_a.pk).settings
    assert stored["sla"]["business_hours"] is None
    assert stored["referral_terms"]["recurring_percent"] is None
    assert stored["referral_terms"]["recurring_months"] is None


# -- the other forms that edit settings --------------------------------------------------------


@dataclass(frozen=True)
class FormCase:
    """A page whose form is posted once with ``bad`` (over ``good``), the error on ``field``;
    ``stored`` reads what the form edits, which must not change."""

    id: str
    url: Callable[[Any], str]
    good: Callable[[Any], dict[str, Any]]
    bad: dict[str, Any]
    field: str
    stored: Callable[[Any], Any]
    context_key: str = "form"


@dataclass
class World:
    business: Business
    owner: User
    agent: User
    track: Any
    video: Any


@pytest.fixture
def world(alice: User, bob: User, business_a: Business) -> World:
    track = support_track(business_a)
    video = Module.objects.create(
        business=business_a, track=track, title="Welcome", format="video", duration_seconds=60
    )
    return World(business_a, alice, bob, track, video)


def _b(w: World) -> str:
    return f"/b/{w.business.id}"


def _rules(w: World) -> Any:
    return list(RoutingRuleSet.objects.filter(business=w.business).values_list("rules", flat=True))


def _questions(w: World) -> Any:
    return sorted(
        str(q) for q in Question.objects.filter(track=w.track).values_list("id", flat=True)
    )


def _preferences(w: World) -> Any:
    return sorted(
        NotificationPreference.objects.filter(user=w.owner).values_list("family", "email")
    )


def _module(w: World) -> Any:
    return Module.objects.filter(pk=w.video.pk).values().get()


def _rule(w: World) -> dict[str, Any]:
    return {"name": "Enterprise", "tiers": ["enterprise"], "require_track": str(w.track.id)}


TRACK_FORM = {
    "name": "Billing basics",
    "requirement": "required",
    "passing_score": "80",
    "recertification_months": "12",
    "assessment_mode": "fixed",
    "question_count": "10",
    "time_limit_minutes": "30",
}
QUESTION_FORM = {
    "type": "multiple_choice",
    "prompt": "Who refunds?",
    "choices": "*The business\nThe agent",
    "points": "1",
}

FORM_CASES = [
    FormCase(
        "time zone unknown",
        lambda w: "/account/time-zone/",
        lambda w: {"time_zone": "Europe/Berlin"},
        {"time_zone": "Mars/Olympus"},
        "time_zone",
        lambda w: User.objects.get(pk=w.owner.pk).time_zone,
    ),
    FormCase(
        "notification mode unknown",
        lambda w: "/notifications/preferences/",
        lambda w: {family.value: "daily_digest" for family in Family},
        {Family.SUPPORT.value: "hourly"},
        Family.SUPPORT.value,
        _preferences,
    ),
    FormCase(
        "notification family left out",
        lambda w: "/notifications/preferences/",
        lambda w: {family.value: "daily_digest" for family in Family},
        {Family.PROGRAM.value: ""},
        Family.PROGRAM.value,
        _preferences,
    ),
    FormCase(
        "support level unknown",
        lambda w: f"{_b(w)}/agents/{w.agent.id}/support-level/",
        lambda w: {"support_level": "L2"},
        {"support_level": "L9"},
        "support_level",
        lambda w: Agent.objects.get(business=w.business, user=w.agent).support_level,
        context_key="level_form",
    ),
    FormCase(
        "routing: a base track without a fallback",
        lambda w: f"{_b(w)}/routing/rule/",
        _rule,
        {"fallback_base_track": "TRACK", "editing": "0"},
        "fallback_base_track",
        _rules,
        context_key="rule_form",
    ),
    FormCase(
        "routing: more certifications than tracks",
        lambda w: f"{_b(w)}/routing/rule/",
        _rule,
        {"require_track": "", "min_certifications": "99", "editing": "0"},
        "min_certifications",
        _rules,
        context_key="rule_form",
    ),
    FormCase(
        "routing: a name too long",
        lambda w: f"{_b(w)}/routing/rule/",
        _rule,
        {"name": "x" * 101, "editing": "0"},
        "name",
        _rules,
        context_key="rule_form",
    ),
    FormCase(
        "routing: an unknown tier",
        lambda w: f"{_b(w)}/routing/rule/",
        _rule,
        {"tiers": ["platinum"], "editing": "0"},
        "tiers",
        _rules,
        context_key="rule_form",
    ),
    FormCase(
        "routing JSON: an unknown key",
        lambda w: f"{_b(w)}/routing/",
        lambda w: {"rules": "[]"},
        {"rules": '[{"name": "x", "colour": "red"}]'},
        "rules",
        _rules,
    ),
    FormCase(
        "question: choices on a scenario",
        lambda w: f"{_b(w)}/tracks/{w.track.id}/questions/",
        lambda w: dict(QUESTION_FORM),
        {"type": "scenario"},
        "choices",
        _questions,
        context_key="question_form",
    ),
    FormCase(
        "question: no points",
        lambda w: f"{_b(w)}/tracks/{w.track.id}/questions/",
        lambda w: dict(QUESTION_FORM),
        {"points": "0"},
        "points",
        _questions,
        context_key="question_form",
    ),
    FormCase(
        "question: unknown type",
        lambda w: f"{_b(w)}/tracks/{w.track.id}/questions/",
        lambda w: dict(QUESTION_FORM),
        {"type": "essay"},
        "type",
        _questions,
        context_key="question_form",
    ),
    FormCase(
        "composition not adding up",
        lambda w: f"{_b(w)}/tracks/{w.track.id}/composition/",
        lambda w: {"composition": ""},
        {"composition": "multiple choice: 3"},
        "composition",
        lambda w: Track.objects.get(pk=w.track.pk).composition,
        context_key="composition_form",
    ),
    FormCase(
        "composition: an unknown type",
        lambda w: f"{_b(w)}/tracks/{w.track.id}/composition/",
        lambda w: {"composition": ""},
        {"composition": "essay: 10"},
        "composition",
        lambda w: Track.objects.get(pk=w.track.pk).composition,
        context_key="composition_form",
    ),
    FormCase(
        "module: a video address the service refuses",
        lambda w: f"{_b(w)}/tracks/{w.track.id}/modules/{w.video.id}/edit/",
        lambda w: {"title": "Hello", "duration_seconds": "90", "required": "on"},
        {"video_url": "ftp://videos.example/x"},
        "video_url",
        _module,
    ),
    FormCase(
        "track: passing score over 100",
        lambda w: f"{_b(w)}/tracks/",
        lambda w: dict(TRACK_FORM),
        {"name": "Refunds", "passing_score": "101"},
        "passing_score",
        lambda w: sorted(Track.objects.filter(business=w.business).values_list("name", flat=True)),
    ),
    FormCase(
        "track: a name taken",
        lambda w: f"{_b(w)}/tracks/",
        lambda w: dict(TRACK_FORM),
        {"name": "BILLING BASICS"},
        "name",
        lambda w: sorted(Track.objects.filter(business=w.business).values_list("name", flat=True)),
    ),
]


@pytest.mark.parametrize("case", FORM_CASES, ids=lambda c: c.id)
def test_settings_forms_refuse_what_they_cannot_save(world: World, case: FormCase) -> None:
    client = Client()
    client.force_login(world.owner)
    url = case.url(world)
    good = case.good(world)
    saved = client.post(url, good)
    assert saved.status_code == 302, (case.id, saved.status_code)
    before = case.stored(world)

    bad = {**good, **{k: str(world.track.id) if v == "TRACK" else v for k, v in case.bad.items()}}
    response = client.post(url, bad)
    assert 400 <= response.status_code < 500, (case.id, response.status_code)
    form = response.context[case.context_key]
    assert case.field in form.errors, (case.id, form.errors)
    assert case.stored(world) == before
