"""JSON and CSV exports of the dashboard (PRODUCT.md §8 "as JSON", "CSV for tables")."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from refairn.reporting.domain.csv_export import tables_to_csv
from refairn.reporting.domain.dashboard import build_dashboard
from refairn.reporting.domain.json_export import dashboard_to_json, quarterly_to_json
from refairn.reporting.domain.periods import parse_quarter, trailing_window
from refairn.reporting.domain.quarterly import build_quarterly
from refairn.reporting.tests.unit.seed_fixture import (
    JANUARY_20,
    SEED_COSTS,
    SEED_TRACKS,
    seed_tracks_agents,
    seed_tracks_program,
)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_dashboard_json_keeps_exact_counts_and_strings_for_decimals() -> None:
    data = dashboard_to_json(seed_tracks_program())

    assert json.loads(json.dumps(data)) == data
    assert data["as_of"] == "2026-01-20T09:00:00+00:00"
    assert data["costs"] == {
        "currency": "USD",
        "annual_cost": "12000",
        "revenue_impact": "89000",
        "roi_percent": "642",
    }
    completion = data["completion"]
    assert isinstance(completion, list)
    assert completion[2] == {
        "track_id": "adv",
        "name": "Advanced Troubleshooting",
        "requirement": "required",
        "completed": {"part": 28, "whole": 42, "percent": "66.7"},
        "target_percent": "80",
        "status": "below_target",
        "missing_agents": 14,
    }
    routing = data["routing"]
    assert isinstance(routing, dict)
    assert routing["certified"] == {
        "tickets": 1000,
        "resolution": {"part": 820, "whole": 1000, "percent": "82.0"},
        "escalation": {"part": 68, "whole": 1000, "percent": "6.8"},
        "first_contact": {"part": 702, "whole": 820, "percent": "85.6"},
        "csat": {"total": 900, "count": 200, "value": "4.50"},
    }


def test_quarterly_json_carries_comparisons_and_recommendations() -> None:
    q4 = parse_quarter("2025-Q4")
    report = build_quarterly(
        quarter="2025-Q4",
        current=seed_tracks_program(as_of=q4.end, routing_window=q4),
        previous=None,
    )

    data = quarterly_to_json(report)

    assert json.loads(json.dumps(data)) == data
    completion = data["completion"]
    assert isinstance(completion, dict)
    assert completion["overall"] == {
        "current": {"part": 28, "whole": 42, "percent": "66.7"},
        "previous": None,
        "change_points": None,
        "direction": None,
    }
    recommendations = data["recommendations"]
    assert isinstance(recommendations, list)
    assert recommendations[0] == {
        "kind": "track_below_target",
        "subject": "Advanced Troubleshooting",
        "text": "Push Advanced Troubleshooting completion to 80% (currently 66.7%)",
    }


def test_csv_has_one_table_per_dashboard_table() -> None:
    tables = tables_to_csv(seed_tracks_program())

    assert sorted(tables) == [
        "agent_status",
        "completion_by_track",
        "difficult_questions",
        "renewals",
        "routing_impact",
    ]
    completion = rows(tables["completion_by_track"])
    assert completion[0] == [
        "track_id",
        "track",
        "requirement",
        "completed",
        "active_agents",
        "rate_percent",
        "target_percent",
        "status",
    ]
    assert completion[1] == [
        "pf",
        "Product Fundamentals",
        "required",
        "40",
        "42",
        "95.2",
        "100",
        "pending",
    ]
    agents = rows(tables["agent_status"])
    assert len(agents) == 43
    assert agents[0][2:] == [
        "Fundamentals",
        "Security",
        "Advanced",
        "Billing",
        "Success",
        "De-esc",
        "certified",
        "tracks",
        "level",
    ]
    assert agents[1] == ["sarahm", "Sarah M."] + ["certified"] * 6 + ["6", "6", "master"]
    routing = rows(tables["routing_impact"])
    assert routing[1] == [
        "API Issues",
        "Advanced Troubleshooting",
        "certified",
        "300",
        "300",
        "100.0",
        "20",
        "6.7",
        "267",
        "89.0",
        "60",
        "4.50",
    ]
    assert routing[-3][:4] == ["", "", "no_rule", "260"]
    difficult = rows(tables["difficult_questions"])
    assert [row[1] for row in difficult[1:]] == ["q1", "q2", "q4", "q3"]


def test_csv_defuses_names_a_spreadsheet_would_run_as_formulas() -> None:
    agents = seed_tracks_agents(JANUARY_20)
    agents[0] = replace(agents[0], name='=HYPERLINK("http://evil.test")')
    dashboard = build_dashboard(
        as_of=JANUARY_20,
        business_name="Acme",
        tracks=SEED_TRACKS,
        agents=agents,
        routing=(),
        routing_window=trailing_window(JANUARY_20),
        question_stats=(),
        track_scores=(),
        costs=SEED_COSTS,
    )

    table = rows(tables_to_csv(dashboard)["agent_status"])

    assert [row[1] for row in table if "HYPERLINK" in row[1]] == [
        '\'=HYPERLINK("http://evil.test")'
    ]
