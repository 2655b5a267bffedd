"""Domain errors and their one mapping to application/problem+json (RFC 9457).

Services and selectors raise these; the API's exception handlers (``refairn.api``) turn them into
responses, and views turn them into form errors. Nothing else builds an error body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import pydantic
from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = dict(extra or {})


class NotFound(DomainError):
    """Unknown, or outside the caller's reach: the two are indistinguishable on purpose."""

    status = 404
    code = "not_found"

    def __init__(self, what: str = "resource") -> None:
        super().__init__(f"No such {what}.")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The object's state forbids the action (409); ``code`` names the state."""

    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """429: the caller must wait ``retry_after`` seconds (sent as ``Retry-After``)."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code, extra={"retry_after": retry_after})
        self.headers = {"Retry-After": str(retry_after)}


class InvalidInput(DomainError):
    """422 with the offending fields: ``fields`` maps a field path to its message."""

    status = 422
    code = "validation_error"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        fields: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail, code=code, extra=extra)
        self.fields = dict(fields or {})


def field_error(field: str, message: str, *, code: str = "validation_error") -> InvalidInput:
    return InvalidInput(f"{field}: {message}", code=code, fields={field: message})


# pydantic puts these before the message of a validator's ValueError or assert; the user reads
# the message alone ("must be a weekday", not "Value error, must be a weekday").
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def validation_message(error: Mapping[str, Any]) -> str:
    """The human message of one pydantic error."""
    message = str(error.get("msg") or "invalid")
    for prefix in _PYDANTIC_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def pydantic_fields(exc: pydantic.ValidationError, *, prefix: str = "") -> dict[str, str]:
    """pydantic's error list as ``{"sla.tiers.premium.resolution_hours": "message"}``."""
    fields: dict[str, str] = {}
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"])
        key = f"{prefix}{path}" if path else prefix.rstrip(".") or "settings"
        fields[key] = validation_message(error)
    return fields


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    errors: Sequence[Mapping[str, str]] = (),
    extra: Mapping[str, Any] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": f"https://refairn.dev/problems/{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = list(errors)
    if extra:
        body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def problem_from(error: DomainError) -> JsonResponse:
    errors: list[dict[str, str]] = []
    if isinstance(error, InvalidInput):
        errors = [{"field": f, "message": m} for f, m in error.fields.items()]
    response = problem(error.status, error.code, error.detail, errors=errors, extra=error.extra)
    for header, value in getattr(error, "headers", {}).items():
        response[header] = value
    return response
