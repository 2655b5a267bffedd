"""Appending entries to one ledger table, whichever it is (PRODUCT.md §10).

Shared by the two ledger writers, ``referral_ledger`` and ``support_ledger``. The table is an
argument: this module names neither ledger, so a module that can reach it still cannot write to
the referral ledger unless it holds ``ReferralEntry`` itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models.constants import OnConflict

from refairn.commissions.domain.entries import Accrual, AccrualKind, ReversalCode
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.reconciliation import plan_run, reversal_of
from refairn.commissions.models.ledger import LedgerEntry
from refairn.core import clock
from refairn.core.arrays import array_text

# Rows per INSERT: each batch is its own short transaction, so a long run keeps what it
# finished if it is interrupted, and the rerun writes only the rest. Each commit waits for the
# disk and each statement is a round trip, so batches are large (issue 17).
BATCH_SIZE = 5000

Entry = TypeVar("Entry", bound=LedgerEntry)
T = TypeVar("T")


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# The columns each accrual gives its row, in the accrual's own text; the others are shared by
# every row of a run (``SHARED``) or made by the database (``id``).
ROW_COLUMNS = ("business_id", "agent_id", "customer_id", "kind", "period", "amount", "key")
SHARED = ("currency", "run_id", "created_at", "reason")


@dataclass(frozen=True)
class Batch:
    """One INSERT: each accrual's ``ROW_COLUMNS`` as text, and the values of ``SHARED``."""

    rows: list[tuple[str, ...]]
    shared: tuple[Any, ...]


def _batch(
    accruals: Sequence[Accrual], *, currency: str, run_id: uuid.UUID, now: datetime
) -> Batch:
    """The accruals as text: a run writes hundreds of thousands of rows, and building a model
    instance, or converting each value to the driver's type, cost most of a run (issue 17)."""
    ops = connection.ops
    rows: list[tuple[str, ...]] = [
        (
            a.business_id,
            a.agent_id,
            a.customer_id,
            a.kind,
            str(a.period),
            str(a.amount),
            a.key,
        )
        for a in accruals
    ]
    return Batch(rows, (currency, run_id, ops.adapt_datetimefield_value(now), ""))


def insert_batch(model: type[Entry], batch: Batch) -> int:
    """One batch in its own transaction; returns how many rows it wrote. Conflicts are
    ignored (ON CONFLICT DO NOTHING, as ``bulk_create(ignore_conflicts=True)`` writes it): the
    unique key is the one dedupe check, so a key already in the ledger (an earlier or a
    concurrent run wrote it) is skipped, and nothing is ever updated."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(column) for column in ("id", *ROW_COLUMNS, *SHARED))
    insert = f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({columns})"
    ignore = ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    shared = ", ".join(["%s"] * len(SHARED))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column, each sent as the text of the array and unnested into rows
            # by the server: seven parameters whatever the batch size, and no value converted
            # one by one on the way (quoting each element of a list took longer than the
            # insert itself).
            types = {field.column: field.db_type(connection) for field in model._meta.fields}
            arrays = ", ".join(f"%s::{types[column]}[]" for column in ROW_COLUMNS)
            cursor.execute(
                f"{insert} SELECT gen_random_uuid(), *, {shared} FROM unnest({arrays}) {ignore}",  # noqa: S608 - names from the model
                [*batch.shared, *(array_text(column) for column in zip(*batch.rows, strict=True))],
            )
        else:
            # SQLite keeps a UUID as 32 hex digits, made here; its executemany is a loop in C
            # over one prepared statement.
            run_id = batch.shared[1]
            shared_values = (*batch.shared[:1], run_id.hex, *batch.shared[2:])
            marks = ", ".join(["%s"] * (1 + len(ROW_COLUMNS) + len(SHARED)))
            cursor.executemany(
                f"{insert} VALUES ({marks}) {ignore}",
                [
                    (
                        uuid.uuid4().hex,
                        uuid.UUID(business).hex,
                        uuid.UUID(agent).hex,
                        uuid.UUID(customer).hex,
                        kind,
                        period,
                        amount,
                        key,
                        *shared_values,
                    )
                    for business, agent, customer, kind, period, amount, key in batch.rows
                ],
            )
        return max(cursor.rowcount, 0)


def append_accruals(
    model: type[Entry], accruals: Sequence[Accrual], *, currency: str, run_id: uuid.UUID
) -> int:
    """Insert the accruals whose key is not in the ledger yet, tagged with ``run_id``; return
    how many this call wrote.

    Batches go in ascending key order: two concurrent runs then take the unique index's row
    locks in the same order, so one waits for the other instead of deadlocking.
    """
    ordered = sorted(plan_run(accruals, set()), key=lambda accrual: accrual.key)
    now, written = clock.now(), 0
    for batch in _batches(ordered, BATCH_SIZE):
        written += insert_batch(model, _batch(batch, currency=currency, run_id=run_id, now=now))
    return written


def accrual_of(entry: LedgerEntry) -> Accrual:
    """A stored entry as the domain's value (for computing its reversal)."""
    return Accrual(
        ledger=entry.ledger,
        kind=AccrualKind(entry.kind),
        business_id=str(entry.business_id),
        agent_id=str(entry.agent_id),
        customer_id=str(entry.customer_id),
        period=Period.parse(entry.period),
        amount=entry.amount,
        key=entry.key,
        reverses=entry.reverses.key if entry.reverses is not None else None,
    )


def append_reversal(
    model: type[Entry],
    entry: Entry,
    *,
    created_by_id: uuid.UUID,
    code: ReversalCode,
    note: str,
) -> Entry:
    """Post the entry that cancels ``entry`` (``domain.reconciliation.reversal_of``). Raises
    ValueError for a reversal, IntegrityError when ``entry`` was already reversed (its
    reversal's key is taken)."""
    reversal = reversal_of(accrual_of(entry))
    with transaction.atomic():
        return model.objects.create(
            business_id=entry.business_id,
            agent_id=entry.agent_id,
            customer_id=entry.customer_id,
            kind=entry.kind,
            period=entry.period,
            amount=reversal.amount,
            currency=entry.currency,
            key=reversal.key,
            reverses=entry,
            created_by_id=created_by_id,
            reversal_code=code,
            reason=note,
        )
