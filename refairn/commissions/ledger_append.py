"""Appending entries to one ledger table, whichever it is (PRODUCT.md §10).

Shared by the two ledger writers, ``referral_ledger`` and ``support_ledger``. The table is an
argument: this module names neither ledger, so a module that can reach it still cannot write to
the referral ledger unless it holds ``ReferralEntry`` itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TypeVar

from django.db import transaction

from refairn.commissions.domain.entries import Accrual, AccrualKind, ReversalCode
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.reconciliation import plan_run, reversal_of
from refairn.commissions.models.ledger import LedgerEntry
from refairn.core import clock

# Rows per INSERT (and per key lookup): each batch is its own short transaction, so a long run
# keeps what it finished if it is interrupted, and the rerun writes only the rest.
BATCH_SIZE = 500

Entry = TypeVar("Entry", bound=LedgerEntry)
T = TypeVar("T")


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row(
    model: type[Entry], accrual: Accrual, *, currency: str, run_id: uuid.UUID, now: datetime
) -> Entry:
    return model(
        business_id=accrual.business_id,
        agent_id=accrual.agent_id,
        customer_id=accrual.customer_id,
        kind=accrual.kind.value,
        period=str(accrual.period),
        amount=accrual.amount,
        currency=currency,
        key=accrual.key,
        run_id=run_id,
        created_at=now,
    )


def insert_batch(model: type[Entry], rows: list[Entry]) -> None:
    """One batch in its own transaction. ON CONFLICT DO NOTHING: when a concurrent run has
    written a key first, the database's unique index decides and this row is skipped."""
    with transaction.atomic():
        model.objects.bulk_create(rows, ignore_conflicts=True)


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
        insert_batch(
            model, [_row(model, a, currency=currency, run_id=run_id, now=now) for a in batch]
        )


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
