"""Program settings (PRODUCT.md §2): one JSON document per business, made of sections.

Each section belongs to the app whose rules it feeds, and validates through that app's domain
types (support's SLA terms and policy, commissions' terms, certification's retry policy...), so
a setting those rules refuse can never be saved. An app registers its sections in its
``AppConfig.ready`` with ``register``, the way ``django.contrib.admin`` takes registrations:
programs stores the document, merges a PATCH, validates the whole through every section and
composes the settings page from the sections' forms, without importing the apps above it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import pydantic
from django import forms
from pydantic import BaseModel, ConfigDict

from refairn.core.errors import InvalidInput, pydantic_fields
from refairn.programs.domain import merge_patch


class SectionForm(forms.Form):
    """A section's fields on the settings page: it reads its initial values from the stored
    document, writes the part of the document it edits, and takes back the errors that name a
    settings path it edits (the longest known prefix of the path wins)."""

    def __init__(self, *args: Any, business_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.business_id = business_id

    @classmethod
    def initial_from(cls, document: Mapping[str, Any], business_id: uuid.UUID) -> dict[str, Any]:
        raise NotImplementedError

    def to_patch(self) -> dict[str, Any]:
        """The part of the settings document the form describes (JSON-ready)."""
        raise NotImplementedError

    def field_paths(self) -> dict[str, str]:
        """Settings path → the field that edits it."""
        return {name: name for name in self.fields}

    def field_for(self, path: str) -> str | None:
        parts = path.split(".")
        known = self.field_paths()
        prefixes = (".".join(parts[:n]) for n in range(len(parts), 0, -1))
        return next((known[p] for p in prefixes if p in known), None)

    # Rows of the page: field names shown side by side (a single name is a row of its own).
    layout: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def rows(self) -> list[list[forms.BoundField]]:
        named = [row for row in self.layout if all(name in self.fields for name in row)]
        shown = {name for row in named for name in row}
        rows = [[self[name] for name in row] for row in named]
        rows += [[self[name]] for name in self.fields if name not in shown]
        return rows


class SettingsSection(BaseModel):
    """A section: a frozen model whose fields are top-level keys of the settings document."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # The settings page shows the sections in this order, each under its title.
    title: ClassVar[str]
    # Keys every member of the program may read (agents, customers, staff of any role); the
    # others are the owners' and managers' only (issue 18 item 6: costs, commission terms).
    member_readable: ClassVar[frozenset[str]] = frozenset()
    order: ClassVar[int]
    # Keys a PATCH replaces whole (one choice among alternatives) instead of merging key by key.
    replaced_whole: ClassVar[frozenset[str]] = frozenset()
    # The section's part of the settings page (None: not editable there).
    form: ClassVar[type[SectionForm] | None] = None

    @classmethod
    def of(cls, document: Mapping[str, Any]) -> Self:
        """This section of a stored document, its defaults where the document is silent."""
        return cls.model_validate({k: document[k] for k in cls.model_fields if k in document})

    def problems(self) -> dict[str, str]:
        """What the owning app's domain refuses in these values, as ``{path: message}``."""
        return {}

    def business_problems(self, business_id: uuid.UUID) -> dict[str, str]:
        """What these values get wrong about the business (a track it does not have...)."""
        return {}


_SECTIONS: list[type[SettingsSection]] = []


def register(section: type[SettingsSection]) -> None:
    """Make ``section`` part of every program's settings (once; from ``AppConfig.ready``)."""
    if section in _SECTIONS:
        return
    taken = {key for other in _SECTIONS for key in other.model_fields}
    clash = taken.intersection(section.model_fields)
    if clash:
        raise ValueError(f"settings keys already registered: {', '.join(sorted(clash))}")
    _SECTIONS.append(section)
    _SECTIONS.sort(key=lambda s: s.order)


def sections() -> tuple[type[SettingsSection], ...]:
    return tuple(_SECTIONS)


def settings_defaults() -> dict[str, Any]:
    """A new program's settings document: every section's defaults."""
    document: dict[str, Any] = {}
    for section in _SECTIONS:
        document |= section().model_dump(mode="json")
    return document


def settings_validate(
    current: Mapping[str, Any], patch: Mapping[str, Any], *, business_id: uuid.UUID
) -> dict[str, Any]:
    """The document ``current`` becomes with ``patch`` (objects merge key by key; ``null`` and
    other values replace), validated whole through every section. Raises ``InvalidInput``
    naming every offending path; nothing is half-valid."""
    replaced = frozenset().union(*(s.replaced_whole for s in _SECTIONS))
    merged = merge_patch(dict(current), dict(patch), replaced_whole=replaced)
    known = {key for section in _SECTIONS for key in section.model_fields}
    fields = {key: "is not a setting" for key in patch if key not in known}
    document: dict[str, Any] = {}
    for section in _SECTIONS:
        try:
            values = section.of(merged)
        except pydantic.ValidationError as exc:
            fields |= pydantic_fields(exc)
            continue
        fields |= values.problems()
        fields |= values.business_problems(business_id)
        document |= values.model_dump(mode="json")
    if fields:
        raise InvalidInput(
            "Invalid settings: " + "; ".join(f"{k}: {v}" for k, v in fields.items()),
            fields=fields,
        )
    return document


def settings_for_members(document: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a settings document every member may read."""
    readable = frozenset().union(*(s.member_readable for s in _SECTIONS))
    return {key: value for key, value in document.items() if key in readable}


def registered() -> list[str]:
    """Every registered section, for the test that lists them."""
    return [f"{s.__module__.removeprefix('refairn.')}.{s.__qualname__}" for s in _SECTIONS]
