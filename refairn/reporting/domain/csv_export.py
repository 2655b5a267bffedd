"""The dashboard's tables as CSV (PRODUCT.md §8 "Exports: CSV for tables").

One CSV text per table, RFC 4180 (``csv`` module, CRLF line ends), a header row first, every
row of the table (the agent matrix lists every agent, not the text's first few). Figures are the
exact counts and the shown rounding (``json_export`` docs); an undefined figure is an empty
cell. Text typed by people (names, prompts, topics, rule names) that a spreadsheet would run as
a formula (starting with =, +, -, @, tab or CR) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from refairn.reporting.domain.dashboard import Dashboard
from refairn.reporting.domain.metrics import Ratio
from refairn.reporting.domain.routing_impact import RouteStats

Cell = str | int | bool | Decimal | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Human text, defused for spreadsheets (module docs)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _completion(d: Dashboard) -> str:
    header = ["track_id", "track", "requirement", "completed", "active_agents", "rate_percent"]
    header += ["target_percent", "status"]
    return _csv(
        header,
        (
            [
                row.track_id,
                _text(row.name),
                row.requirement.value,
                row.completed.part,
                row.completed.whole,
                row.completed.percent(1),
                row.target_percent,
                row.status.value,
            ]
            for row in d.completion
        ),
    )


def _matrix(d: Dashboard) -> str:
    header = ["agent_id", "agent", *(_text(track.label) for track in d.tracks)]
    header += ["certified", "tracks", "level"]
    return _csv(
        header,
        (
            [
                row.agent_id,
                _text(row.name),
                *(row.standings[track.track_id].value for track in d.tracks),
                row.certified,
                row.track_count,
                row.level.value,
            ]
            for row in d.matrix
        ),
    )


def _ratio(ratio: Ratio) -> list[Cell]:
    return [ratio.part, ratio.percent(1)]


def _route(rule: str, requires: str, route: str, stats: RouteStats) -> list[Cell]:
    return [
        _text(rule),
        _text(requires),
        route,
        stats.tickets,
        *_ratio(stats.resolution),
        *_ratio(stats.escalation),
        *_ratio(stats.first_contact),
        stats.csat.count,
        stats.csat.value(2),
    ]


def _routing(d: Dashboard) -> str:
    header = ["rule", "requires", "route", "tickets", "resolved", "resolution_percent"]
    header += ["escalated", "escalation_percent", "first_contact_resolved", "fcr_percent"]
    header += ["ratings", "csat"]
    r = d.routing
    rows = []
    for impact in r.rules:
        rule, requires = impact.rule.name, impact.rule.requires
        rows.append(_route(rule, requires, "certified", impact.certified))
        rows.append(_route(rule, requires, "fallback", impact.fallback))
    rows.append(_route("", "", "no_rule", r.unmatched))
    rows.append(_route("", "", "all_certified", r.certified))
    rows.append(_route("", "", "all_non_certified", r.non_certified))
    return _csv(header, rows)


def _difficult(d: Dashboard) -> str:
    header = ["rank", "question_id", "track", "topic", "prompt", "answered", "percent_correct"]
    header.append("discrimination")
    return _csv(
        header,
        (
            [
                rank,
                q.question_id,
                _text(q.track_name),
                _text(q.topic),
                _text(q.prompt),
                q.answered,
                q.percent_correct,
                q.discrimination,
            ]
            for rank, q in enumerate(d.analytics.difficult_questions, start=1)
        ),
    )


def _renewals(d: Dashboard) -> str:
    header = ["track_id", "track", "requirement", "security_critical", "expiring_this_quarter"]
    header += ["completed", "pending", "overdue", "due_within_30_days", "priority"]
    return _csv(
        header,
        (
            [
                row.track_id,
                _text(row.name),
                row.requirement.value,
                row.security_critical,
                row.expiring_this_quarter,
                row.completed,
                row.pending,
                row.overdue,
                row.due_within_30_days,
                row.priority.value if row.priority else None,
            ]
            for row in d.renewals.tracks
        ),
    )


def tables_to_csv(dashboard: Dashboard) -> dict[str, str]:
    """PRODUCT.md §8 CSV export: one CSV text per dashboard table, keyed by table name."""
    return {
        "completion_by_track": _completion(dashboard),
        "agent_status": _matrix(dashboard),
        "routing_impact": _routing(dashboard),
        "difficult_questions": _difficult(dashboard),
        "renewals": _renewals(dashboard),
    }
