"""One thing to tell some users: what ``notification_send`` records in the app and in the
outbox."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Notice:
    """``user_ids`` are distinct; ``event`` is the catalogued type and ``data`` its own payload
    fields; ``at`` is when it happened (the notification's time and the event's
    ``occurred_at``). With ``dedupe_key``, each user's notification is recorded under
    ``<dedupe_key>:<user>``."""

    user_ids: Sequence[uuid.UUID]
    event: str
    data: Mapping[str, Any]
    kind: str
    text: str
    at: datetime
    business_id: uuid.UUID | None = None
    link: str = ""
    dedupe_key: str | None = None
