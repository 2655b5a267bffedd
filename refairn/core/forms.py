"""The base of every staff page form: a Django form whose submission the API's schemas and the
domain services judge again, so a rule lives in one place and the form only shows its verdict.

The forms check what a browser can get wrong (types, required fields); the rules stay in the
API's schemas and the services, whose errors come back to the field they name through
``ApiForm.add_api_errors``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

import pydantic
from django import forms

from refairn.core.errors import Conflict, DomainError, InvalidInput, pydantic_fields
from refairn.core.instants import bounded_instant

# What a form shows as its own error: bad input (422) and a state that forbids the action
# (409). NotFound and Forbidden are not the form's business: they become the 404 and 403 pages.
REFUSALS = (InvalidInput, Conflict)


DAY_RANGE = "Give a day from 1970 to 2099."
TIME_RANGE = "Give a time from 1970 to 2099."


class DayField(forms.DateField):
    """A day typed in a page, in the range the API accepts for instants (core.instants)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is not None:
            try:
                bounded_instant(datetime.combine(day, time.min, tzinfo=UTC))
            except ValueError:
                raise forms.ValidationError(DAY_RANGE, code="range") from None
        return day


class InstantField(forms.DateTimeField):
    """A date and time typed in a page, in the range the API accepts (core.instants). Django
    reads the typed wall-clock time in the active zone, the viewer's (accounts.middleware), and
    shows a stored instant back in it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is not None:
            try:
                moment = bounded_instant(moment)
            except ValueError:
                raise forms.ValidationError(TIME_RANGE, code="range") from None
        return moment


class ApiForm(forms.Form):
    """A form whose submission is judged again by an API schema and a service.

    ``api_paths`` maps an API field path (``badge.name``) to the form field that edits it; a
    path the form has a field of the same name for needs no entry. An error on a path nobody
    edits becomes a form-wide error, so nothing a service says is ever lost.
    """

    api_paths: Mapping[str, str] = {}

    def field_for(self, path: str) -> str | None:
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            prefix = ".".join(parts[:n])
            if prefix in self.api_paths:
                return self.api_paths[prefix]
            if prefix in self.fields:
                return prefix
        return None

    def add_api_errors(self, fields: Mapping[str, str]) -> None:
        for path, message in fields.items():
            self.add_error(self.field_for(path), message)

    def add_domain_error(self, error: DomainError, *, field: str | None = None) -> None:
        """A service's refusal, shown where it belongs: at the fields an ``InvalidInput``
        names, else at ``field`` (or form-wide)."""
        if isinstance(error, InvalidInput) and error.fields:
            self.add_api_errors(error.fields)
        else:
            self.add_error(field, error.detail)

    def validated(self, schema: type[pydantic.BaseModel], data: dict[str, Any]) -> Any:
        """``data`` through the API's own schema; ``None`` (with the errors attached to the
        fields) when the schema refuses it."""
        try:
            return schema.model_validate(data)
        except pydantic.ValidationError as exc:
            self.add_api_errors(pydantic_fields(exc))
            return None
