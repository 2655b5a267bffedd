from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from refairn.commissions.models import LedgerEntry
from refairn.commissions.selectors import AgentStatement, Total, totals_by
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
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


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
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_amount(obj: LedgerEntry) -> dict[str, str]:
        return money_out(obj.amount, obj.currency)

    @staticmethod
    def resolve_reverses(obj: LedgerEntry) -> uuid.UUID | None:
        return obj.reverses_id


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
    """Sums of the listed entries; one row per group and currency (currencies are never
    added together)."""

    overall: list[MoneyOut]
    by_ledger: list[LedgerTotalOut]
    by_kind: list[KindTotalOut]
    by_period: list[PeriodTotalOut]
    by_agent: list[AgentTotalOut]


class BusinessCommissionsOut(Schema):
    entries: list[BusinessEntryOut]
    totals: TotalsOut


class LedgerStatementOut(Schema):
    """`total` is the sum in the statement's currency; null only when the entries (or the
    programs in view) use more than one currency — then `totals` has one sum per currency."""

    total: MoneyOut | None
    totals: list[MoneyOut]
    entries: list[EntryOut]


class AgentCommissionsOut(Schema):
    referral: LedgerStatementOut
    support: LedgerStatementOut


def _money(total: Total) -> dict[str, str]:
    return money_out(total.amount, total.currency)


def business_commissions_out(entries: Sequence[LedgerEntry]) -> dict[str, Any]:
    names = {str(entry.agent_id): entry.agent.name for entry in entries}
    return {
        "entries": entries,
        "totals": {
            "overall": [_money(t) for t in totals_by(entries)],
            "by_ledger": [
                {"ledger": t.group, "amount": _money(t)}
                for t in totals_by(entries, lambda e: e.ledger)
            ],
            "by_kind": [
                {"kind": t.group, "amount": _money(t)} for t in totals_by(entries, lambda e: e.kind)
            ],
            "by_period": [
                {"period": t.group, "amount": _money(t)}
                for t in totals_by(entries, lambda e: e.period)
            ],
            "by_agent": [
                {"agent_id": t.group, "agent_name": names[t.group], "amount": _money(t)}
                for t in totals_by(entries, lambda e: str(e.agent_id))
            ],
        },
    }


def _ledger_statement(entries: Sequence[LedgerEntry], currencies: frozenset[str]) -> dict[str, Any]:
    totals = totals_by(entries)
    in_view = currencies | {t.currency for t in totals}
    total = None
    if len(in_view) == 1:
        [currency] = in_view
        total = money_out(sum((t.amount for t in totals), start=Decimal(0)), currency)
    return {"total": total, "totals": [_money(t) for t in totals], "entries": entries}


def agent_commissions_out(statement: AgentStatement) -> dict[str, Any]:
    return {
        "referral": _ledger_statement(statement.referral, statement.currencies),
        "support": _ledger_statement(statement.support, statement.currencies),
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
    "reason",
    "created_at",
)


def _cell_text(value: str) -> str:
    # Names and reasons are typed by people; a leading = + - @ would make a spreadsheet run
    # the cell as a formula (CSV injection), so such text is quoted as text.
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def entries_csv(entries: Sequence[LedgerEntry]) -> str:
    """The business's entries as CSV, one row per entry, amounts as plain decimals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(
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
                _cell_text(e.reason),
                e.created_at.isoformat(),
            ]
        )
    return out.getvalue()
