"""``refairn report dashboard|quarterly --business <slug>`` (issue 6)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from refairn.programs.models import Business
from refairn.reporting.tests.seed_program import AS_OF, seed_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(business_a: Business) -> Business:
    seed_program(business_a)
    return business_a


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_dashboard_as_text_by_default(acme: Business) -> None:
    text = run("dashboard", "--business", acme.slug, "--as-of", AS_OF.isoformat())

    assert text.startswith("AGENT CERTIFICATION DASHBOARD — January 2026\n")
    assert "  Certification ROI: 642%\n" in text


def test_dashboard_as_json(acme: Business) -> None:
    output = run(
        "dashboard", "--business", acme.slug, "--as-of", "2026-01-20T09:00Z", "--format", "json"
    )

    body = json.loads(output)
    assert body["as_of"] == "2026-01-20T09:00:00+00:00"
    assert body["costs"]["roi_percent"] == "642"


def test_dashboard_tables_as_csv(acme: Business) -> None:
    one = run(
        "dashboard", "--business", acme.slug, "--format", "csv", "--table", "completion_by_track"
    )
    every = run("dashboard", "--business", acme.slug, "--format", "csv")

    rows = list(csv.reader(io.StringIO(one)))
    assert rows[0][:3] == ["track_id", "track", "requirement"]
    assert len(rows) == 7
    assert every.startswith("# completion_by_track\n")
    assert "# renewals\n" in every


def test_quarterly_report(acme: Business) -> None:
    text = run("quarterly", "--business", acme.slug, "--quarter", "2026-Q1")

    assert text.startswith("CERTIFICATION PROGRAM QUARTERLY REPORT — Q1 2026\n")
    body = json.loads(run("quarterly", "--business", acme.slug, "--format", "json"))
    assert body["quarter"] == "2026-Q4"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("dashboard", "--business", "nobody"), "No such business 'nobody'."),
        (("dashboard", "--business", "business-a", "--as-of", "soon"), "--as-of 'soon'"),
        (("dashboard", "--business", "business-a", "--as-of", "2030-01-01T00:00Z"), "future"),
        (("dashboard", "--business", "business-a", "--format", "csv", "--table", "x"), "--table"),
        (("quarterly", "--business", "business-a", "--quarter", "2026-Q9"), "2026-Q4"),
    ],
)
def test_bad_arguments_are_clear_errors(
    acme: Business, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
