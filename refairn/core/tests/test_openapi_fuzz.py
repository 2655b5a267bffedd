"""Schemathesis against our own OpenAPI document: generated requests (valid and invalid) to every
operation, as an authenticated business owner. No input may produce a server error, and every
response must match what the document says."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from refairn.accounts.services import token_issue
from refairn.wsgi import application


@pytest.fixture
def api_schema(db: Any) -> Iterator[Any]:
    # Calls go straight to the WSGI app, not through Django's test client, so keep the
    # request signals from closing the test's database connection (as the test client does).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def owner_headers(alice: Any, business_a: Any, bob: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_issue(user=alice)}"}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_a_server_error(case: Any, owner_headers: dict[str, str]) -> None:
    # Acceptance of "schema-valid" data is not checked: our validators are stricter than
    # what OpenAPI can express (an email's format, a date in the future), on purpose.
    case.call_and_validate(
        headers=owner_headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
