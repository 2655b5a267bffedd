"""Money for the whole platform: a Decimal amount with an explicit currency, one rounding rule.

PRODUCT.md §2: "Money is Decimal with a currency." Floats never enter: they cannot represent
most cent values exactly, so every entry point refuses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_CONTEXT = Context(prec=28)

_CURRENCY = re.compile(r"[A-Z]{3}")
# Plain digits only: no exponent ("1E+2"), no whitespace, no "+" sign, no unicode digits.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined or compared."""

    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine {left} with {right}")
        self.left = left
        self.right = right


def require_decimal(value: object, what: str) -> Decimal:
    """Return `value` if it is a finite Decimal; floats, NaN and infinities raise ValueError."""
    if isinstance(value, float):
        raise ValueError(f"{what} must be a Decimal, not a float ({value!r})")
    if not isinstance(value, Decimal):
        raise ValueError(f"{what} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value}")
    return value


def round_money(amount: Decimal) -> Decimal:
    """Round an amount to the cent, half up — the platform's only rounding function.

    PRODUCT.md §10 / STYLE.md "one rounding function". ROUND_HALF_UP is the rule people learn at
    school, so anyone checking a statement by hand gets the same cent (banker's rounding would
    surprise them on every .xx5). Decimal's HALF_UP rounds ties away from zero, so a reversing
    entry is always the exact mirror of the entry it reverses. It is applied once per ledger
    entry, to the final value; rounding intermediate values (a rate, a daily share) would let
    errors accumulate and make the result depend on the order of operations.
    """
    value = require_decimal(amount, "amount")
    # quantize fails when the result has more digits than the context's precision: an
    # amount too large for ``_CONTEXT`` gets a context of its own (a ledger run rounds
    # hundreds of thousands of ordinary amounts, issue 17).
    digits = value.adjusted() + 4
    context = _CONTEXT if digits <= _CONTEXT.prec else Context(prec=digits)
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=context)


def parse_amount(value: str | Decimal | int) -> Decimal:
    """Parse a money amount from user input into a Decimal with exactly two decimal places.

    PRODUCT.md §2 / API.md conventions: amounts are decimal strings such as "12.50". Rejects
    floats, NaN, infinities, exponent notation and values with non-zero digits beyond the cent
    ("1.005"); trailing zeros ("1.500") are accepted because they lose nothing.
    """
    if isinstance(value, bool):
        raise ValueError("amount must be a number, not a boolean")
    if isinstance(value, int):
        parsed = Decimal(value)
    elif isinstance(value, str):
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"amount {value!r} is not a decimal number") from None
        require_decimal(parsed, "amount")
        if not _PLAIN_DECIMAL.fullmatch(value):
            raise ValueError(f"amount {value!r} must be written as plain digits, e.g. '12.50'")
    else:
        parsed = require_decimal(value, "amount")
    cents = round_money(parsed)
    if cents != parsed:
        raise ValueError(f"amount {value!s} has more than 2 decimal places")
    return cents


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one ISO 4217 currency. Amounts may carry more than two decimals while a
    computation is in progress; round with `rounded()` once, when the final value is known."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        require_decimal(self.amount, "amount")
        if not isinstance(self.currency, str) or not _CURRENCY.fullmatch(self.currency):
            raise ValueError(f"currency {self.currency!r} must be 3 upper-case letters (ISO 4217)")

    @classmethod
    def parse(cls, amount: str | Decimal | int, currency: str) -> Money:
        return cls(parse_amount(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(ZERO, currency)

    def rounded(self) -> Money:
        return Money(round_money(self.amount), self.currency)

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"expected Money, got {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise TypeError(f"Money can only be multiplied by a Decimal or an int, not {factor!r}")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount >= other.amount


def to_api(money: Money) -> dict[str, str]:
    """API.md conventions: money is `{"amount": "12.50", "currency": "USD"}`.

    Refuses an amount that is not already to the cent: rounding belongs to the ledger entry,
    never to its presentation.
    """
    cents = round_money(money.amount)
    if cents != money.amount:
        raise ValueError(f"{money.amount} is not rounded to the cent; round it before output")
    # "-0.00" is a Decimal artefact nobody should read on a statement.
    return {"amount": f"{cents if cents else ZERO:f}", "currency": money.currency}
