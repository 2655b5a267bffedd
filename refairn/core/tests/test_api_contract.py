"""Checks that hold for every endpoint, driven by the OpenAPI document itself, so an endpoint
added later is covered without anyone remembering to add it here."""

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from refairn.api import api
from tests.support import assert_problem

OPENAPI_FILE = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path).removeprefix("/api/v1")


PROTECTED = [(m, p) for m, p, op in operations() if op.get("security")]


def test_the_public_endpoints_are_exactly_these() -> None:
    public = sorted(f"{m} {p}" for m, p, op in operations() if not op.get("security"))
    assert public == [
        "GET /api/v1/agents/{a}/profile",
        "GET /api/v1/businesses/{b}/credentials/status/{n}",
        "GET /api/v1/businesses/{b}/issuer",
        "GET /api/v1/businesses/{b}/jwks.json",
        "GET /api/v1/businesses/{b}/keys/{k}",
        "GET /api/v1/credentials/{c}/status",
        "GET /api/v1/health",
        "GET /api/v1/ready",
        "GET /api/v1/test-clock",
        "POST /api/v1/auth/signup",
        "POST /api/v1/auth/token",
        "POST /api/v1/credentials/verify",
        "PUT /api/v1/test-clock",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=[f"{m} {p}" for m, p in PROTECTED])
def test_every_protected_endpoint_is_401_without_a_token(anon: Any, method: str, path: str) -> None:
    assert_problem(anon.call(method, concrete(path), {}), 401, "not_authenticated")


def test_every_operation_documents_problem_responses() -> None:
    for method, path, op in operations():
        assert "default" in op["responses"], f"{method} {path}"


def test_committed_openapi_document_is_current() -> None:
    """API changes must be visible in review. Regenerate with ``scripts/openapi``."""
    committed = json.loads(OPENAPI_FILE.read_text())
    assert committed == json.loads(json.dumps(api.get_openapi_schema()))


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
