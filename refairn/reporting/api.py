"""API.md "Reports": the certification dashboard, the quarterly report and the assessment
analytics, for a business's staff. JSON by default; the dashboard and the quarterly report also
as the seed's plain text (``Accept: text/plain`` or ``?format=text``), and the dashboard's
tables as CSV (``?format=csv&table=<name>``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from refairn.accounts.auth import request_user
from refairn.core.errors import field_error
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.programs.selectors import actor_for
from refairn.reporting.domain.audit import AuditEntry, AuditKind
from refairn.reporting.domain.csv_export import tables_to_csv
from refairn.reporting.domain.dashboard_text import render_dashboard_text
from refairn.reporting.domain.json_export import dashboard_to_json, quarterly_to_json, to_json
from refairn.reporting.domain.quarterly_text import render_quarterly_text
from refairn.reporting.schemas import (
    AssessmentAnalyticsOut,
    AuditEntryOut,
    DashboardOut,
    QuarterlyReportOut,
)
from refairn.reporting.selectors import (
    assessment_analytics_get_for,
    dashboard_get_for,
    quarterly_report_get_for,
)
from refairn.reporting.selectors.audit import AuditFilter, audit_log_page_for

router = Router(tags=["reports"])

JSON, TEXT, CSV = "application/json", "text/plain", "text/csv"
# The keys of ``csv_export.tables_to_csv``.
CSV_TABLES = (
    "completion_by_track",
    "agent_status",
    "routing_impact",
    "difficult_questions",
    "renewals",
)


def _content(text: str, media_type: str) -> dict[str, Any]:
    return {media_type: {"schema": {"type": "string"}, "example": text}}


_DASHBOARD_DOC = {
    "responses": {
        200: {
            "content": {
                **_content("AGENT CERTIFICATION DASHBOARD — November 2026\n...", TEXT),
                **_content("track_id,track,requirement,completed,...", CSV),
            }
        }
    }
}
_QUARTERLY_DOC = {
    "responses": {
        200: {"content": _content("CERTIFICATION PROGRAM QUARTERLY REPORT — Q4 2026\n...", TEXT)}
    }
}


def _wanted(request: HttpRequest, given: str | None, offered: list[str]) -> str:
    """``?format=`` when given, else the ``Accept`` header's preference, JSON by default."""
    if given is not None:
        return {"json": JSON, "text": TEXT, "csv": CSV}[given]
    return request.get_preferred_type(offered) or JSON


def _text(body: str, media_type: str) -> HttpResponse:
    return HttpResponse(body, content_type=f"{media_type}; charset=utf-8")


@router.get(
    "/businesses/{b}/reports/certification-dashboard",
    response=DashboardOut,
    openapi_extra=_DASHBOARD_DOC,
)
def certification_dashboard(
    request: HttpRequest,
    b: str,
    as_of: datetime | None = None,
    format: Literal["json", "text", "csv"] | None = None,
    table: str | None = None,
) -> Any:
    """PRODUCT.md §8: the dashboard at ``as_of`` (now by default). CSV needs ``table``, one of
    completion_by_track, agent_status, routing_impact, difficult_questions, renewals."""
    actor = actor_for(request_user(request), b)
    wanted = _wanted(request, format, [JSON, TEXT, CSV])
    if wanted == CSV and table not in CSV_TABLES:
        raise field_error("table", f"name one of {', '.join(CSV_TABLES)}", code="unknown_table")
    dashboard = dashboard_get_for(actor, as_of=as_of)
    if wanted == TEXT:
        return _text(render_dashboard_text(dashboard), TEXT)
    if wanted == CSV and table is not None:
        response = _text(tables_to_csv(dashboard)[table], CSV)
        day = f"{dashboard.as_of:%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{table}-{day}.csv"'
        return response
    return dashboard_to_json(dashboard)


@router.get(
    "/businesses/{b}/reports/quarterly",
    response=QuarterlyReportOut,
    openapi_extra=_QUARTERLY_DOC,
)
def quarterly_report(
    request: HttpRequest,
    b: str,
    quarter: str | None = None,
    format: Literal["json", "text"] | None = None,
) -> Any:
    """PRODUCT.md §8: the quarter's report (``2026-Q4``; the current quarter by default)
    compared with the previous quarter, with recommendations."""
    wanted = _wanted(request, format, [JSON, TEXT])
    report = quarterly_report_get_for(actor_for(request_user(request), b), quarter=quarter)
    if wanted == TEXT:
        return _text(render_quarterly_text(report), TEXT)
    return quarterly_to_json(report)


@router.get("/businesses/{b}/reports/assessment-analytics", response=AssessmentAnalyticsOut)
def assessment_analytics(request: HttpRequest, b: str, as_of: datetime | None = None) -> Any:
    """PRODUCT.md §4: per track and per question statistics at ``as_of`` (now by default)."""
    report = assessment_analytics_get_for(actor_for(request_user(request), b), as_of=as_of)
    return to_json(report)


@router.get("/businesses/{b}/audit-log", response=list[AuditEntryOut])
def audit_log(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
    kind: AuditKind | None = None,
    actor: uuid.UUID | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[AuditEntry]:
    """Issue 18: who changed what, when and why in the business, newest first (owners and
    managers). ``actor`` is a user id; ``since`` and ``until`` are days (UTC, inclusive). When
    more remain, ``X-Next-Cursor`` carries the ``cursor`` of the next page."""
    where = AuditFilter(kind=kind, actor_id=actor, since=since, until=until)
    page = audit_log_page_for(
        actor_for(request_user(request), b), where=where, limit=limit, cursor=cursor
    )
    return paged(response, page)
