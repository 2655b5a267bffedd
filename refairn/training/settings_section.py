"""Training's settings (PRODUCT.md §2): who may open the training library."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django import forms

from refairn.programs.models import Business
from refairn.programs.settings_sections import SectionForm, SettingsSection
from refairn.training.domain import TrainingAccess

_ACCESS_LABELS = {
    TrainingAccess.ON_REQUEST: "On request (the agent asks for support access)",
    TrainingAccess.AUTOMATIC: "Automatic (every approved agent)",
}


class TrainingForm(SectionForm):
    training_access = forms.ChoiceField(
        label="Training access", choices=[(a.value, label) for a, label in _ACCESS_LABELS.items()]
    )

    @classmethod
    def initial_from(cls, document: Mapping[str, Any], business_id: uuid.UUID) -> dict[str, Any]:
        return {"training_access": TrainingSection.of(document).training_access.value}

    def to_patch(self) -> dict[str, Any]:
        return {"training_access": self.cleaned_data["training_access"]}


class TrainingSection(SettingsSection):
    title = "Training"
    order = 10
    form = TrainingForm
    member_readable = frozenset({"training_access"})

    training_access: TrainingAccess = TrainingAccess.ON_REQUEST


def training_settings(business: Business) -> TrainingSection:
    return TrainingSection.of(business.settings)
