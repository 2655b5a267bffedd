"""A valid payload for any catalogued event, for tests that need some notification sent."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from refairn.notifications.domain.catalogue import BY_TYPE
from tests.support import T0

_SAMPLES: dict[str, Any] = {
    "id": lambda: uuid.uuid4(),
    "ids": lambda: [],
    "string": lambda: "sample",
    "datetime": lambda: T0,
    "integer": lambda: 1,
    "boolean": lambda: False,
    "money": lambda: {"amount": Decimal("1.00"), "currency": "EUR"},
}


def sample_data(event_type: str, **given: Any) -> dict[str, Any]:
    """Every field of ``event_type`` with a value of its type; ``given`` ones win."""
    data = {f.name: _SAMPLES[f.type]() for f in BY_TYPE[event_type].fields}
    return {**data, **given}


def send_kw(event_type: str, **given: Any) -> dict[str, Any]:
    """``event``, ``kind`` and ``data`` for ``notification_send``."""
    return {
        "event": event_type,
        "kind": event_type.replace(".", "_"),
        "data": sample_data(event_type, **given),
    }
