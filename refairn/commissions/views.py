"""The agent's commissions statement page (PRODUCT.md §10). Thin: the same selector and totals
as ``GET /me/commissions``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from refairn.commissions.domain.entries import AccrualKind, Ledger
from refairn.commissions.schemas import agent_commissions_out
from refairn.commissions.selectors import (
    AgentView,
    Totals,
    agent_view_for,
    entries_page,
    totals_for,
)
from refairn.programs.edge import page_user
from refairn.programs.selectors import actor_for, business_get_for

KIND_LABELS = {
    AccrualKind.REFERRAL_ONE_OFF: "Referral, one-off",
    AccrualKind.REFERRAL_RECURRING: "Referral, recurring",
    AccrualKind.SUPPORT_MONTHLY: "Support, monthly",
}


def _ledger(
    request: HttpRequest, view: AgentView, totals: Totals, ledger: Ledger, name: str
) -> dict[str, Any]:
    """One ledger's section: its total over all entries, and a page of them (each ledger
    pages on its own, ``?referral=<cursor>``)."""
    where = replace(view.where, ledger=ledger)
    page = entries_page(where, limit=None, cursor=request.GET.get(ledger.value) or None)
    statement = agent_commissions_out(page, totals, view.currencies)[ledger.value]
    rows = [(e, KIND_LABELS.get(AccrualKind(e.kind), e.kind)) for e in page.items]
    more = None
    if page.next_cursor:
        query = request.GET.copy()
        query[ledger.value] = page.next_cursor
        more = query.urlencode()
    return {**statement, "id": ledger.value, "name": name, "rows": rows, "next_query": more}


@login_required
def statement(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §1, §10: an agent sees only their own entries, the two ledgers apart, each
    with its total."""
    user = page_user(request)
    actor = actor_for(user, business_id)
    view = agent_view_for(user, business_id=actor.business_id)
    totals = totals_for(view.where)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "ledgers": [
            _ledger(request, view, totals, Ledger.REFERRAL, "Referral commissions"),
            _ledger(request, view, totals, Ledger.SUPPORT, "Support commissions"),
        ],
    }
    return render(request, "commissions/statement.html", context)
