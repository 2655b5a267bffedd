"""PRODUCT.md §10: ledger entries are append-only, in the code and in the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from refairn.commissions.models import LedgerIsAppendOnly, ReferralEntry, SupportEntry
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_customer, run

pytestmark = pytest.mark.django_db

MODELS = [ReferralEntry, SupportEntry]


@pytest.fixture
def ledgers(business_a: Any, bob: Any, dana: Any) -> None:
    customer = make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob)
    support_facts.assign(customer, dana, at(2026, 10, 3))
    run(business_a, "2026-10")
    assert ReferralEntry.objects.exists()
    assert SupportEntry.objects.exists()


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        (str(e.pk), e.key, e.amount, e.period, e.kind)
        for model in MODELS
        for e in model.objects.all()
    )


@pytest.mark.parametrize("model", MODELS)
def test_saving_an_existing_entry_is_refused(ledgers: None, model: Any) -> None:
    before = snapshot()
    entry = model.objects.first()
    entry.amount = Decimal("999.00")
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.save(update_fields=["amount"])
    assert snapshot() == before


@pytest.mark.parametrize("model", MODELS)
def test_deleting_an_entry_is_refused(ledgers: None, model: Any) -> None:
    before = snapshot()
    with pytest.raises(LedgerIsAppendOnly):
        model.objects.first().delete()
    with pytest.raises(LedgerIsAppendOnly):
        model.objects.all().delete()
    assert snapshot() == before


@pytest.mark.parametrize("model", MODELS)
def test_queryset_updates_are_refused(ledgers: None, model: Any) -> None:
    before = snapshot()
    with pytest.raises(LedgerIsAppendOnly):
        model.objects.all().update(amount=Decimal("0.01"))
    # bulk_update opens an atomic block without a savepoint; give it one of its own.
    with pytest.raises(LedgerIsAppendOnly), transaction.atomic():
        model.objects.bulk_update(list(model.objects.all()), ["amount"])
    assert snapshot() == before


@pytest.mark.parametrize("table", ["commissions_referralentry", "commissions_supportentry"])
def test_the_database_refuses_raw_updates_and_deletes(ledgers: None, table: str) -> None:
    before = snapshot()
    for statement in (f"UPDATE {table} SET amount = 0", f"DELETE FROM {table}"):  # noqa: S608
        # The savepoint keeps the test's transaction usable after the refusal.
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert snapshot() == before
