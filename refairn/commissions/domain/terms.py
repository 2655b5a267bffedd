"""A business's commission terms (PRODUCT.md §2 "commissions"; API.md `referral_terms`,
`support_terms`). Percentages are written as percents: Decimal("10") is 10 %."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from refairn.core.money import require_decimal, round_money

HUNDRED = Decimal(100)
# Fifty years of a subscription is the longest a recurring referral commission may run.
MAX_RECURRING_MONTHS = 600
# Amounts a commission term may name: the ledgers store at most 12 digits with 2 decimals.
MAX_AMOUNT = Decimal("9999999999.99")


class TermsError(ValueError):
    """Commission terms the rules refuse; ``field`` names the term."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _check_amount(value: Decimal, what: str) -> None:
    if round_money(require_decimal(value, what)) != value:
        raise TermsError(what, f"{value} has more than 2 decimal places")
    if not 0 <= value <= MAX_AMOUNT:
        raise TermsError(what, f"must be from 0 to {MAX_AMOUNT}, got {value}")


def _check_percent(value: Decimal, what: str) -> None:
    if not 0 <= require_decimal(value, what) <= HUNDRED:
        raise TermsError(what, f"must be between 0 and 100, got {value}")


@dataclass(frozen=True, slots=True)
class ReferralTerms:
    """One-off amount on the customer's first subscription, and a recurring percent of the
    monthly value, optionally limited to `recurring_months` months. None switches a part off."""

    one_off_amount: Decimal | None = None
    recurring_percent: Decimal | None = None
    recurring_months: int | None = None

    def __post_init__(self) -> None:
        if self.one_off_amount is not None:
            _check_amount(self.one_off_amount, "one_off_amount")
        if self.recurring_percent is not None:
            _check_percent(self.recurring_percent, "recurring_percent")
        if self.recurring_months is not None:
            if isinstance(self.recurring_months, bool) or not isinstance(
                self.recurring_months, int
            ):
                raise TermsError("recurring_months", "must be a whole number of months or none")
            if not 1 <= self.recurring_months <= MAX_RECURRING_MONTHS:
                raise TermsError(
                    "recurring_months", f"must be from 1 to {MAX_RECURRING_MONTHS} months"
                )
            if self.recurring_percent is None:
                raise TermsError("recurring_months", "needs a recurring_percent to limit")


@dataclass(frozen=True, slots=True)
class SupportTerms:
    """Per assigned customer per month: a fixed amount or a percent of the customer's monthly
    value — exactly one of the two."""

    monthly_amount: Decimal | None = None
    monthly_percent: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.monthly_amount is None) == (self.monthly_percent is None):
            raise TermsError(
                "monthly_amount", "set exactly one of monthly_amount or monthly_percent"
            )
        if self.monthly_amount is not None:
            _check_amount(self.monthly_amount, "monthly_amount")
        if self.monthly_percent is not None:
            _check_percent(self.monthly_percent, "monthly_percent")

    def monthly_base(self, monthly_value: Decimal) -> Decimal:
        """The full-month amount for a customer of this monthly value, unrounded."""
        if self.monthly_amount is not None:
            return self.monthly_amount
        assert self.monthly_percent is not None  # guaranteed by __post_init__
        return monthly_value * self.monthly_percent / HUNDRED
