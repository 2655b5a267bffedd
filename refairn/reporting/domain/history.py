"""A certification's cycle at a past instant, replayed from its recorded events (PRODUCT.md §5
"every change is stored as an event"; §8 reports "as of" any instant).

Events record the status change and its time but not the expiry it set, so the expiry is
recomputed the way ``certification.services`` sets it, with
``certification.domain.certification_expiry``: *approve*, *auto_approve* and *renew* certify,
extending an unexpired expiry by one interval or, after a lapse, running one full interval from
then (issue 11 item 2); *reopen* clears it. Definitions:

- **earned_at**: when the current cycle was granted: the first certifying event since the
  latest ``reopen`` (an approval). A renewal does not move it.
- **Renewal**: a certifying event that extends an earlier expiry of the same cycle: ``renew``,
  and also an approval after the certification lapsed (expired, retaken, passed, approved:
  PRODUCT.md §5 "renewed to certified"). **last_renewal** is the
  latest one, with the expiry it replaced.
- **first_certified_at**: the first certifying event ever, reopened cycles included.

The replay uses the track's current recertification interval; the caller prefers the stored
expiry whenever nothing happened to the certification after the instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from refairn.certification.domain.expiry import certification_expiry
from refairn.certification.domain.status import Event
from refairn.reporting.domain.inputs import Renewal
from refairn.reporting.domain.periods import require_aware

CERTIFYING_EVENTS = frozenset({Event.APPROVE, Event.AUTO_APPROVE, Event.RENEW})
# Every event the replay reads; the others never change the expiry.
REPLAYED_EVENTS = CERTIFYING_EVENTS | {Event.REOPEN}


@dataclass(frozen=True)
class RecordedEvent:
    """One replayed event of a certification, with its track's interval in months."""

    event: Event
    at: datetime
    months: int

    def __post_init__(self) -> None:
        require_aware(self.at, "at")


@dataclass(frozen=True)
class ReplayedCycle:
    expires_at: datetime | None = None
    earned_at: datetime | None = None
    last_renewal: Renewal | None = None
    first_certified_at: datetime | None = None


def replay_cycle(events: Iterable[RecordedEvent]) -> ReplayedCycle:
    """The certification's cycle after ``events`` (in the order they happened; events the
    replay does not read are ignored). Module docs define every field."""
    expires_at: datetime | None = None
    earned_at: datetime | None = None
    renewal: Renewal | None = None
    first: datetime | None = None
    for recorded in events:
        if recorded.event == Event.REOPEN:
            expires_at = earned_at = renewal = None
            continue
        if recorded.event not in CERTIFYING_EVENTS:
            continue
        replaced = expires_at
        expires_at = certification_expiry(
            previous_expires_at=replaced, months=recorded.months, now=recorded.at
        )
        first = first or recorded.at
        if replaced is not None and earned_at is not None:
            renewal = Renewal(renewed_at=recorded.at, replaced_expires_at=replaced)
        else:
            # The cycle's first certification (a renewal with nothing recorded before it too).
            earned_at, renewal = recorded.at, None
    return ReplayedCycle(expires_at, earned_at, renewal, first)
