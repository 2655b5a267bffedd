"""The public HTTP API (API.md): one NinjaAPI mounting each app's router, and the one place
where exceptions become application/problem+json."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponseNotAllowed, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from refairn.accounts.auth import TokenAuth
from refairn.core.errors import DomainError, problem, problem_from, validation_message
from refairn.core.schemas import NUL, NUL_MESSAGE, nul_path
from refairn.webhooks.catalogue_docs import openapi_webhooks

log = logging.getLogger(__name__)

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


class RefairnParser(Parser):
    """Query strings and form fields as Ninja reads them, refusing NUL characters (bodies are
    checked by ``StrictIn``): 422 naming the parameter, never a database error."""

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        source = "query" if data is request.GET else "form"
        bad = [key for key, values in data.lists() if nul_path([key, *values]) is not None]
        if bad:
            raise NinjaValidationError(
                [{"loc": (source, key), "msg": NUL_MESSAGE, "type": "value_error"} for key in bad]
            )
        return super().parse_querydict(data, list_fields, request)


class RefairnAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Every operation may answer with a problem document; say so once, here."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem_ref = {
            "description": "An error (RFC 9457 problem details with a stable `code`).",
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for path in schema["paths"].values():
            for operation in path.values():
                operation["responses"].setdefault("default", problem_ref)
        # What webhook endpoints receive (issue 13): the event catalogue, one POST per type.
        schema["webhooks"], event_schemas = openapi_webhooks()
        schema["components"]["schemas"].update(event_schemas)
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """One URL pattern per path, whichever routers define its methods: each app's router
        serves the operations of its own concepts, so one path may be served by two apps
        (``POST /businesses/{b}/agents`` applies to a program, ``GET`` lists the agents with their
        certifications and support access). Django would send every method to the first
        pattern, so patterns of the same path are joined into one that tries each in turn."""
        joined: dict[str, list[URLPattern]] = {}
        urls: list[URLResolver | URLPattern] = []
        for url in super()._get_urls():
            if isinstance(url, URLPattern):
                same = joined.setdefault(str(url.pattern), [])
                same.append(url)
                if len(same) > 1:
                    continue
            urls.append(url)
        return [
            _joined(joined[str(url.pattern)])
            if isinstance(url, URLPattern) and len(joined[str(url.pattern)]) > 1
            else url
            for url in urls
        ]


def _joined(patterns: list[URLPattern]) -> URLPattern:
    """A pattern that hands the request to the first of ``patterns`` serving its method."""
    views = [pattern.callback for pattern in patterns]

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        allowed: set[str] = set()
        for callback in views:
            response = callback(request, *args, **kwargs)
            if not isinstance(response, HttpResponseNotAllowed):
                return response
            allowed.update(m.strip() for m in response["Allow"].split(","))
        return HttpResponseNotAllowed(sorted(allowed), content=b"Method not allowed")

    view.csrf_exempt = True  # type: ignore[attr-defined]  # as every Ninja view
    first = patterns[0]
    return URLPattern(first.pattern, view, name=first.name)


api = RefairnAPI(
    title="Refairn API",
    version="1",
    description="Certification, support and commissions for partner programs. See API.md.",
    auth=TokenAuth(),
    urls_namespace="api",
    parser=RefairnParser(),
)


def _field_name(error: dict[str, Any]) -> str:
    """The input an error is about, as a dotted path into the request (``sla.tiers.premium``).

    pydantic locations start with the source and the parameter name ("body", "payload", ...):
    a body's fields are named without them, query and path parameters by their own name. An
    error about a place inside a raw JSON value names it in ``ctx["path"]`` (see
    ``core.schemas.refuse_nul``)."""
    parts = [str(p) for p in error.get("loc", ())]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    parts += [str(p) for p in (error.get("ctx") or {}).get("path", ())]
    return ".".join(parts).replace(NUL, "\\u0000") or "body"


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> JsonResponse:
    return problem_from(exc)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> JsonResponse:
    errors = [{"field": _field_name(e), "message": validation_message(e)} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid input."
    return problem(422, "validation_error", detail, errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> JsonResponse:
    return problem(401, "not_authenticated", "Send a valid token: Authorization: Bearer <token>.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    code = {400: "malformed_request", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "error"
    )
    return problem(exc.status_code, code, str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
    return problem(404, "not_found", "No such resource.")


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem(413, "payload_too_large", f"The request body is larger than {limit} bytes.")


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> JsonResponse:
    # A bug, not a client error: log it whole, answer without leaking internals.
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem(500, "internal_error", "Something went wrong on our side; it has been logged.")


def _mount_app_routers() -> None:
    """Each refairn app with an ``api.py`` exposing ``router`` is mounted, in INSTALLED_APPS
    order, so adding an app's API needs no edit here."""
    for config in apps.get_app_configs():
        if not config.name.startswith("refairn."):
            continue
        try:
            module = import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        api.add_router("", module.router)


_mount_app_routers()
