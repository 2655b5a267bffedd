"""Ledger entries produced by an accrual run (PRODUCT.md §10: two ledgers kept apart, each
accrual with a unique key so that running the month twice pays once)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from refairn.commissions.domain.periods import Period
from refairn.core.money import require_decimal, round_money


class Ledger(StrEnum):
    REFERRAL = "referral"
    SUPPORT = "support"


class AccrualKind(StrEnum):
    REFERRAL_ONE_OFF = "referral_one_off"
    REFERRAL_RECURRING = "referral_recurring"
    SUPPORT_MONTHLY = "support_monthly"

    @property
    def ledger(self) -> Ledger:
        if self is AccrualKind.SUPPORT_MONTHLY:
            return Ledger.SUPPORT
        return Ledger.REFERRAL


class ReversalCode(StrEnum):
    """Why a ledger entry is reversed (issue 11: earnings are reversed only as a stated
    correction, never on a free-text whim)."""

    CUSTOMER_REFUNDED = "customer_refunded"
    CHARGEBACK = "chargeback"
    DUPLICATE_ENTRY = "duplicate_entry"
    FRAUD = "fraud"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


REVERSAL_PREFIX = "reverse:"


@dataclass(frozen=True, slots=True)
class Accrual:
    """One ledger entry to write. `key` is its idempotency key (unique per ledger entry ever);
    `reverses` is the key of the entry a correction reverses, None for an accrual.

    `period` is the month the entry belongs to; for a one-off, the month of the first
    subscription."""

    ledger: Ledger
    kind: AccrualKind
    business_id: str
    agent_id: str
    customer_id: str
    period: Period
    amount: Decimal
    key: str
    reverses: str | None = None

    def __post_init__(self) -> None:
        if self.kind.ledger is not self.ledger:
            raise ValueError(f"kind {self.kind} does not belong to the {self.ledger} ledger")
        amount = require_decimal(self.amount, "amount")
        if round_money(amount) != amount:
            raise ValueError(f"entry amount {amount} is not rounded to the cent")


# The keys' fixed parts, formatted once: a run makes a key per entry.
_ONE_OFF = f"{Ledger.REFERRAL.value}:{AccrualKind.REFERRAL_ONE_OFF.value}"
_RECURRING = f"{Ledger.REFERRAL.value}:{AccrualKind.REFERRAL_RECURRING.value}"
_SUPPORT = f"{Ledger.SUPPORT.value}:{AccrualKind.SUPPORT_MONTHLY.value}"


def one_off_key(business_id: str, customer_id: str) -> str:
    """No agent and no period: the one-off pays once per customer ever, even if the referring
    agent is edited afterwards."""
    return f"{_ONE_OFF}:{business_id}:{customer_id}"


def recurring_key(business_id: str, customer_id: str, period: Period) -> str:
    """No agent: a customer has one referrer, so a month of referral pays once per customer even
    if the referring agent is edited between two runs."""
    return f"{_RECURRING}:{business_id}:{customer_id}:{period}"


def support_key(business_id: str, customer_id: str, agent_id: str, period: Period) -> str:
    """With the agent: after a handover two agents are each owed their days of the month."""
    return f"{_SUPPORT}:{business_id}:{customer_id}:{agent_id}:{period}"
