from decimal import Decimal

import pytest

from refairn.commissions.domain.entries import Accrual, AccrualKind, Ledger
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.reconciliation import plan_run, reversal_of

NOV = Period(2026, 11)


def support_entry(customer_id: str, amount: str = "10.00") -> Accrual:
    return Accrual(
        ledger=Ledger.SUPPORT,
        kind=AccrualKind.SUPPORT_MONTHLY,
        business_id="b1",
        agent_id="a1",
        customer_id=customer_id,
        period=NOV,
        amount=Decimal(amount),
        key=f"support:support_monthly:b1:{customer_id}:a1:2026-11",
    )


def test_plan_run_creates_only_what_is_missing() -> None:
    expected = [support_entry("c1"), support_entry("c2"), support_entry("c3")]
    first = plan_run(expected, set())
    assert first == expected
    assert plan_run(expected, {entry.key for entry in first}) == []
    assert plan_run(expected, {expected[1].key}) == [expected[0], expected[2]]


def test_plan_run_refuses_two_entries_with_one_key() -> None:
    with pytest.raises(ValueError, match="share the key"):
        plan_run([support_entry("c1"), support_entry("c1", "5.00")], set())


def test_reversal_mirrors_the_entry_it_corrects() -> None:
    original = support_entry("c1", "12.67")
    reversal = reversal_of(original)
    assert reversal.amount == Decimal("-12.67")
    assert reversal.key == "reverse:support:support_monthly:b1:c1:a1:2026-11"
    assert reversal.reverses == original.key
    assert (reversal.ledger, reversal.kind, reversal.agent_id, reversal.customer_id) == (
        Ledger.SUPPORT,
        AccrualKind.SUPPORT_MONTHLY,
        "a1",
        "c1",
    )
    assert reversal.period == NOV
    assert plan_run([reversal], {original.key, reversal.key}) == []


def test_a_reversal_is_not_reversed() -> None:
    with pytest.raises(ValueError, match="already a reversal"):
        reversal_of(reversal_of(support_entry("c1")))


def test_entries_must_be_rounded_and_in_their_kinds_ledger() -> None:
    with pytest.raises(ValueError, match="rounded"):
        support_entry("c1", "3.333")
    with pytest.raises(ValueError, match="ledger"):
        Accrual(
            Ledger.REFERRAL,
            AccrualKind.SUPPORT_MONTHLY,
            "b1",
            "a1",
            "c1",
            NOV,
            Decimal("1.00"),
            "k",
        )
