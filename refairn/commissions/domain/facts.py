"""The plain facts an accrual run reads of customers (PRODUCT.md §10); the support side's facts
are ``support_facts``, which the referral ledger's writer never reads. Services build them from
the database; the accrual functions never see a model, a request or the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from refairn.commissions.domain.intervals import Interval
from refairn.commissions.domain.periods import require_aware
from refairn.core.money import require_decimal, round_money


def require_id(value: str, what: str) -> str:
    """Ids are opaque strings, but they are joined with ":" into idempotency keys, so a ":"
    inside one could make two different entries share a key."""
    if not isinstance(value, str) or not value or ":" in value:
        raise ValueError(f"{what} must be a non-empty string without ':', got {value!r}")
    return value


def require_intervals(intervals: tuple[Interval, ...], what: str) -> None:
    if not isinstance(intervals, tuple) or not all(isinstance(i, Interval) for i in intervals):
        raise ValueError(f"{what} must be a tuple of Interval")


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """A customer of the business: who referred them, what they pay per month, and when they
    were subscribed. `first_subscribed_at` is None for a customer who never subscribed."""

    customer_id: str
    referred_by: str | None
    monthly_value: Decimal
    subscribed: tuple[Interval, ...]
    first_subscribed_at: datetime | None

    def __post_init__(self) -> None:
        require_id(self.customer_id, "customer_id")
        if self.referred_by is not None:
            require_id(self.referred_by, "referred_by")
        value = require_decimal(self.monthly_value, "monthly_value")
        if value < 0 or round_money(value) != value:
            raise ValueError(f"monthly_value {value} must be a non-negative amount in cents")
        require_intervals(self.subscribed, "subscribed")
        if self.first_subscribed_at is None:
            if self.subscribed:
                raise ValueError("a customer with subscription intervals needs first_subscribed_at")
            return
        first = require_aware(self.first_subscribed_at, "first_subscribed_at")
        object.__setattr__(self, "first_subscribed_at", first)
        if self.subscribed and first > min(i.start for i in self.subscribed):
            raise ValueError("first_subscribed_at is later than a subscription interval")
