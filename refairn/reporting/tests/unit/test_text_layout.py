"""Text formats and aligned tables (text_layout module docs)."""

from __future__ import annotations

from decimal import Decimal

from refairn.reporting.domain.metrics import Ratio
from refairn.reporting.domain.text_layout import display_width, money, share, table

D = Decimal


def test_emoji_take_two_columns() -> None:
    assert [display_width(text) for text in ("✅", "❌", "🌟 Master", "⚠ 2 pending", "ab")] == [
        2,
        2,
        9,
        11,
        2,
    ]


def test_shares_show_one_decimal_but_a_full_house_as_100() -> None:
    assert [share(r) for r in (Ratio(42, 42), Ratio(34, 42), Ratio(0, 0))] == ["100%", "81.0%", "—"]
    assert share(Ratio(2, 3), 0) == "67%"


def test_money_formats() -> None:
    assert money(D(12000), "USD") == "$12,000"
    assert money(D("1234.5"), "EUR") == "€1,234.50"
    assert money(D(-89000), "CHF") == "-CHF89,000"


def test_tables_align_by_display_width_and_leave_the_last_column_ragged() -> None:
    lines = table(["Agent", "Done", "Status"], [["Sarah M.", "✅", "🌟 Master"], ["Al", "❌", ""]])

    assert lines == [
        "  Agent    | Done | Status",
        "  ---------|------|--------",
        "  Sarah M. | ✅   | 🌟 Master",
        "  Al       | ❌   |",
    ]
