"""Commissions' settings (PRODUCT.md §2): the referral and support commission terms, validated
by the same ``commissions.domain.terms`` types the monthly run computes with."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from django import forms
from pydantic import BaseModel, ConfigDict, Field

from refairn.commissions.domain.terms import ReferralTerms, SupportTerms, TermsError
from refairn.programs.models import Business
from refairn.programs.settings_sections import SectionForm, SettingsSection

Money = Annotated[Decimal, Field(allow_inf_nan=False)]


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReferralTermsShape(_Shape):
    one_off_amount: Money | None = Decimal("25.00")
    recurring_percent: Money | None = Decimal("10")
    recurring_months: int | None = 12


class SupportTermsShape(_Shape):
    monthly_amount: Money | None = None
    monthly_percent: Money | None = None


def _money(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=0
    )


def _percent(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )


class CommissionForm(SectionForm):
    referral_one_off_amount = _money("Referral: one-off amount on first subscription")
    referral_recurring_percent = _percent("Referral: recurring percent of monthly value")
    referral_recurring_months = forms.IntegerField(
        label="Referral: recurring for at most (months)",
        required=False,
        min_value=1,
        help_text="Leave empty for as long as the customer stays subscribed.",
    )
    support_terms_kind = forms.ChoiceField(
        label="Support commission",
        choices=[
            ("amount", "Fixed amount per customer per month"),
            ("percent", "Percent of the customer's monthly value"),
        ],
    )
    support_terms_value = forms.DecimalField(
        label="Support commission value", min_value=0, max_digits=12, decimal_places=2
    )

    layout = (("support_terms_kind", "support_terms_value"),)

    def clean(self) -> dict[str, Any]:
        """A recurring limit without a recurring percent limits nothing (``referral()`` leaves
        it out): refused rather than stored to no effect (issue 12 item 9)."""
        data = super().clean() or {}
        if (
            data.get("referral_recurring_months") is not None
            and data.get("referral_recurring_percent") is None
            and "referral_recurring_percent" not in self.errors
        ):
            self.add_error(
                "referral_recurring_months",
                "Give a recurring percent for this limit to apply, or leave it empty.",
            )
        return data

    @classmethod
    def initial_from(cls, document: Mapping[str, Any], business_id: uuid.UUID) -> dict[str, Any]:
        section = CommissionSection.of(document)
        referral, support = section.referral_terms, section.support_terms
        return {
            "referral_one_off_amount": referral.one_off_amount,
            "referral_recurring_percent": referral.recurring_percent,
            "referral_recurring_months": referral.recurring_months,
            "support_terms_kind": "percent" if support.monthly_percent is not None else "amount",
            "support_terms_value": support.monthly_percent
            if support.monthly_percent is not None
            else support.monthly_amount,
        }

    def to_patch(self) -> dict[str, Any]:
        data = self.cleaned_data

        def dec(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        kind = "monthly_percent" if data["support_terms_kind"] == "percent" else "monthly_amount"
        return {
            "referral_terms": {
                "one_off_amount": dec(data["referral_one_off_amount"]),
                "recurring_percent": dec(data["referral_recurring_percent"]),
                "recurring_months": data["referral_recurring_months"],
            },
            "support_terms": {kind: dec(data["support_terms_value"])},
        }

    def field_paths(self) -> dict[str, str]:
        paths = {
            "referral_terms": "referral_one_off_amount",
            "support_terms": "support_terms_value",
        }
        for key in ("one_off_amount", "recurring_percent", "recurring_months"):
            paths[f"referral_terms.{key}"] = f"referral_{key}"
        return paths


class CommissionSection(SettingsSection):
    title = "Commissions"
    order = 40
    form = CommissionForm
    # One choice between a fixed amount and a percent: a PATCH replaces the terms whole.
    replaced_whole = frozenset({"support_terms"})

    referral_terms: ReferralTermsShape = Field(default_factory=ReferralTermsShape)
    support_terms: SupportTermsShape = Field(
        default_factory=lambda: SupportTermsShape(monthly_amount=Decimal("20.00"))
    )

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for prefix, build in (("referral_terms.", self.referral), ("support_terms.", self.support)):
            try:
                build()
            except TermsError as exc:
                found[f"{prefix}{exc.field}"] = exc.message
        return found

    def referral(self) -> ReferralTerms:
        """PRODUCT.md §10: the referral terms; a recurring limit without a recurring percent
        limits nothing and is left out."""
        terms = self.referral_terms
        months = terms.recurring_months if terms.recurring_percent is not None else None
        return ReferralTerms(terms.one_off_amount, terms.recurring_percent, months)

    def support(self) -> SupportTerms:
        return SupportTerms(self.support_terms.monthly_amount, self.support_terms.monthly_percent)


def commission_settings(business: Business) -> CommissionSection:
    return CommissionSection.of(business.settings)
