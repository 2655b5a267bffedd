"""The business audit log (issue 18 item 9): who changed what, when and why, read from the
history rows the apps already keep (ticket events, certification decisions, routing decisions,
settings edits, commission runs and reversals, staff and agent membership, API tokens).

Each kind of row is a *source*. The log is every source's rows newest first, in one total
order: the instant, then the source's name, then the row's key within its source. A page is
read by asking each source for its first ``limit + 1`` rows after the cursor and merging them
(``merge_newest``), so a page costs one query per source however deep it is. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class AuditKind(StrEnum):
    """What part of the program an entry changed: the log's ``kind`` filter."""

    TICKET = "ticket"
    CERTIFICATION = "certification"
    SUPPORT_ACCESS = "support_access"
    SUPPORT_REVIEW = "support_review"
    ROUTING = "routing"
    SETTINGS = "settings"
    COMMISSION = "commission"
    STAFF = "staff"
    AGENT = "agent"
    CREDENTIAL = "credential"
    TOKEN = "token"  # noqa: S105 - the kind of entry, not a secret


@dataclass(frozen=True)
class AuditEntry:
    """One line of the log. ``actor_id`` None: the platform itself (a job, the router).
    ``key`` is the row's primary key, compared only with keys of the same ``source``."""

    at: datetime
    source: str
    key: Any
    kind: AuditKind
    action: str
    actor_id: str | None
    actor: str
    target_type: str
    target_id: str
    target: str
    reason: str

    @property
    def id(self) -> str:
        """Stable across pages: the source and the row."""
        return f"{self.source}:{self.key}"


def _order(entry: AuditEntry) -> tuple[datetime, str, Any]:
    # Keys of different sources never meet: the source decides first.
    return (entry.at, entry.source, entry.key)


def merge_newest(
    batches: list[list[AuditEntry]], limit: int
) -> tuple[list[AuditEntry], AuditEntry | None]:
    """The first ``limit`` entries of all ``batches`` newest first, and the last of them when
    more remain (its position is the next page's cursor). Each batch holds its source's first
    ``limit + 1`` rows after the cursor, so the merged page is exact."""
    merged = sorted((e for batch in batches for e in batch), key=_order, reverse=True)
    if len(merged) <= limit:
        return merged, None
    return merged[:limit], merged[limit - 1]
