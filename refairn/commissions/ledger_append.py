"""Appending entries to one ledger table, whichever it is (PRODUCT.md §10).

Shared by the two ledger writers, ``referral_ledger`` and ``support_ledger``. The table is an
argument: this module names neither ledger, so a module that can reach it still cannot write to
the referral ledger unless it holds ``ReferralEntry`` itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models.constants import OnConflict

from refairn.commissions.domain.entries import Accrual, AccrualKind, ReversalCode
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.reconciliation import plan_run, reversal_of
from refairn.commissions.models.ledger import LedgerEntry
from refairn.core import clock

# Rows per INSERT (and per key lookup): each batch is its own short transaction, so a long run
# keeps what it finished if it is interrupted, and the rerun writes only the rest. Each commit
# waits for the disk, so batches are large: 2,000 rows of 12 values stay well under both
# engines' limits on parameters per statement.
BATCH_SIZE = 2000

Entry = TypeVar("Entry", bound=LedgerEntry)
T = TypeVar("T")


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rows(
    accruals: Sequence[Accrual], *, currency: str, run_id: uuid.UUID, now: datetime
) -> list[tuple[Any, ...]]:
    """The accruals as rows of ``COLUMNS``, values already in the database's own form: a
    run writes hundreds of thousands of rows, and building and compiling a model instance for
    each one cost most of a run (issue 17)."""
    ops, native_uuid = connection.ops, connection.features.has_native_uuid_field

    def db_uuid(value: uuid.UUID | str) -> object:
        value = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
        return value if native_uuid else value.hex

    created_at, run = ops.adapt_datetimefield_value(now), db_uuid(run_id)
    return [
        (
            db_uuid(uuid.uuid4()),
            db_uuid(a.business_id),
            db_uuid(a.agent_id),
            db_uuid(a.customer_id),
            a.kind.value,
            str(a.period),
            ops.adapt_decimalfield_value(a.amount, 12, 2),
            currency,
            a.key,
            run,
            created_at,
            "",
        )
        for a in accruals
    ]


COLUMNS = (
    "id",
    "business_id",
    "agent_id",
    "customer_id",
    "kind",
    "period",
    "amount",
    "currency",
    "key",
    "run_id",
    "created_at",
    "reason",
)


def insert_batch(model: type[Entry], rows: list[tuple[Any, ...]]) -> None:
    """One batch in its own transaction. Conflicts are ignored (ON CONFLICT DO NOTHING, as
    ``bulk_create(ignore_conflicts=True)`` writes it): when a concurrent run has written a key
    first, the database's unique index decides and this row is skipped."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(column) for column in COLUMNS)
    marks = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    insert = f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({columns}) VALUES"
    ignore = ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite's executemany is a loop in C over one prepared statement.
            cursor.executemany(f"{insert} {marks} {ignore}", rows)
        else:
            # One statement per batch: a driver's executemany is a round trip per row.
            values = ", ".join([marks] * len(rows))
            cursor.execute(f"{insert} {values} {ignore}", [v for row in rows for v in row])


def append_accruals(
    model: type[Entry], accruals: Sequence[Accrual], *, currency: str, run_id: uuid.UUID
) -> None:
    """Insert the accruals whose key is not in the ledger yet, tagged with ``run_id``.

    Batches go in ascending key order: two concurrent runs then take the unique index's row
    locks in the same order, so one waits for the other instead of deadlocking.
    """
    existing: set[str] = set()
    for keys in _batches([accrual.key for accrual in accruals], BATCH_SIZE):
        existing.update(model.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = sorted(plan_run(accruals, existing), key=lambda accrual: accrual.key)
    now = clock.now()
    for batch in _batches(missing, BATCH_SIZE):
        insert_batch(model, _rows(batch, currency=currency, run_id=run_id, now=now))


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
