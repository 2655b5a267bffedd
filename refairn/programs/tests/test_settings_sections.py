"""Program settings as sections owned by the apps whose rules they feed (issue 10: one
vocabulary; a setting the owning domain refuses is never saved)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from refairn.commissions.settings_section import CommissionSection
from refairn.core.errors import InvalidInput
from refairn.programs import settings_sections
from refairn.programs.settings_sections import settings_defaults, settings_validate
from refairn.support.domain.sla import MAX_SLA_HOURS
from refairn.support.settings_section import SupportSection

NOBODY = uuid.UUID(int=0)
# Sections check their values against the business's tracks (none here).
pytestmark = pytest.mark.django_db


def validate(patch: dict[str, Any]) -> dict[str, Any]:
    return settings_validate(settings_defaults(), patch, business_id=NOBODY)


def refused(patch: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        validate(patch)
    return caught.value.fields


def test_every_section_is_registered_once_in_page_order() -> None:
    assert settings_sections.registered() == [
        "programs.settings_section.ProgramSection",
        "training.settings_section.TrainingSection",
        "certification.settings_section.CertificationSection",
        "support.settings_section.SupportSection",
        "commissions.settings_section.CommissionSection",
        "reporting.settings_section.ReportSection",
    ]


def test_the_defaults_are_every_sections_defaults() -> None:
    assert settings_defaults() == {
        "currency": "USD",
        "training_access": "on_request",
        "final_approval": "manual",
        "manual_review": False,
        "retry_period_days": 7,
        "max_attempts": None,
        "sla": {
            "first_response_hours": 24,
            "resolution_hours": 72,
            "tiers": {"premium": {"first_response_hours": 4, "resolution_hours": 24}},
            "business_hours": None,
        },
        "sla_policy": {"warning_threshold": 3, "review_threshold": 5},
        "support_track_ids": None,
        "referral_terms": {
            "one_off_amount": "25.00",
            "recurring_percent": "10",
            "recurring_months": 12,
        },
        "support_terms": {"monthly_amount": "20.00", "monthly_percent": None},
        "report": {"annual_cost": None, "revenue_impact": None, "targets": {}},
    }


def test_sla_hours_follow_the_support_domain_whatever_the_form_allowed() -> None:
    """The bound is the SLA domain's (a year of hours), not a second copy in the settings."""
    assert validate({"sla": {"resolution_hours": MAX_SLA_HOURS}})["sla"]["resolution_hours"] == (
        MAX_SLA_HOURS
    )
    assert refused({"sla": {"resolution_hours": MAX_SLA_HOURS + 1}}) == {
        "sla.resolution_hours": f"must be between 1 and {MAX_SLA_HOURS} hours"
    }
    assert "sla.tiers.premium.resolution_hours" in refused(
        {"sla": {"tiers": {"premium": {"first_response_hours": 10, "resolution_hours": 5}}}}
    )


def test_null_means_none_and_removes_an_override() -> None:
    document = validate(
        {"referral_terms": {"one_off_amount": None}, "sla": {"tiers": {"premium": None}}}
    )
    assert document["referral_terms"]["one_off_amount"] is None
    assert document["referral_terms"]["recurring_percent"] == "10"
    assert document["sla"]["tiers"] == {}


def test_a_choice_among_alternatives_is_replaced_whole() -> None:
    document = validate({"support_terms": {"monthly_percent": "5.5"}})
    assert document["support_terms"] == {"monthly_amount": None, "monthly_percent": "5.5"}
    section = CommissionSection.of(document)
    assert section.support().monthly_base(Decimal("100.00")) == Decimal("5.5")


def test_every_problem_is_named_and_unknown_keys_are_refused() -> None:
    fields = refused(
        {
            "currency": "XYZ",
            "retry_period_days": 400,
            "sla_policy": {"warning_threshold": 6},
            "referral_terms": {"one_off_amount": "1.005"},
            "no_such_setting": 1,
        }
    )
    assert set(fields) == {
        "currency",
        "retry_period_days",
        "sla_policy.review_threshold",
        "referral_terms.one_off_amount",
        "no_such_setting",
    }


def test_a_section_reads_its_part_of_a_stored_document() -> None:
    section = SupportSection.of({"sla": {"first_response_hours": 2, "resolution_hours": 8}})
    assert section.terms_for("standard").first_response_hours == 2
    assert section.terms_for("premium").first_response_hours == 4  # the default override
