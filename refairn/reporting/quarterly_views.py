"""Reports as pages beside the dashboard (PRODUCT.md §8, issue 12 item 10): the quarterly
report for any quarter that has started, with its PDF and text downloads, and every difficult
question. Thin: the same selectors and text layout as the API and ``refairn report``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from refairn.core import clock
from refairn.core.forms import REFUSALS, ApiForm
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import business_get_for
from refairn.reporting.domain.periods import (
    parse_quarter,
    previous_quarter,
    quarter_name,
    quarter_of,
    quarter_title,
)
from refairn.reporting.domain.quarterly_text import render_quarterly_text
from refairn.reporting.quarterly_pdf import render_quarterly_pdf
from refairn.reporting.selectors import assessment_analytics_get_for, quarterly_report_get_for
from refairn.reporting.views import AsOfForm

# The picker offers the last two years; any other started quarter opens from the address.
PICKER_QUARTERS = 8


def _recent_quarters() -> list[tuple[str, str]]:
    period = quarter_of(clock.now())
    choices = []
    for _ in range(PICKER_QUARTERS):
        choices.append((quarter_name(period), quarter_title(period)))
        period = previous_quarter(period)
    return choices


class QuarterForm(ApiForm):
    quarter = forms.CharField(
        label="Quarter",
        max_length=40,
        help_text="For example 2026-Q3 (the year, then the quarter).",
    )
    api_paths = {"quarter": "quarter"}


@login_required
@require_GET
def quarterly(request: HttpRequest, business_id: str) -> HttpResponse:
    """The current quarter by default; ``?quarter=2026-Q3`` for a past one."""
    actor = staff_actor(request, business_id)
    form = QuarterForm(request.GET or None)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "form": form,
        "recent": _recent_quarters(),
    }
    quarter = None
    if form.is_bound:
        if not form.is_valid():
            return render(request, "reporting/quarterly.html", context, status=422)
        quarter = form.cleaned_data["quarter"].strip().upper()
    try:
        report = quarterly_report_get_for(actor, quarter=quarter)
    except REFUSALS as exc:
        form.add_domain_error(exc, field="quarter")
        return render(request, "reporting/quarterly.html", context, status=exc.status)
    context |= {
        "report": report,
        "title": quarter_title(parse_quarter(report.quarter)),
        "text": render_quarterly_text(report),
    }
    return render(request, "reporting/quarterly.html", context)


@login_required
@require_GET
def quarterly_pdf(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = staff_actor(request, business_id)
    quarter = (request.GET.get("quarter") or "").strip().upper() or None
    try:
        report = quarterly_report_get_for(actor, quarter=quarter)
    except REFUSALS as exc:
        return HttpResponse(exc.detail, content_type="text/plain; charset=utf-8", status=exc.status)
    title = (
        f"{report.business_name}: quarterly report {quarter_title(parse_quarter(report.quarter))}"
    )
    response = HttpResponse(
        render_quarterly_pdf(title, render_quarterly_text(report)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="quarterly-{report.quarter}.pdf"'
    return response


DIFFICULT_PAGE = 25


@login_required
@require_GET
def difficult_questions(request: HttpRequest, business_id: str) -> HttpResponse:
    """Every difficult question (the dashboard lists the first five), hardest first, a page at a
    time (issue 12 item 10)."""
    actor = staff_actor(request, business_id)
    form = AsOfForm(request.GET or None)
    context: dict[str, Any] = {"business": business_get_for(actor), "actor": actor, "form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "reporting/difficult_questions.html", context, status=422)
    try:
        summary = assessment_analytics_get_for(actor, as_of=form.instant()).summary
    except REFUSALS as exc:
        form.add_domain_error(exc, field="as_of")
        return render(request, "reporting/difficult_questions.html", context, status=exc.status)
    paginator = Paginator(summary.difficult_questions, DIFFICULT_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # The pager keeps the chosen day.
    query = request.GET.copy()
    pager = {}
    for key, number in (
        ("previous", page.previous_page_number() if page.has_previous() else None),
        ("next", page.next_page_number() if page.has_next() else None),
    ):
        if number is not None:
            query["page"] = str(number)
        pager[key] = query.urlencode() if number is not None else None
    context |= {"summary": summary, "page": page, "pager": pager}
    return render(request, "reporting/difficult_questions.html", context)
