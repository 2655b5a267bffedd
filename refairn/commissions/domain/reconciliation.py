"""Reconciling a run with the ledger (PRODUCT.md §10: entries are append-only, a correction is
a reversing entry, and running the month twice — or twice at once — pays once)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from refairn.commissions.domain.entries import REVERSAL_PREFIX, Accrual


def plan_run(expected: Iterable[Accrual], existing_keys: set[str]) -> list[Accrual]:
    """The entries of `expected` whose key is not in the ledger yet, in order; a rerun plans
    nothing. Two concurrent runs may plan the same entries: the database's unique key is what
    makes only one of them land."""
    seen: set[str] = set()
    missing: list[Accrual] = []
    for entry in expected:
        if entry.key in seen:
            raise ValueError(f"two expected entries share the key {entry.key}")
        seen.add(entry.key)
        if entry.key not in existing_keys:
            missing.append(entry)
    return missing


def reversal_of(entry: Accrual) -> Accrual:
    """The correcting entry that cancels `entry`: same ledger, kind, parties and period, the
    opposite amount, key "reverse:<key>" (so an entry can be reversed once) and `reverses`
    pointing to the original. A reversal itself is not reversed: post a new accrual instead."""
    if entry.reverses is not None:
        raise ValueError(f"{entry.key} is already a reversal")
    return replace(
        entry, amount=-entry.amount, key=f"{REVERSAL_PREFIX}{entry.key}", reverses=entry.key
    )
