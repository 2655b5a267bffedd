from decimal import Decimal

import pytest

from refairn.core.templatetags.money import money


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("12000.00"), "USD", "$12,000.00"),
        ("1234.5", "EUR", "€1,234.50"),
        (Decimal("-20.00"), "USD", "-$20.00"),
        ("0.01", "CHF", "CHF0.01"),
        (None, "USD", "—"),
    ],
)
def test_amounts_read_as_money(amount: object, currency: str, shown: str) -> None:
    assert money(amount, currency) == shown  # type: ignore[arg-type]
