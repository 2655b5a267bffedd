"""The business's commissions page (PRODUCT.md §10): run a month, read both ledgers with totals
by kind, period and agent, and export them as CSV. Thin: the same selectors and services as
``POST /businesses/{b}/commission-runs`` and ``GET /businesses/{b}/commissions(.csv)``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from refairn.commissions import selectors, services
from refairn.commissions.domain.entries import Ledger
from refairn.commissions.domain.periods import Period
from refairn.commissions.models import LedgerEntry
from refairn.commissions.schemas import csv_download, entries_csv
from refairn.core import clock
from refairn.core.forms import REFUSALS, ApiForm
from refairn.core.pagination import Page
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.domain import AgentStatus
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import agents_list_for, business_get_for

PERIOD_HELP = "A month that has ended, as YYYY-MM."


class RunForm(ApiForm):
    period = forms.CharField(max_length=7, help_text=PERIOD_HELP)


class EntryFilterForm(ApiForm):
    """The ledger view's filters (GET: filtering writes nothing)."""

    period = forms.CharField(required=False, max_length=7, help_text="YYYY-MM; empty for all.")
    agent_id = forms.ChoiceField(label="Agent", required=False)
    ledger = forms.ChoiceField(
        required=False, choices=[("", "Both"), *[(x.value, x.value) for x in Ledger]]
    )

    def __init__(self, *args: Any, agents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent_id"].choices = [("", "Any"), *agents]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``business_entries_filter`` (the API's query
        parameters)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "period": data.get("period") or None,
            "agent_id": uuid.UUID(data["agent_id"]) if data.get("agent_id") else None,
            "ledger": Ledger(data["ledger"]) if data.get("ledger") else None,
        }

    def query(self) -> str:
        """The filters as a query string, for the CSV link."""
        query = QueryDict(mutable=True)
        query.update({k: str(v) for k, v in self.filters().items() if v is not None})
        return query.urlencode()


def _last_month() -> str:
    """The most recent month that has ended: what a business usually runs."""
    this = Period.of(clock.now())
    return f"{this.year - 1}-12" if this.month == 1 else f"{this.year:04d}-{this.month - 1:02d}"


def _by_agent(totals: selectors.Totals) -> list[tuple[str, selectors.Total]]:
    pairs = [(totals.agent_names[t.group], t) for t in totals.by_agent]
    return sorted(pairs, key=lambda pair: (pair[0].lower(), pair[1].currency))


def _agents(actor: Actor) -> list[tuple[str, str]]:
    return [
        (str(a.user_id), a.user.name or a.user.email)
        for a in agents_list_for(actor, status=AgentStatus.APPROVED)
    ]


def _page(
    request: HttpRequest, actor: Actor, *, run_form: RunForm | None = None, status: int = 200
) -> HttpResponse:
    # Its own ids: the run form above also has a "period" field, and each label needs its input.
    filters = EntryFilterForm(request.GET or None, agents=_agents(actor), auto_id="filter_%s")
    page: Page[LedgerEntry] = Page([], None)
    totals = None
    if filters.is_bound and not filters.is_valid():
        status = max(status, 422)
    else:
        try:
            where = selectors.business_entries_filter(actor, **filters.filters())
            page = selectors.entries_page(where, limit=None, cursor=request.GET.get("cursor"))
            totals = selectors.totals_for(where)
        except REFUSALS as exc:
            filters.add_domain_error(exc)
            status = max(status, exc.status)
    next_query = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_query = query.urlencode()
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "run_form": run_form or RunForm(initial={"period": _last_month()}),
        "filters": filters,
        "entries": page.items,
        "next_query": next_query,
        "totals": totals,
        "by_agent": _by_agent(totals) if totals else [],
        "csv_query": filters.query() if filters.is_bound and filters.is_valid() else "",
    }
    return render(request, "commissions/staff_business.html", context, status=status)


@login_required
@require_GET
def business(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §10: both ledgers, with their totals (owners and managers)."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    return _page(request, actor)


@login_required
@require_POST
def run(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §10: accrue a month that has ended; running it again pays nothing twice."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            result = services.commission_run(
                actor=actor, business=business_get_for(actor), period=form.cleaned_data["period"]
            )
        except REFUSALS as exc:
            form.add_domain_error(exc, field="period")
            return _page(request, actor, run_form=form, status=exc.status)
        messages.success(
            request,
            f"{result.period}: {result.entries_created} new entries, "
            f"{result.entries_existing} already in the ledgers.",
        )
        response = redirect("commissions:business", business_id=business_id)
        response["Location"] += f"?period={result.period}"
        return response
    return _page(request, actor, run_form=form, status=422)


@login_required
@require_GET
def export_csv(request: HttpRequest, business_id: str) -> HttpResponseBase:
    """The entries the page shows (same filters) as CSV."""
    actor = staff_actor(request, business_id)
    filters = EntryFilterForm(request.GET or None, agents=_agents(actor))
    if filters.is_bound and not filters.is_valid():
        return HttpResponse("Invalid filters.", status=422, content_type="text/plain")
    try:
        where = selectors.business_entries_filter(actor, **filters.filters())
    except REFUSALS as exc:
        return HttpResponse(exc.detail, status=exc.status, content_type="text/plain")
    return csv_download(entries_csv(selectors.entries_all(where)), where)
