"""Plain-text building blocks for the seed's report layouts (PRODUCT.md §8 "plain text in the
seed's layout"): figure formats and aligned tables.

Formats: shares show one decimal ("95.2%") except a full 100 ("100%", as the seed writes it);
the routing block shows whole percents ("82%") and the escalation rate one decimal ("6.8%");
money has thousands separators and cents only when there are any ("$12,000"); a missing figure
is "—". Tables pad by display width, so ✅ and 🌟 (two terminal columns) stay aligned.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_currency

from refairn.reporting.domain.metrics import Mean, Ratio, round_half_up
from refairn.reporting.domain.periods import Period

MISSING = "—"
# Money reads with English conventions, whatever the process locale.
LOCALE = "en_US"
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\ufe0e\ufe0f")
_HUNDRED = Decimal(100)
# English month names whatever the process locale (strftime's %B follows it).
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide and full-width characters (emoji) take two,
    combining marks and joiners none."""
    width = 0
    for char in text:
        if char in _ZERO_WIDTH or unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` display columns."""
    return text + " " * max(0, width - display_width(text))


def plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 80.00 -> "80", 62.50 -> "62.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def share(ratio: Ratio, places: int = 1) -> str:
    """A share as the seed writes it: "95.2%", but "100%" for a full house."""
    value = ratio.percent(places)
    if value is None:
        return MISSING
    return "100%" if value == _HUNDRED else f"{value}%"


def percent(value: Decimal | None) -> str:
    """A percentage as given, without trailing zeros: a target of 80.00 is "80%"."""
    return MISSING if value is None else f"{plain(value)}%"


def whole_percent(value: Decimal) -> str:
    """A percentage rounded half up to a whole number: 61.5 -> "62%"."""
    return f"{round_half_up(Fraction(value))}%"


def month_title(period: Period) -> str:
    """ "January 2026" for the month starting on 1 January 2026."""
    return f"{_MONTHS[period.start.month - 1]} {period.start.year}"


def rating(mean: Mean) -> str:
    """A mean rating out of 5 as the seed writes CSAT: "4.5/5.0"."""
    value = mean.value(1)
    return MISSING if value is None else f"{value}/5.0"


def signed(value: Decimal) -> str:
    """A change with its sign: "+0.3", "-52"."""
    return f"+{value}" if value > 0 else f"{value}"


def money(amount: Decimal | None, currency: str) -> str:
    """ "$12,000", "$1,234.50", "CHF12,000" (Babel's en_US conventions; whole amounts without
    cents, as the seed writes them)."""
    if amount is None:
        return MISSING
    cents = amount.quantize(Decimal("0.01"))
    if cents == cents.to_integral_value():
        return format_currency(
            cents, currency, format="¤#,##0", currency_digits=False, locale=LOCALE
        )
    return format_currency(cents, currency, locale=LOCALE)


def per_year(amount: Decimal | None, currency: str) -> str:
    """ "$12,000/year"."""
    return MISSING if amount is None else f"{money(amount, currency)}/year"


def count(value: int) -> str:
    """A count with thousands separators: "1,500"."""
    return f"{value:,}"


def plural(value: int, singular: str) -> str:
    """``3 agents``, ``1 agent``."""
    word = singular if value == 1 else f"{singular}s"
    return f"{count(value)} {word}"


def utc_minute(moment: datetime) -> str:
    """ "2026-01-20 09:00 UTC"."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def period_text(period: Period) -> str:
    """Whole days read as inclusive dates ("2025-10-01 to 2025-12-31"), otherwise minutes."""
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    if all(m.hour == m.minute == m.second == m.microsecond == 0 for m in (start, end)):
        return f"{start:%Y-%m-%d} to {end - timedelta(days=1):%Y-%m-%d}"
    return f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"


def title(text: str) -> list[str]:
    """A title underlined with "=" as long as it is wide."""
    return [text, "=" * display_width(text)]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """The seed's pipe tables: columns padded to their widest cell, a dashed rule under the
    header, and a last column left ragged so no line ends in spaces."""
    widths = [
        max([display_width(header), *(display_width(row[i]) for row in rows)])
        for i, header in enumerate(headers)
    ]
    widths[-1] = display_width(headers[-1])

    def line(cells: Sequence[str]) -> str:
        first, *middle, last = cells
        parts = [pad(first, widths[0]) + " "]
        parts += [f" {pad(cell, widths[i + 1])} " for i, cell in enumerate(middle)]
        parts.append(f" {last}")
        return (indent + "|".join(parts)).rstrip()

    rule = ["-" * (widths[0] + 1)] + ["-" * (width + 2) for width in widths[1:]]
    return [line(headers), indent + "|".join(rule), *(line(row) for row in rows)]
