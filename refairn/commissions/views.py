"""The agent's commissions statement page (PRODUCT.md §10). Thin: the same selector and totals
as ``GET /me/commissions``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from refairn.commissions.domain.entries import AccrualKind
from refairn.commissions.schemas import agent_commissions_out
from refairn.commissions.selectors import agent_statement_for
from refairn.programs.edge import page_user
from refairn.programs.selectors import actor_for, business_get_for

KIND_LABELS = {
    AccrualKind.REFERRAL_ONE_OFF: "Referral, one-off",
    AccrualKind.REFERRAL_RECURRING: "Referral, recurring",
    AccrualKind.SUPPORT_MONTHLY: "Support, monthly",
}


def _ledger(key: str, name: str, statement: dict[str, Any]) -> dict[str, Any]:
    rows = [(e, KIND_LABELS.get(AccrualKind(e.kind), e.kind)) for e in statement["entries"]]
    return {**statement, "id": key, "name": name, "rows": rows}


@login_required
def statement(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §1, §10: an agent sees only their own entries, the two ledgers apart, each
    with its total."""
    user = page_user(request)
    actor = actor_for(user, business_id)
    ledgers = agent_commissions_out(agent_statement_for(user, business_id=actor.business_id))
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "ledgers": [
            _ledger("referral", "Referral commissions", ledgers["referral"]),
            _ledger("support", "Support commissions", ledgers["support"]),
        ],
    }
    return render(request, "commissions/statement.html", context)
