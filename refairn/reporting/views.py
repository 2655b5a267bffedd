"""The certification dashboard page (PRODUCT.md §8): every block of the seed's dashboard as
HTML, with charts (completion by track against its target, renewals due, the SLA overdue trend,
the ratings distribution), an ``as_of`` picker, and the text and CSV exports. Thin: the same
selectors and renderers as ``GET /businesses/{b}/reports/...``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from refairn.core import clock
from refairn.core.forms import REFUSALS, ApiForm, DayField
from refairn.core.tenancy import Actor
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import business_get_for
from refairn.reporting.domain.csv_export import tables_to_csv
from refairn.reporting.domain.dashboard import Dashboard
from refairn.reporting.domain.dashboard_text import render_dashboard_text
from refairn.reporting.domain.json_export import dashboard_to_json
from refairn.reporting.domain.quarterly_text import render_quarterly_text
from refairn.reporting.selectors import dashboard_get_for, quarterly_report_get_for
from refairn.support.models import OverdueFlag, Rating

TREND_WEEKS = 12
CSV_TABLES = {
    "completion_by_track": "Completion by track",
    "agent_status": "Agent status matrix",
    "routing_impact": "Routing impact",
    "renewals": "Renewals",
    "difficult_questions": "Most difficult questions",
}
RATING_DIMENSIONS = ("responsiveness", "product_knowledge", "professionalism", "overall")


class AsOfForm(ApiForm):
    """A day as the viewer's calendar has it (issue 12 item 7): the API's ``as_of`` stays an
    instant; the page turns the day into the last instant of that day in the viewer's zone."""

    as_of = DayField(label="As of", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].help_text = (
            "The dashboard as it stood at the end of that day in your time zone "
            f"({timezone.get_current_timezone_name()}); empty for now."
        )

    def instant(self) -> datetime | None:
        """The end of the chosen day in the viewer's zone, or now for their today; ``None``
        (now) when no day is chosen. A future day is passed on for the report's own check to
        refuse."""
        day: date | None = self.cleaned_data.get("as_of") if self.is_bound else None
        if day is None:
            return None
        zone = timezone.get_current_timezone()
        now = clock.now()
        if day == now.astimezone(zone).date():
            return now
        # Through UTC: aware arithmetic in one zone is wall-clock arithmetic, which a daylight
        # saving change at midnight would bend.
        next_midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        return next_midnight.astimezone(UTC) - timedelta(microseconds=1)


def weekly_counts(
    times: Iterable[datetime], as_of: datetime, weeks: int = TREND_WEEKS
) -> list[tuple[date, int]]:
    """How many of ``times`` fall in each of the ``weeks`` seven-day windows ending at
    ``as_of`` (oldest first), each labelled by its first day. A window holds (start, end]."""
    week = timedelta(days=7)
    start = as_of - week * weeks
    counts: Counter[int] = Counter()
    for moment in times:
        if start < moment <= as_of:
            # The window whose end is the first week boundary at or after ``moment``.
            counts[-((start - moment) // week) - 1] += 1
    return [((start + week * n).date(), counts[n]) for n in range(weeks)]


def _overdue_trend(actor: Actor, as_of: datetime) -> list[tuple[date, int]]:
    """PRODUCT.md §6: overdue flags per week over the last 12 weeks (one scoped query)."""
    since = as_of - timedelta(days=7 * TREND_WEEKS)
    times = (
        OverdueFlag.objects.for_actor(actor)
        .filter(at__gt=since, at__lte=as_of)
        .values_list("at", flat=True)
    )
    return weekly_counts(times, as_of)


def _ratings(actor: Actor, as_of: datetime) -> dict[str, Any]:
    """PRODUCT.md §6: how the customers rated support up to ``as_of``: how many gave each
    overall score, and the average of each dimension (two scoped queries)."""
    ratings = Rating.objects.for_actor(actor).filter(created_at__lte=as_of)
    by_score = dict(
        ratings.values_list("overall")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("overall", "n")
    )
    averages = ratings.aggregate(**{name: Avg(name) for name in RATING_DIMENSIONS})
    return {
        "distribution": [(score, by_score.get(score, 0)) for score in range(1, 6)],
        "count": sum(by_score.values()),
        "averages": [
            (name.replace("_", " ").capitalize(), averages[name]) for name in RATING_DIMENSIONS
        ],
    }


def _charts(data: dict[str, Any], trend: list[tuple[date, int]], ratings: dict[str, Any]) -> Any:
    """The figures the charts draw, as plain JSON for ``json_script``."""

    def number(text: str | None) -> float | None:
        return None if text is None else float(text)

    return {
        "completion": {
            "labels": [row["name"] for row in data["completion"]],
            "completed": [number(row["completed"]["percent"]) for row in data["completion"]],
            "targets": [number(row["target_percent"]) for row in data["completion"]],
        },
        "renewals": {
            "labels": [row["name"] for row in data["renewals"]["tracks"]],
            "completed": [row["completed"] for row in data["renewals"]["tracks"]],
            "pending": [row["pending"] for row in data["renewals"]["tracks"]],
            "overdue": [row["overdue"] for row in data["renewals"]["tracks"]],
            "due_soon": [row["due_within_30_days"] for row in data["renewals"]["tracks"]],
        },
        "trend": {
            "labels": [f"{day:%b %d}" for day, _ in trend],
            "flags": [n for _, n in trend],
        },
        "ratings": {
            "labels": [f"{score} ★" for score, _ in ratings["distribution"]],
            "counts": [n for _, n in ratings["distribution"]],
        },
    }


def _with_percent_text(value: Any) -> Any:
    """Every ratio of the JSON tree gains ``shown``: "66.7%", or "—" when it has no whole."""
    if isinstance(value, dict):
        for item in value.values():
            _with_percent_text(item)
        if value.keys() >= {"part", "whole", "percent"}:
            value["shown"] = "—" if value["percent"] is None else f"{value['percent']}%"
    elif isinstance(value, list):
        for item in value:
            _with_percent_text(item)
    return value


def _standing_cell(code: str) -> dict[str, str]:
    """A matrix cell: its code for the styling, its words for the reader (issue 12 item 9)."""
    return {"code": code, "words": code.replace("_", " ")}


def _to_target(row: dict[str, Any]) -> int | None:
    """How many more certified agents the track needs to meet its target (issue 12 item 10:
    "above target (30 to go)" read as a contradiction; only a track short of its target has
    agents to go)."""
    target, completed = row["target_percent"], row["completed"]
    if target is None or row["status"] not in ("below_target", "pending"):
        return None
    needed = math.ceil(Decimal(str(target)) * completed["whole"] / 100)
    return max(needed - completed["part"], 0)


def _matrix(data: dict[str, Any]) -> list[dict[str, Any]]:
    track_ids = [track["track_id"] for track in data["tracks"]]
    return [
        {
            "agent_id": row["agent_id"],
            "name": row["name"],
            "cells": [
                _standing_cell(row["standings"].get(track_id, "not_certified"))
                for track_id in track_ids
            ],
            "certified": row["certified"],
            "track_count": row["track_count"],
            "level": row["level"].replace("_", " ").title(),
        }
        for row in data["matrix"]
    ]


def _dashboard(actor: Actor, form: AsOfForm) -> Dashboard:
    return dashboard_get_for(actor, as_of=form.instant())


@login_required
@require_GET
def dashboard(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §8: the certification dashboard at ``as_of`` (now by default), for staff."""
    actor = staff_actor(request, business_id)
    form = AsOfForm(request.GET or None)
    context: dict[str, Any] = {"business": business_get_for(actor), "actor": actor, "form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "reporting/dashboard.html", context, status=422)
    try:
        report = _dashboard(actor, form)
    except REFUSALS as exc:
        form.add_domain_error(exc, field="as_of")
        return render(request, "reporting/dashboard.html", context, status=exc.status)
    data: dict[str, Any] = _with_percent_text(dashboard_to_json(report))
    for row in data["completion"]:
        row["status_label"] = row["status"].replace("_", " ")
        row["to_target"] = _to_target(row)
    trend = _overdue_trend(actor, report.as_of)
    ratings = _ratings(actor, report.as_of)
    query = QueryDict(mutable=True)
    if form.is_bound and form.cleaned_data.get("as_of"):
        query["as_of"] = form.cleaned_data["as_of"].isoformat()
    context |= {
        "report": report,
        "d": data,
        "matrix": _matrix(data),
        "trend": trend,
        "ratings": ratings,
        "charts": _charts(data, trend, ratings),
        "export_query": query.urlencode(),
        "csv_tables": CSV_TABLES.items(),
    }
    return render(request, "reporting/dashboard.html", context)


def _plain(body: str, content_type: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, content_type=f"{content_type}; charset=utf-8", status=status)


@login_required
@require_GET
def dashboard_text(request: HttpRequest, business_id: str) -> HttpResponse:
    """The dashboard in the seed's plain-text layout."""
    actor = staff_actor(request, business_id)
    form = AsOfForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _plain("as_of: enter a valid date (YYYY-MM-DD).", "text/plain", 422)
    try:
        report = _dashboard(actor, form)
    except REFUSALS as exc:
        return _plain(exc.detail, "text/plain", exc.status)
    return _plain(render_dashboard_text(report), "text/plain")


@login_required
@require_GET
def dashboard_csv(request: HttpRequest, business_id: str, table: str) -> HttpResponse:
    """One table of the dashboard as CSV."""
    if table not in CSV_TABLES:
        raise Http404("No such table.")
    actor = staff_actor(request, business_id)
    form = AsOfForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _plain("as_of: enter a valid date (YYYY-MM-DD).", "text/plain", 422)
    try:
        report = _dashboard(actor, form)
    except REFUSALS as exc:
        return _plain(exc.detail, "text/plain", exc.status)
    response = _plain(tables_to_csv(report)[table], "text/csv")
    # Named after the day the viewer picked, in their zone (the instant is that day's end).
    day = timezone.localtime(report.as_of).date()
    response["Content-Disposition"] = f'attachment; filename="{table}-{day:%Y-%m-%d}.csv"'
    return response


@login_required
@require_GET
def quarterly_text(request: HttpRequest, business_id: str) -> HttpResponse:
    """The quarterly report (``?quarter=2026-Q4``, the current one by default) as text."""
    actor = staff_actor(request, business_id)
    try:
        report = quarterly_report_get_for(actor, quarter=request.GET.get("quarter") or None)
    except REFUSALS as exc:
        return _plain(exc.detail, "text/plain", exc.status)
    return _plain(render_quarterly_text(report), "text/plain")
