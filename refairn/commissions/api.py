from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
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
    entries_csv,
)
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
    b: str,
    period: str | None = None,
    agent_id: uuid.UUID | None = None,
    ledger: Ledger | None = None,
) -> dict[str, Any]:
    entries = selectors.entries_list_for(
        api_actor(request, b), period=period, agent_id=agent_id, ledger=ledger
    )
    return business_commissions_out(entries)


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
) -> HttpResponse:
    entries = selectors.entries_list_for(
        api_actor(request, b), period=period, agent_id=agent_id, ledger=ledger
    )
    response = HttpResponse(entries_csv(entries), content_type="text/csv; charset=utf-8")
    name = f"commissions-{period or 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/businesses/{b}/commissions/{entry_id}/reversal", response={201: EntryOut})
def reverse_entry(
    request: HttpRequest, b: str, entry_id: str, payload: ReversalIn
) -> Status[LedgerEntry]:
    """Correct the ledger: post the entry that cancels ``entry_id``."""
    reversal = services.commission_entry_reverse(
        actor=api_actor(request, b), entry_id=entry_id, reason=payload.reason
    )
    return Status(201, reversal)


@router.get("/me/commissions", response=AgentCommissionsOut)
def my_commissions(request: HttpRequest, business_id: uuid.UUID | None = None) -> dict[str, Any]:
    """The caller's own entries, in one program or in all of them."""
    statement = selectors.agent_statement_for(request_user(request), business_id=business_id)
    return agent_commissions_out(statement)
