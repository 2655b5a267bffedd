from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.core.money import CurrencyMismatch, Money, parse_amount, round_money, to_api


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("10.00") / 3, "3.33"),
        (Decimal("20.00") / 3, "6.67"),
        (Decimal("0.125"), "0.13"),
        (Decimal("2.675"), "2.68"),
        (Decimal("0.005"), "0.01"),
        (Decimal("0.00499999"), "0.00"),
        (Decimal("-0.125"), "-0.13"),
        (Decimal("7"), "7.00"),
    ],
)
def test_round_money_rounds_to_the_cent_half_up(amount: Decimal, expected: str) -> None:
    assert str(round_money(amount)) == expected


def test_round_money_handles_amounts_beyond_default_precision() -> None:
    assert round_money(Decimal("1E+40")) == Decimal("1E+40")


@pytest.mark.parametrize("bad", [0.1, Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_round_money_refuses_floats_and_non_finite(bad: object) -> None:
    with pytest.raises(ValueError):
        round_money(bad)  # type: ignore[arg-type]


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9))
def test_round_money_is_within_half_a_cent_and_idempotent(amount: Decimal) -> None:
    rounded = round_money(amount)
    assert abs(rounded - amount) <= Decimal("0.005")
    assert round_money(rounded) == rounded
    assert round_money(-amount) == -rounded


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5", "12.50"),
        ("12.50", "12.50"),
        ("0", "0.00"),
        ("-3.10", "-3.10"),
        ("1.500", "1.50"),
        (7, "7.00"),
        (Decimal("9.99"), "9.99"),
    ],
)
def test_parse_amount_accepts_cents(raw: str | Decimal | int, expected: str) -> None:
    assert str(parse_amount(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (12.5, "not a float"),
        (0.1, "not a float"),
        ("NaN", "finite"),
        (Decimal("NaN"), "finite"),
        (Decimal("sNaN"), "finite"),
        ("Infinity", "finite"),
        (Decimal("-Infinity"), "finite"),
        ("1.005", "more than 2 decimal places"),
        ("12.345", "more than 2 decimal places"),
        (Decimal("0.001"), "more than 2 decimal places"),
        ("1e2", "plain digits"),
        (" 1.00", "plain digits"),
        ("+1.00", "plain digits"),
        ("abc", "not a decimal number"),
        ("", "not a decimal number"),
        (True, "boolean"),
    ],
)
def test_parse_amount_rejects_with_a_clear_message(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(raw)  # type: ignore[arg-type]


@given(
    st.decimals(
        places=2, allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9
    )
)
def test_api_amount_parses_back_to_the_same_value(amount: Decimal) -> None:
    money = Money(amount, "EUR")
    assert parse_amount(to_api(money)["amount"]) == amount


def test_money_adds_and_subtracts_in_one_currency() -> None:
    a, b = Money(Decimal("10.25"), "USD"), Money(Decimal("0.75"), "USD")
    assert a + b == Money(Decimal("11.00"), "USD")
    assert a - b == Money(Decimal("9.50"), "USD")
    assert -a == Money(Decimal("-10.25"), "USD")
    assert a * 3 == Money(Decimal("30.75"), "USD")
    assert Decimal("0.5") * a == Money(Decimal("5.125"), "USD")
    assert (a * Decimal("0.5")).rounded() == Money(Decimal("5.13"), "USD")
    assert b < a and a >= b and not a <= b


def test_money_refuses_mixing_currencies() -> None:
    usd, eur = Money(Decimal(1), "USD"), Money(Decimal(1), "EUR")
    with pytest.raises(CurrencyMismatch):
        usd + eur
    with pytest.raises(CurrencyMismatch):
        usd - eur
    with pytest.raises(CurrencyMismatch):
        usd < eur  # noqa: B015


def test_money_refuses_float_factors() -> None:
    with pytest.raises(TypeError):
        Money(Decimal(1), "USD") * 0.5  # type: ignore[operator]


@pytest.mark.parametrize("currency", ["usd", "US", "USDD", "U$D", ""])
def test_money_requires_an_iso_currency_code(currency: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal(1), currency)


def test_money_refuses_float_amounts() -> None:
    with pytest.raises(ValueError, match="not a float"):
        Money(1.5, "USD")  # type: ignore[arg-type]


def test_money_parse_uses_parse_amount() -> None:
    assert Money.parse("12.5", "USD") == Money(Decimal("12.50"), "USD")
    with pytest.raises(ValueError):
        Money.parse("1.005", "USD")


def test_to_api_formats_two_decimals() -> None:
    assert to_api(Money(Decimal("12.5"), "USD")) == {"amount": "12.50", "currency": "USD"}
    assert to_api(Money(Decimal("1E+2"), "USD")) == {"amount": "100.00", "currency": "USD"}
    assert to_api(Money(Decimal("-0.00"), "USD")) == {"amount": "0.00", "currency": "USD"}
    assert to_api(Money.zero("JPY")) == {"amount": "0.00", "currency": "JPY"}


def test_to_api_refuses_unrounded_amounts() -> None:
    with pytest.raises(ValueError, match="not rounded"):
        to_api(Money(Decimal("0.125"), "USD"))
