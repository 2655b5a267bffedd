"""Issue 6: a business whose records reproduce the third seed's dashboard figures, read through
the API as JSON and as the seed's text."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.programs.models import Business
from refairn.reporting.tests.seed_program import AS_OF, SeedProgram, seed_program
from tests.support import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(business_a: Business) -> SeedProgram:
    return seed_program(business_a)


def dashboard(client: ApiClient, business: Business, **headers: Any) -> Any:
    as_of = AS_OF.isoformat().replace("+00:00", "Z")
    return client.get(
        f"/businesses/{business.id}/reports/certification-dashboard?as_of={as_of}", **headers
    )


def test_completion_by_track_reproduces_the_seed(as_alice: ApiClient, seeded: SeedProgram) -> None:
    body = dashboard(as_alice, seeded.business).body

    assert [
        (row["name"], row["completed"]["part"], row["completed"]["percent"], row["status"])
        for row in body["completion"]
    ] == [
        ("Product Fundamentals", 40, "95.2", "pending"),
        ("Security & Compliance", 42, "100.0", "met"),
        ("Advanced Troubleshooting", 28, "66.7", "below_target"),
        ("Billing & Accounts", 18, "42.9", "below_target"),
        ("Customer Success", 12, "28.6", "above_target"),
        ("De-escalation", 31, "73.8", "above_target"),
    ]
    advanced = body["completion"][2]
    assert advanced["completed"] == {"part": 28, "whole": 42, "percent": "66.7"}
    assert advanced["target_percent"] == "80"
    assert body["overview"]["active_agents"] == 42


def test_roi_of_89000_on_12000_is_642_percent(as_alice: ApiClient, seeded: SeedProgram) -> None:
    costs = dashboard(as_alice, seeded.business).body["costs"]

    assert costs == {
        "currency": "USD",
        "annual_cost": "12000",
        "revenue_impact": "89000",
        "roi_percent": "642",
    }


def test_api_rule_first_contact_resolution_reproduces_the_seed(
    as_alice: ApiClient, seeded: SeedProgram
) -> None:
    routing = dashboard(as_alice, seeded.business).body["routing"]

    (api,) = routing["rules"]
    assert api["rule"] == {"name": "API Issues", "requires": "Advanced Troubleshooting"}
    assert api["certified"]["first_contact"] == {"part": 89, "whole": 100, "percent": "89.0"}
    assert api["fallback"]["first_contact"] == {"part": 2, "whole": 3, "percent": "66.7"}
    assert routing["by_certification"] == {"part": 100, "whole": 103, "percent": "97.1"}


def test_hardest_question_and_average_passing_score_reproduce_the_seed(
    as_alice: ApiClient, seeded: SeedProgram
) -> None:
    analytics = dashboard(as_alice, seeded.business).body["analytics"]

    (hardest,) = analytics["difficult_questions"]
    assert (hardest["prompt"], hardest["track_name"], hardest["answered"]) == (
        "API rate limit retry logic",
        "Advanced Troubleshooting",
        50,
    )
    assert hardest["percent_correct"] == "62.00"
    # Every attempt that got it right outscored every one that did not.
    assert hardest["discrimination"] == "1.00"
    scores = {row["name"]: row["average_passing_score"] for row in analytics["track_scores"]}
    assert scores["Advanced Troubleshooting"] == "84.50"
    assert analytics["training_gap_topics"] == ["API rate limits"]


def test_named_agents_have_the_seeds_levels(as_alice: ApiClient, seeded: SeedProgram) -> None:
    matrix = dashboard(as_alice, seeded.business).body["matrix"]

    levels = {row["name"]: (row["certified"], row["level"]) for row in matrix}
    assert [levels[name] for name in ("Sarah M.", "Tom R.", "Lisa K.", "James T.", "Kevin W.")] == [
        (6, "master"),
        (6, "master"),
        (5, "strong"),
        (3, "developing"),
        (2, "needs_attention"),
    ]


def test_text_layout_shows_the_seeds_figures(as_alice: ApiClient, seeded: SeedProgram) -> None:
    response = dashboard(as_alice, seeded.business, HTTP_ACCEPT="text/plain")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:3] == [
        "AGENT CERTIFICATION DASHBOARD — January 2026",
        "============================================",
        "Business A — as of 2026-01-20 09:00 UTC",
    ]
    for line in (
        "  Advanced Troubleshooting | 28        | 66.7% | 80%    | ⚠ Below target",
        "  Product Fundamentals     | 40        | 95.2% | 100%   | ⚠ 2 pending",
        "  Security & Compliance    | 42        | 100%  | 100%   | ✓",
        "    API Issues → Advanced Troubleshooting agents: 89% FCR (vs 67% non-certified)",
        "    Advanced Troubleshooting: 84.5%",
        "    1. API rate limit retry logic (Advanced Troubleshooting) — 62% pass",
        "  Certification program annual cost: $12,000",
        "  Revenue impact from certified routing: +$89,000/year",
        "  Certification ROI: 642%",
    ):
        assert line in lines
