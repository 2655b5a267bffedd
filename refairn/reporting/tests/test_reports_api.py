"""API.md "Reports": who may read them, the formats and the bad inputs of the three endpoints."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business, Customer, StaffMembership
from refairn.reporting.schemas import AssessmentAnalyticsOut, DashboardOut, QuarterlyReportOut
from tests.support import T0, ApiClient, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = "/businesses/{}/reports/certification-dashboard"
QUARTERLY = "/businesses/{}/reports/quarterly"
ANALYTICS = "/businesses/{}/reports/assessment-analytics"
ENDPOINTS = [DASHBOARD, QUARTERLY, ANALYTICS]


@pytest.fixture
def program(business_a: Business, bob: User) -> Business:
    """Business A with a track bob holds, one graded attempt and one resolved ticket."""
    records = Records(business_a)
    track = records.track("Product Fundamentals")
    records.flush()
    certification = records.certified(bob, track, at=T0 - timedelta(days=40))
    question = records.question(track, prompt="What is SSO?", topic="SSO")
    records.attempt(
        certification, track, submitted_at=T0 - timedelta(days=41), earned=[(question, Decimal(1))]
    )
    customer = records.customer("Globex", since=T0 - timedelta(days=100))
    records.ticket(
        customer,
        created_at=T0 - timedelta(days=3),
        agent=bob,
        resolved_at=T0 - timedelta(days=2),
        rating=5,
    )
    records.flush()
    return business_a


def url(template: str, business: Business, query: str = "") -> str:
    return template.format(business.id) + query


@pytest.mark.parametrize("template", ENDPOINTS)
def test_agents_and_customers_may_not_read_reports(
    template: str, program: Business, as_bob: ApiClient
) -> None:
    customer = make_user("carol@a.test")
    Customer.objects.create(
        business=program, user=customer, name="Carol", monthly_value=1, subscribed_at=T0
    )

    assert_problem(as_bob.get(url(template, program)), 403, "forbidden")
    assert_problem(api_as(customer).get(url(template, program)), 403, "forbidden")


@pytest.mark.parametrize("template", ENDPOINTS)
def test_another_business_gets_404(template: str, program: Business, as_charlie: ApiClient) -> None:
    assert_problem(as_charlie.get(url(template, program)), 404, "not_found")


@pytest.mark.parametrize("template", ENDPOINTS)
def test_every_staff_role_reads_reports(template: str, program: Business) -> None:
    reviewer = make_user("rita@a.test")
    StaffMembership.objects.create(business=program, user=reviewer, role="reviewer")

    assert api_as(reviewer).get(url(template, program)).status_code == 200


def test_dashboard_json_follows_its_schema(as_alice: ApiClient, program: Business) -> None:
    response = as_alice.get(url(DASHBOARD, program))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.body
    assert DashboardOut.model_validate(body).model_dump(mode="json") == body
    assert body["as_of"] == T0.isoformat()
    assert body["overview"]["active_agents"] == 1
    assert body["routing"]["tickets"] == 1
    assert body["routing"]["unmatched"]["csat"] == {"total": 5, "count": 1, "value": "5.00"}
    assert body["routing"]["fallback"]["tickets"] == 0  # the one ticket matched no rule


def test_dashboard_as_text_by_accept_header_or_format(
    as_alice: ApiClient, program: Business
) -> None:
    by_header = as_alice.get(url(DASHBOARD, program), HTTP_ACCEPT="text/plain")
    by_format = as_alice.get(url(DASHBOARD, program, "?format=text"))

    assert by_header["Content-Type"] == "text/plain; charset=utf-8"
    assert by_header.content == by_format.content
    assert by_header.content.decode().startswith("AGENT CERTIFICATION DASHBOARD — November 2026\n")


def test_dashboard_table_as_csv(as_alice: ApiClient, program: Business, bob: User) -> None:
    response = as_alice.get(url(DASHBOARD, program, "?format=csv&table=agent_status"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="agent_status-2026-11-02.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["agent_id", "agent", "Product Fundamentals", "certified", "tracks", "level"],
        [str(bob.id), "Bob Agent", "certified", "1", "1", "master"],
    ]


def test_dashboard_as_of_an_earlier_instant(as_alice: ApiClient, program: Business) -> None:
    before = (T0 - timedelta(days=45)).isoformat().replace("+00:00", "Z")

    body = as_alice.get(url(DASHBOARD, program, f"?as_of={before}")).body

    assert body["as_of"] == "2026-09-18T09:00:00+00:00"
    assert body["overview"]["certifications_held"] == 0
    assert body["routing"]["tickets"] == 0


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?as_of=yesterday", "validation_error"),
        ("?as_of=2026-11-01T09:00:00", "invalid_as_of"),
        ("?as_of=2026-11-03T09:00:00Z", "invalid_as_of"),
        ("?as_of=1999-12-31T23:00:00Z", "invalid_as_of"),
        ("?format=pdf", "validation_error"),
        ("?format=csv", "unknown_table"),
        ("?format=csv&table=secrets", "unknown_table"),
    ],
)
def test_dashboard_refuses_bad_input(
    as_alice: ApiClient, program: Business, query: str, code: str
) -> None:
    assert_problem(as_alice.get(url(DASHBOARD, program, query)), 422, code)


def test_quarterly_defaults_to_the_current_quarter(as_alice: ApiClient, program: Business) -> None:
    body = as_alice.get(url(QUARTERLY, program)).body

    assert QuarterlyReportOut.model_validate(body).model_dump(mode="json") == body
    assert (body["quarter"], body["previous_quarter"], body["next_quarter"]) == (
        "2026-Q4",
        "2026-Q3",
        "2027-Q1",
    )
    # Business A was created at T0: it has no previous quarter to compare with.
    assert body["completion"]["overall"]["previous"] is None


def test_quarterly_as_text(as_alice: ApiClient, program: Business) -> None:
    response = as_alice.get(url(QUARTERLY, program, "?quarter=2026-Q4"), HTTP_ACCEPT="text/plain")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(
        "CERTIFICATION PROGRAM QUARTERLY REPORT — Q4 2026\n"
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?quarter=2026-Q5", "invalid_quarter"),
        ("?quarter=Q4-2026", "invalid_quarter"),
        ("?quarter=2027-Q1", "invalid_quarter"),
        ("?quarter=1999-Q4", "invalid_quarter"),
        ("?format=csv", "validation_error"),
    ],
)
def test_quarterly_refuses_bad_input(
    as_alice: ApiClient, program: Business, query: str, code: str
) -> None:
    assert_problem(as_alice.get(url(QUARTERLY, program, query)), 422, code)


def test_assessment_analytics_per_track_and_question(
    as_alice: ApiClient, program: Business
) -> None:
    body = as_alice.get(url(ANALYTICS, program)).body

    assert AssessmentAnalyticsOut.model_validate(body).model_dump(mode="json") == body
    (track,) = body["tracks"]
    assert (track["name"], track["attempts"], track["passed_attempts"]) == (
        "Product Fundamentals",
        1,
        1,
    )
    assert track["average_passing_score"] == "100.00"
    (question,) = body["questions"]
    assert question | {"question_id": "", "track_id": ""} == {
        "question_id": "",
        "track_id": "",
        "type": "multiple_choice",
        "topic": "SSO",
        "prompt": "What is SSO?",
        "active": True,
        "answered": 1,
        "correct": 1,
        "percent_correct": "100.00",
        "discrimination": None,
        "difficult": False,
        "exposure": None,
        "information": None,
        "fit_rmsd": None,
        "misfit": False,
    }


@pytest.mark.parametrize("query", ["?as_of=soon", "?as_of=2030-01-01T00:00:00Z"])
def test_assessment_analytics_refuses_bad_as_of(
    as_alice: ApiClient, program: Business, query: str
) -> None:
    response = as_alice.get(url(ANALYTICS, program, query))

    assert response.status_code == 422
    assert response.body["code"] in {"validation_error", "invalid_as_of"}


def test_reports_need_a_token(anon: ApiClient, program: Business) -> None:
    for template in ENDPOINTS:
        assert_problem(anon.get(url(template, program)), 401, "not_authenticated")


def test_unknown_business_is_404(as_alice: ApiClient, program: Business) -> None:
    response: Any = as_alice.get(DASHBOARD.format("not-a-business"))

    assert_problem(response, 404, "not_found")
