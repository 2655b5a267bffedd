from decimal import Decimal

import pydantic
import pytest

from refairn.programs.domain import ProgramSettings, Tier, merge_patch, settings_with_patch


def defaults() -> dict[str, object]:
    return ProgramSettings().model_dump(mode="json")


def test_merge_keeps_siblings_and_replaces_choices() -> None:
    merged = merge_patch(
        {
            "sla": {"first_response_hours": 24, "resolution_hours": 72},
            "support_terms": {"monthly_amount": "20.00"},
        },
        {"sla": {"first_response_hours": 8}, "support_terms": {"monthly_percent": "5"}},
    )
    assert merged == {
        "sla": {"first_response_hours": 8, "resolution_hours": 72},
        "support_terms": {"monthly_percent": "5"},
    }


def test_null_means_none_not_default() -> None:
    settings = settings_with_patch(defaults(), {"referral_terms": {"one_off_amount": None}})
    assert settings.referral_terms.one_off_amount is None
    assert settings.referral_terms.recurring_percent == Decimal("10")


def test_tier_terms_fall_back_to_the_default() -> None:
    sla = ProgramSettings().sla
    assert sla.terms_for(Tier.PREMIUM).first_response_hours == 4
    assert sla.terms_for(Tier.STANDARD).first_response_hours == 24


def test_money_in_settings_is_decimal_and_stored_as_string() -> None:
    settings = settings_with_patch(defaults(), {"support_terms": {"monthly_amount": "19.99"}})
    assert settings.support_terms.monthly_amount == Decimal("19.99")
    assert settings.model_dump(mode="json")["support_terms"]["monthly_amount"] == "19.99"


def test_resolution_before_first_response_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="resolution_hours"):
        settings_with_patch(
            defaults(), {"sla": {"first_response_hours": 48, "resolution_hours": 24}}
        )


def test_null_removes_a_tier_override_or_a_target() -> None:
    target_track = "7f1d5b8e-1111-4a8e-9a55-2d2b9c1a0b01"
    current = settings_with_patch(
        defaults(), {"report": {"targets": {target_track: "80"}}}
    ).model_dump(mode="json")
    updated = settings_with_patch(
        current, {"sla": {"tiers": {"premium": None}}, "report": {"targets": {target_track: None}}}
    )
    assert updated.sla.tiers == {}
    assert updated.report.targets == {}
