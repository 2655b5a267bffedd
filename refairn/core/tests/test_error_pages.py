"""Issue 11: a refused page is the platform working. It answers 403/404 with the page, and
the server log gets one line, never a traceback."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest
from django.test import Client

from refairn.programs.models import Business

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_role_that_may_not_see_a_page_gets_403_without_a_traceback(
    bob: Any, business_a: Business, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = _client(bob).get(f"/b/{business_a.id}/dashboard/")

    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert all(record.exc_info is None for record in caplog.records)
    assert "Traceback" not in caplog.text


def test_another_tenants_page_is_404_without_a_traceback(
    charlie: Any, business_a: Business, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = _client(charlie).get(f"/b/{business_a.id}/dashboard/")
        unknown = _client(charlie).get(f"/b/{uuid.uuid4()}/dashboard/")

    assert (response.status_code, unknown.status_code) == (404, 404)
    assert all(record.exc_info is None for record in caplog.records)
