"""``{{ amount|money:currency }}``: an amount as people read it ("$1,234.50", "€20.00",
"CHF12.00" in en_US), by Babel's CLDR data. Amounts stay Decimal (or their exact string form from an
API schema); nothing here rounds more than the currency's own digits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency
from django import template

register = template.Library()

# One locale for the whole UI until the UI is translated: English conventions, any currency.
LOCALE = "en_US"
MISSING = "—"


@register.filter
def money(amount: Decimal | str | None, currency: str) -> str:
    if amount is None or amount == "":
        return MISSING
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return format_currency(value, currency, locale=LOCALE)
