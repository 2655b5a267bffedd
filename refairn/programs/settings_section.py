"""The program's own settings (PRODUCT.md §2): the currency it pays commissions in."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

from django import forms
from pydantic import AfterValidator

from refairn.programs.domain import currency_code
from refairn.programs.settings_sections import SectionForm, SettingsSection


class ProgramForm(SectionForm):
    currency = forms.CharField(
        label="Currency", max_length=3, min_length=3, help_text="ISO 4217 code, e.g. USD or EUR."
    )

    @classmethod
    def initial_from(cls, document: Mapping[str, Any], business_id: uuid.UUID) -> dict[str, Any]:
        return {"currency": ProgramSection.of(document).currency}

    def to_patch(self) -> dict[str, Any]:
        return {"currency": self.cleaned_data["currency"].strip().upper()}


class ProgramSection(SettingsSection):
    title = "Program"
    order = 0
    form = ProgramForm
    member_readable = frozenset({"currency"})

    currency: Annotated[str, AfterValidator(currency_code)] = "USD"
