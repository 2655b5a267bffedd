"""PRODUCT.md §10: "running the monthly accrual twice, or twice at once, pays once", and a run
interrupted half-way then started again ends with the ledger of one clean run."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from refairn.accounts.models import User
from refairn.commissions import ledger_append
from refairn.commissions.models import CommissionRun, ReferralEntry, SupportEntry
from refairn.commissions.services import RunResult, commission_run
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import amounts, at, make_agent, make_customer, run
from refairn.core import clock
from refairn.programs.models import Business
from refairn.programs.services import business_create
from tests.support import make_user


def build(business: Business, referrer: User, supporter: User, customers: int) -> None:
    """Every customer referred by ``referrer`` and supported by ``supporter`` from a different
    day of October: one one-off, one recurring and one support entry each for October."""
    make_agent(business, referrer)
    make_agent(business, supporter)
    support_facts.grant(business, supporter, at(2026, 1, 1))
    for n in range(customers):
        customer = make_customer(
            business,
            value=f"{100 + n}.00",
            subscribed_at=at(2026, 10, 1 + n % 28, 9),
            referred_by=referrer,
            name=f"C{n}",
        )
        support_facts.assign(customer, supporter, at(2026, 10, 2 + n % 28, 15))


def ledger(business: Business) -> tuple[dict[Any, str], dict[Any, str]]:
    return amounts(business, "referral"), amounts(business, "support")


@pytest.mark.django_db
def test_an_interrupted_run_completed_by_a_rerun_equals_one_clean_run(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    referrer, supporter = make_user("ref@x.test"), make_user("sup@x.test")
    clean, interrupted = (
        business_create(user=alice, name="Clean"),
        business_create(user=alice, name="Interrupted"),
    )
    for business in (clean, interrupted):
        build(business, referrer, supporter, customers=6)
    run(clean, "2026-10")

    monkeypatch.setattr(ledger_append, "BATCH_SIZE", 1)
    real_insert = ledger_append.insert_batch
    written: list[int] = []

    def crash_after_five(model: Any, rows: list[Any]) -> int:
        if len(written) == 5:
            raise RuntimeError("worker killed")
        written.append(real_insert(model, rows))
        return written[-1]

    monkeypatch.setattr(ledger_append, "insert_batch", crash_after_five)
    with pytest.raises(RuntimeError, match="worker killed"):
        run(interrupted, "2026-10")
    monkeypatch.setattr(ledger_append, "insert_batch", real_insert)

    partial = ReferralEntry.objects.filter(business=interrupted).count()
    partial += SupportEntry.objects.filter(business=interrupted).count()
    assert partial == 5
    unfinished = CommissionRun.objects.get(business=interrupted)
    assert unfinished.finished_at is None

    completed = run(interrupted, "2026-10")

    assert (completed.entries_created, completed.entries_existing) == (13, 5)
    assert ledger(interrupted) == ledger(clean)
    assert len(ledger(clean)[0]) + len(ledger(clean)[1]) == 18
    assert run(interrupted, "2026-10").entries_created == 0


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers (one write transaction at a time): two runs cannot "
    "overlap there, so only PostgreSQL can show the unique key arbitrating concurrent runs",
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_write_each_entry_once(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    business = business_create(user=alice, name="Concurrent")
    build(business, make_user("ref@x.test"), make_user("sup@x.test"), customers=30)
    # One row per transaction: the two runs interleave as much as they can.
    monkeypatch.setattr(ledger_append, "BATCH_SIZE", 1)
    start = threading.Barrier(2)
    results: list[RunResult] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        try:
            start.wait(timeout=10)
            # The clock override is per thread: set it in each.
            with clock.frozen(at(2026, 11, 1, 1)):
                results.append(commission_run(actor=None, business=business, period="2026-10"))
        except BaseException as exc:  # reported by the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == 2
    referral = ReferralEntry.objects.filter(business=business)
    support = SupportEntry.objects.filter(business=business)
    assert referral.count() == 60 and support.count() == 30
    assert len(set(referral.values_list("key", flat=True))) == 60
    assert sum(r.entries_created for r in results) == 90
    assert all(r.entries_created + r.entries_existing == 90 for r in results)
    assert run(business, "2026-10").entries_created == 0
