"""The reports as JSON-ready values (PRODUCT.md §8 "as JSON"; API.md reports).

The JSON mirrors the dataclass tree field by field, so it cannot drift from what the text and
CSV show. Decimals are strings ("81.0"), datetimes ISO 8601 in UTC, enums their value. A
``Ratio`` is ``{"part", "whole", "percent"}`` and a ``Mean`` ``{"total", "count", "value"}``:
the exact counts, plus the figure rounded half up (percent to 0.1, mean to 0.01; null when the
denominator is 0), so a client can show either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import TypeAlias

from refairn.reporting.domain.dashboard import Dashboard
from refairn.reporting.domain.metrics import Mean, Ratio
from refairn.reporting.domain.quarterly import QuarterlyReport

JsonValue: TypeAlias = str | int | bool | list["JsonValue"] | dict[str, "JsonValue"] | None


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def to_json(value: object) -> JsonValue:
    """One report value as JSON (module docs); anything else is a programming error."""
    if isinstance(value, Enum):
        return to_json(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Ratio):
        return {"part": value.part, "whole": value.whole, "percent": _decimal(value.percent(1))}
    if isinstance(value, Mean):
        return {"total": value.total, "count": value.count, "value": _decimal(value.value(2))}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def _object(value: object) -> dict[str, JsonValue]:
    result = to_json(value)
    if not isinstance(result, dict):
        raise TypeError(f"expected a JSON object for {type(value).__name__}")
    return result


def dashboard_to_json(dashboard: Dashboard) -> dict[str, JsonValue]:
    """PRODUCT.md §8: the dashboard as JSON (module docs)."""
    return _object(dashboard)


def quarterly_to_json(report: QuarterlyReport) -> dict[str, JsonValue]:
    """PRODUCT.md §8: the quarterly report as JSON (module docs)."""
    return _object(report)
