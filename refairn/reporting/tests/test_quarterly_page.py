"""The quarterly report as a page for any started quarter, with a PDF download (issue 12
item 10)."""

from __future__ import annotations

import re
import zlib

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business
from refairn.reporting.quarterly_pdf import latin1

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(data: bytes) -> str:
    """The text drawn in the PDF's (zlib-compressed) content streams."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        text += [t.decode("latin-1") for t in re.findall(rb"\((.*?)\)\s*Tj", content)]
    return "\n".join(text)


def test_the_current_quarter_shows_by_default(alice: User, business_a: Business) -> None:
    response = client_for(alice).get(f"/b/{business_a.id}/quarterly/")
    assert response.status_code == 200
    body = response.content.decode()
    # The test clock is 2 November 2026.
    assert "<h1>Quarterly report: Q4 2026</h1>" in body
    assert f'href="/b/{business_a.id}/quarterly.pdf?quarter=2026-Q4"' in body
    assert 'href="?quarter=2026-Q3"' in body  # previous quarter, and the picker's


def test_a_past_quarter_is_shown(alice: User, business_a: Business) -> None:
    response = client_for(alice).get(f"/b/{business_a.id}/quarterly/", {"quarter": "2025-q2"})
    assert response.status_code == 200
    assert response.context["report"].quarter == "2025-Q2"


@pytest.mark.parametrize(
    ("quarter", "message"),
    [("2027-Q1", "has not started yet"), ("last spring", "must look like 2026-Q4")],
)
def test_a_quarter_that_cannot_be_shown_is_refused_at_the_field(
    alice: User, business_a: Business, quarter: str, message: str
) -> None:
    response = client_for(alice).get(f"/b/{business_a.id}/quarterly/", {"quarter": quarter})
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body and 'class="errors" role="alert"' in body


def test_the_pdf_download_reads_as_the_report(alice: User, business_a: Business) -> None:
    response = client_for(alice).get(f"/b/{business_a.id}/quarterly.pdf", {"quarter": "2026-Q3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="quarterly-2026-Q3.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Business A" in text and "Q3" in text


def test_the_pdf_refuses_a_quarter_not_started(alice: User, business_a: Business) -> None:
    response = client_for(alice).get(f"/b/{business_a.id}/quarterly.pdf", {"quarter": "2030-Q1"})
    assert response.status_code == 422


def test_the_pages_are_staff_only_and_tenant_scoped(
    bob: User, charlie: User, business_a: Business, business_b: Business
) -> None:
    for path in ("quarterly/", "quarterly.pdf"):
        assert client_for(bob).get(f"/b/{business_a.id}/{path}").status_code == 403
        assert client_for(charlie).get(f"/b/{business_a.id}/{path}").status_code == 404


def test_marks_outside_latin1_are_spelled_out() -> None:
    assert latin1("↑ 8.0 pts ✓ — 東") == "up 8.0 pts (ok) - ?"
