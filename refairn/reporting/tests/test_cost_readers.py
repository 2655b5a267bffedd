"""Issue 18 item 6: the program's annual cost, revenue impact and ROI are its owners' and
managers' only; reviewers and security staff read the reports without them, in every format
and on the dashboard page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business
from tests.support import api_as

pytestmark = pytest.mark.django_db

DASHBOARD = "/businesses/{}/reports/certification-dashboard"
QUARTERLY = "/businesses/{}/reports/quarterly"
FIGURES = ("120000", "120,000", "450000", "450,000", "275")
UNKNOWN = {"currency": "USD", "annual_cost": None, "revenue_impact": None, "roi_percent": None}


@pytest.fixture
def costed(as_alice: Any, business_a: Business) -> Business:
    patch = {"report": {"annual_cost": "120000", "revenue_impact": "450000"}}
    assert as_alice.patch(f"/businesses/{business_a.id}/settings", patch).status_code == 200
    return business_a


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_owners_and_managers_read_the_costs(as_alice: Any, manager: User, costed: Any) -> None:
    for client in (as_alice, api_as(manager)):
        costs = client.get(DASHBOARD.format(costed.id)).body["costs"]
        assert (costs["annual_cost"], costs["roi_percent"]) == ("120000", "275")
        assert client.get(QUARTERLY.format(costed.id)).body["costs"]["revenue_impact"] == "450000"


@pytest.mark.parametrize("who", ["reviewer", "security_officer"])
def test_other_staff_read_the_reports_without_the_costs(
    who: str, costed: Any, request: Any
) -> None:
    client = api_as(request.getfixturevalue(who))
    for path in (DASHBOARD, QUARTERLY):
        response = client.get(path.format(costed.id))
        assert response.status_code == 200
        assert response.body["costs"] == UNKNOWN
        text = client.get(path.format(costed.id) + "?format=text")
        assert text["Content-Type"].startswith("text/plain")
        assert not [figure for figure in FIGURES if figure in text.content.decode()]


def test_the_dashboard_page_shows_the_costs_to_the_owner_only(
    alice: User, reviewer: User, costed: Any
) -> None:
    assert "Cost analysis" in page_client(alice).get(f"/b/{costed.id}/dashboard/").content.decode()
    page = page_client(reviewer).get(f"/b/{costed.id}/dashboard/").content.decode()
    assert "Cost analysis" not in page
    assert "120,000" not in page and "120000" not in page
