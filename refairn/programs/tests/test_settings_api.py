from typing import Any

import pytest

from refairn.programs.models import Business, StaffMembership
from tests.support import api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


def path(business: Any) -> str:
    return f"/businesses/{business.id}/settings"


def test_defaults_follow_the_product_rules(as_alice: Any, business_a: Any) -> None:
    settings = as_alice.get(f"/businesses/{business_a.id}").body["settings"]
    assert settings["training_access"] == "on_request"
    assert settings["final_approval"] == "manual"
    assert settings["manual_review"] is False
    assert settings["retry_period_days"] == 7
    assert settings["max_attempts"] is None
    assert settings["sla"]["first_response_hours"] == 24
    assert settings["sla"]["resolution_hours"] == 72
    assert settings["sla"]["tiers"]["premium"] == {
        "first_response_hours": 4,
        "resolution_hours": 24,
    }
    assert settings["sla_policy"] == {"warning_threshold": 3, "review_threshold": 5}


def test_patch_merges_nested_keys(as_alice: Any, business_a: Any) -> None:
    response = as_alice.patch(
        path(business_a),
        {
            "final_approval": "automatic",
            "max_attempts": 3,
            "sla": {"tiers": {"premium": {"first_response_hours": 2}}},
            "support_terms": {"monthly_percent": "5.5"},
            "referral_terms": {"recurring_months": None},
        },
    )
    assert response.status_code == 200, response.body
    body = response.body
    assert body["final_approval"] == "automatic"
    assert body["max_attempts"] == 3
    assert body["sla"]["tiers"]["premium"] == {"first_response_hours": 2, "resolution_hours": 24}
    assert body["sla"]["first_response_hours"] == 24  # untouched sibling kept
    assert body["support_terms"] == {"monthly_amount": None, "monthly_percent": "5.5"}
    assert body["referral_terms"]["recurring_months"] is None
    business_a.refresh_from_db()
    assert business_a.settings == body


def test_business_hours_are_validated(as_alice: Any, business_a: Any) -> None:
    good = {
        "timezone": "Europe/Berlin",
        "weekdays": [0, 1, 2, 3, 4],
        "start": "08:00",
        "end": "18:00",
        "holidays": ["2026-12-25"],
    }
    response = as_alice.patch(path(business_a), {"sla": {"business_hours": good}})
    assert response.status_code == 200
    assert response.body["sla"]["business_hours"]["start"] == "08:00:00"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"training_access": "sometimes"}, "training_access"),
        ({"retry_period_days": -1}, "retry_period_days"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"currency": "dollars"}, "currency"),
        # Three letters, but no ISO 4217 currency (issue 11 item 17).
        ({"currency": "XYZ"}, "currency"),
        ({"sla": {"first_response_hours": 0}}, "sla.first_response_hours"),
        ({"sla": {"tiers": {"gold": {"first_response_hours": 1}}}}, "sla.tiers.gold.[key]"),
        ({"sla": {"business_hours": {"timezone": "Mars/Olympus"}}}, "sla.business_hours.timezone"),
        ({"sla": {"business_hours": {"start": "18:00", "end": "09:00"}}}, "sla.business_hours.end"),
        ({"sla_policy": {"warning_threshold": 6}}, "sla_policy.review_threshold"),
        (
            {"support_terms": {"monthly_amount": "5", "monthly_percent": "2"}},
            "support_terms.monthly_amount",
        ),
        ({"referral_terms": {"one_off_amount": "1.005"}}, "referral_terms.one_off_amount"),
        ({"referral_terms": {"recurring_percent": "101"}}, "referral_terms.recurring_percent"),
        ({"no_such_setting": 1}, "no_such_setting"),
    ],
)
def test_invalid_settings_name_the_field_and_write_nothing(
    as_alice: Any, business_a: Any, patch: dict[str, Any], field: str
) -> None:
    before = Business.objects.get(pk=business_a.pk).settings
    response = as_alice.patch(path(business_a), patch)
    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]]
    assert Business.objects.get(pk=business_a.pk).settings == before


def test_managers_may_change_settings(business_a: Any) -> None:
    manager = make_user("m@a.test")
    StaffMembership.objects.create(business=business_a, user=manager, role="manager")
    assert api_as(manager).patch(path(business_a), {"retry_period_days": 3}).status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "security"])
def test_other_staff_may_not_change_settings(business_a: Any, role: str) -> None:
    user = make_user(f"{role}@a.test")
    StaffMembership.objects.create(business=business_a, user=user, role=role)
    before = Business.objects.get(pk=business_a.pk).settings
    assert_problem(api_as(user).patch(path(business_a), {"retry_period_days": 3}), 403, "forbidden")
    assert Business.objects.get(pk=business_a.pk).settings == before


def test_agents_may_not_change_settings(as_bob: Any, business_a: Any) -> None:
    assert_problem(as_bob.patch(path(business_a), {"retry_period_days": 3}), 403, "forbidden")


def test_other_tenant_gets_404_and_nothing_changes(as_charlie: Any, business_a: Any) -> None:
    before = Business.objects.get(pk=business_a.pk).settings
    assert_problem(as_charlie.patch(path(business_a), {"retry_period_days": 1}), 404, "not_found")
    assert Business.objects.get(pk=business_a.pk).settings == before


def test_settings_need_a_token(anon: Any, business_a: Any) -> None:
    assert_problem(anon.patch(path(business_a), {"retry_period_days": 1}), 401, "not_authenticated")
