"""Certification's settings (PRODUCT.md §2): how a pass becomes a certification, and the retry
rules, validated by ``certification.domain.RetryPolicy``."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django import forms

from refairn.certification import domain
from refairn.programs.models import Business
from refairn.programs.settings_sections import SectionForm, SettingsSection


class FinalApproval(StrEnum):
    MANUAL = "manual"
    AUTOMATIC = "automatic"


class CertificationForm(SectionForm):
    final_approval = forms.ChoiceField(
        label="Final approval",
        choices=[("manual", "Manual: we confirm every pass"), ("automatic", "Automatic")],
    )
    manual_review = forms.BooleanField(
        required=False, label="Review every submission before the decision"
    )
    retry_period_days = forms.IntegerField(
        label="Retry period (days)", min_value=0, max_value=domain.MAX_RETRY_PERIOD_DAYS
    )
    max_attempts = forms.IntegerField(
        label="Maximum attempts per cycle",
        required=False,
        min_value=1,
        max_value=domain.MAX_ATTEMPTS_LIMIT,
        help_text="Leave empty for no limit.",
    )

    layout = (("retry_period_days", "max_attempts"),)

    @classmethod
    def initial_from(cls, document: Mapping[str, Any], business_id: uuid.UUID) -> dict[str, Any]:
        return CertificationSection.of(document).model_dump(mode="json")

    def to_patch(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CertificationSection.model_fields}


class CertificationSection(SettingsSection):
    title = "Certification"
    order = 20
    form = CertificationForm
    # What an agent's attempts and certification follow.
    member_readable = frozenset(
        {"final_approval", "manual_review", "retry_period_days", "max_attempts"}
    )

    final_approval: FinalApproval = FinalApproval.MANUAL
    manual_review: bool = False
    retry_period_days: int = 7
    max_attempts: int | None = None

    def problems(self) -> dict[str, str]:
        try:
            self.retry_policy()
        except domain.RetryPolicyError as exc:
            return {exc.field: exc.message}
        return {}

    def retry_policy(self) -> domain.RetryPolicy:
        return domain.RetryPolicy(
            retry_period_days=self.retry_period_days, max_attempts=self.max_attempts
        )

    @property
    def approves_automatically(self) -> bool:
        return self.final_approval is FinalApproval.AUTOMATIC


def certification_settings(business: Business) -> CertificationSection:
    return CertificationSection.of(business.settings)
