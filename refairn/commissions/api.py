from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Router, Status

from refairn.accounts.auth import request_user
from refairn.commissions import selectors, services
from refairn.commissions.domain.entries import Ledger
from refairn.commissions.models import LedgerEntry
from refairn.commissions.schemas import (
    AgentCommissionsOut,
    BusinessCommissionsOut,
    CommissionRunIn,
    CommissionRunOut,
    EntryOut,
    ReversalIn,
    agent_commissions_out,
    business_commissions_out,
    csv_download,
    entries_csv,
)
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.programs.edge import api_actor
from refairn.programs.selectors import business_get_for

router = Router(tags=["commissions"])


@router.post("/businesses/{b}/commission-runs", response=CommissionRunOut)
def run_period(request: HttpRequest, b: str, payload: CommissionRunIn) -> services.RunResult:
    """Accrue a month that has ended; idempotent (a rerun creates nothing)."""
    caller = api_actor(request, b)
    return services.commission_run(
        actor=caller, business=business_get_for(caller), period=payload.period
    )


@router.get("/businesses/{b}/commissions", response=BusinessCommissionsOut)
def list_commissions(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    period: str | None = None,
    agent_id: uuid.UUID | None = None,
    ledger: Ledger | None = None,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Both ledgers, referral first, a page at a time; the totals cover every entry the
    filters select, on all pages."""
    where = selectors.business_entries_filter(
        api_actor(request, b), period=period, agent_id=agent_id, ledger=ledger
    )
    page = selectors.entries_page(where, limit=limit, cursor=cursor)
    paged(response, page)
    return business_commissions_out(page, selectors.totals_for(where))


@router.get(
    "/businesses/{b}/commissions.csv",
    openapi_extra={
        "responses": {
            200: {
                "description": "The entries as CSV",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_commissions(
    request: HttpRequest,
    b: str,
    period: str | None = None,
    agent_id: uuid.UUID | None = None,
    ledger: Ledger | None = None,
) -> StreamingHttpResponse:
    """Every entry the filters select, streamed."""
    where = selectors.business_entries_filter(
        api_actor(request, b), period=period, agent_id=agent_id, ledger=ledger
    )
    return csv_download(entries_csv(selectors.entries_all(where)), where)


@router.post("/businesses/{b}/commissions/{entry_id}/reversal", response={201: EntryOut})
def reverse_entry(
    request: HttpRequest, b: str, entry_id: str, payload: ReversalIn
) -> Status[LedgerEntry]:
    """Correct the ledger: post the entry that cancels ``entry_id``."""
    reversal = services.commission_entry_reverse(
        actor=api_actor(request, b),
        entry_id=entry_id,
        code=payload.code,
        note=payload.note or payload.reason,
    )
    return Status(201, reversal)


@router.get("/me/commissions", response=AgentCommissionsOut)
def my_commissions(
    request: HttpRequest,
    response: HttpResponse,
    business_id: uuid.UUID | None = None,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> dict[str, Any]:
    """The caller's own entries, in one program or in all of them, a page at a time; each
    ledger's total covers all its entries."""
    view = selectors.agent_view_for(request_user(request), business_id=business_id)
    page = selectors.entries_page(view.where, limit=limit, cursor=cursor)
    paged(response, page)
    return agent_commissions_out(page, selectors.totals_for(view.where), view.currencies)
