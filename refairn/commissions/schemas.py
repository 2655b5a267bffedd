from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import StreamingHttpResponse
from ninja import Schema
from pydantic import Field

from refairn.commissions.domain.entries import Ledger, ReversalCode
from refairn.commissions.models import LedgerEntry
from refairn.commissions.selectors import EntryFilter, Total, Totals
from refairn.core.pagination import Page
from refairn.core.schemas import MoneyOut, StrictIn, money_out


class CommissionRunIn(StrictIn):
    period: Annotated[
        str, Field(description='The month to accrue, "YYYY-MM"', examples=["2026-11"])
    ]


class CommissionRunOut(Schema):
    run_id: uuid.UUID
    period: str
    entries_created: int
    entries_existing: int


class ReversalIn(StrictIn):
    """API.md: ``{"code", "note"}``. ``reason`` is the note's former name, still read; without
    a code the answer is 422 ``reversal_code_required``."""

    code: ReversalCode | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    reason: Annotated[str, Field(max_length=2000)] = ""


class EntryOut(Schema):
    """API.md: `{"id","kind","customer_id","period","amount","reverses"}`, plus context."""

    id: uuid.UUID
    ledger: str
    kind: str
    business_id: uuid.UUID
    agent_id: uuid.UUID
    customer_id: uuid.UUID
    period: str
    amount: MoneyOut
    reverses: uuid.UUID | None
    run_id: uuid.UUID | None
    reversal_code: ReversalCode | None
    reason: str = Field(description="A reversal's note (the same text as ``note``).")
    note: str
    created_at: datetime

    @staticmethod
    def resolve_amount(obj: LedgerEntry) -> dict[str, str]:
        return money_out(obj.amount, obj.currency)

    @staticmethod
    def resolve_reverses(obj: LedgerEntry) -> uuid.UUID | None:
        return obj.reverses_id

    @staticmethod
    def resolve_note(obj: LedgerEntry) -> str:
        return obj.reason


class BusinessEntryOut(EntryOut):
    """Staff also see whom an entry pays and for which customer."""

    agent_name: str
    customer_name: str

    @staticmethod
    def resolve_agent_name(obj: LedgerEntry) -> str:
        return obj.agent.name

    @staticmethod
    def resolve_customer_name(obj: LedgerEntry) -> str:
        return obj.customer.name


class LedgerTotalOut(Schema):
    ledger: str
    amount: MoneyOut


class KindTotalOut(Schema):
    kind: str
    amount: MoneyOut


class PeriodTotalOut(Schema):
    period: str
    amount: MoneyOut


class AgentTotalOut(Schema):
    agent_id: uuid.UUID
    agent_name: str
    amount: MoneyOut


class TotalsOut(Schema):
    """Sums of every entry the filters cover, on all pages; one row per group and currency
    (currencies are never added together)."""

    overall: list[MoneyOut]
    by_ledger: list[LedgerTotalOut]
    by_kind: list[KindTotalOut]
    by_period: list[PeriodTotalOut]
    by_agent: list[AgentTotalOut]


class BusinessCommissionsOut(Schema):
    entries: list[BusinessEntryOut]
    totals: TotalsOut
    next_cursor: str | None = Field(
        description="Pass as ``cursor`` for the next page of entries; null on the last page."
    )


class LedgerStatementOut(Schema):
    """`total` is the sum in the statement's currency; null only when the entries (or the
    programs in view) use more than one currency — then `totals` has one sum per currency."""

    total: MoneyOut | None
    totals: list[MoneyOut]
    entries: list[EntryOut]


class AgentCommissionsOut(Schema):
    referral: LedgerStatementOut
    support: LedgerStatementOut
    next_cursor: str | None = Field(
        description="Pass as ``cursor`` for the next page of entries; null on the last page."
    )


def _money(total: Total) -> dict[str, str]:
    return money_out(total.amount, total.currency)


def totals_out(totals: Totals) -> dict[str, Any]:
    return {
        "overall": [_money(t) for t in totals.overall],
        "by_ledger": [{"ledger": t.group, "amount": _money(t)} for t in totals.by_ledger],
        "by_kind": [{"kind": t.group, "amount": _money(t)} for t in totals.by_kind],
        "by_period": [{"period": t.group, "amount": _money(t)} for t in totals.by_period],
        "by_agent": [
            {"agent_id": t.group, "agent_name": totals.agent_names[t.group], "amount": _money(t)}
            for t in totals.by_agent
        ],
    }


def business_commissions_out(page: Page[LedgerEntry], totals: Totals) -> dict[str, Any]:
    return {"entries": page.items, "totals": totals_out(totals), "next_cursor": page.next_cursor}


def _ledger_statement(
    ledger: Ledger, page: Page[LedgerEntry], totals: Totals, currencies: frozenset[str]
) -> dict[str, Any]:
    sums = [t for t in totals.by_ledger if t.group == ledger]
    in_view = currencies | {t.currency for t in sums}
    total = None
    if len(in_view) == 1:
        [currency] = in_view
        total = money_out(sum((t.amount for t in sums), start=Decimal(0)), currency)
    return {
        "total": total,
        "totals": [money_out(t.amount, t.currency) for t in sums],
        "entries": [e for e in page.items if e.ledger == ledger],
    }


def agent_commissions_out(
    page: Page[LedgerEntry], totals: Totals, currencies: frozenset[str]
) -> dict[str, Any]:
    return {
        "referral": _ledger_statement(Ledger.REFERRAL, page, totals, currencies),
        "support": _ledger_statement(Ledger.SUPPORT, page, totals, currencies),
        "next_cursor": page.next_cursor,
    }


CSV_COLUMNS = (
    "id",
    "ledger",
    "kind",
    "period",
    "agent_id",
    "agent_name",
    "customer_id",
    "customer_name",
    "amount",
    "currency",
    "reverses",
    "reversal_code",
    "reason",
    "created_at",
)


def _cell_text(value: str) -> str:
    # Names and reasons are typed by people; a leading = + - @ would make a spreadsheet run
    # the cell as a formula (CSV injection), so such text is quoted as text.
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def csv_download(lines: Iterator[str], where: EntryFilter) -> StreamingHttpResponse:
    """An export as the browser saves it: streamed, named after its period."""
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = f"commissions-{where.period or 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Line:
    """A file that hands back what the csv writer writes to it: one row at a time."""

    def write(self, text: str) -> str:
        return text


def entries_csv(entries: Iterable[LedgerEntry]) -> Iterator[str]:
    """The entries as CSV lines, header first, amounts as plain decimals; lazy, so an export
    streams whatever its size."""
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for e in entries:
        yield writer.writerow(
            [
                e.id,
                e.ledger,
                e.kind,
                e.period,
                e.agent_id,
                _cell_text(e.agent.name),
                e.customer_id,
                _cell_text(e.customer.name),
                f"{e.amount:.2f}",
                e.currency,
                e.reverses_id or "",
                e.reversal_code or "",
                _cell_text(e.reason),
                e.created_at.isoformat(),
            ]
        )
