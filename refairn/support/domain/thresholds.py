"""Overdue tickets and the warning/review thresholds they feed (PRODUCT.md §2 "SLA policy", §6)."""

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from refairn.support.domain.errors import SlaConfigError
from refairn.support.domain.instants import as_utc


class BreachKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


class Action(StrEnum):
    WARN = "warn"
    OPEN_REVIEW = "open_review"


# A flag lives for exactly this many days; a threshold that only ever grows would turn one bad
# month into a permanent mark.
DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class SlaPolicy:
    """PRODUCT.md §2: overdue flags in a trailing window that warn, and that open a review."""

    warning_threshold: int = 3
    review_threshold: int = 5
    window_days: int = DEFAULT_WINDOW_DAYS

    def __post_init__(self) -> None:
        for name in ("warning_threshold", "review_threshold", "window_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
                raise SlaConfigError(name, "must be a whole number from 1 to 1000")
        # A review is the step after a warning: it cannot come before the first warning.
        if self.review_threshold < self.warning_threshold:
            raise SlaConfigError("review_threshold", "must be at least the warning threshold")


def deadline_missed(
    *, due: datetime, done_at: datetime | None, escalated_at: datetime | None, now: datetime
) -> bool:
    """PRODUCT.md §6: whether one of a ticket's SLA deadlines (first response or resolution)
    was missed, as of ``now``; ``done_at`` is when its event happened (first reply,
    resolution).

    A deadline is missed when its event had not happened by the deadline instant (an event at
    the deadline itself is on time) and the deadline has passed. A deadline that falls after the
    ticket's escalation never breaches: the ticket left the agent's SLA (§6); one missed before
    the escalation stays missed. A breach's time is the missed deadline itself, not the moment
    a sweep noticed it, which also makes (ticket, kind, deadline) a natural idempotency key for
    recording flags. Each kind is judged alone: the sweep looks up each kind of deadline on
    its own, reading only that deadline's times (issue 17).
    """
    due, now = as_utc(due, "due"), as_utc(now, "now")
    # Escalating hands the ticket to the business: deadlines still ahead at that moment are no
    # longer the agent's to meet. Escalating exactly at the deadline is still in time.
    if escalated_at is not None and as_utc(escalated_at, "escalated_at") <= due:
        return False
    if done_at is not None:
        return as_utc(done_at, "done_at") > due
    return now > due


def flags_in_window(
    flag_times: Iterable[datetime], now: datetime, days: int = DEFAULT_WINDOW_DAYS
) -> int:
    """PRODUCT.md §2: overdue flags in the trailing ``days`` days as of ``now``.

    The window is (now - days, now]: a flag counts for exactly ``days`` times 24 hours, so one
    exactly 30 days old has just stopped counting. Flags later than ``now`` are not counted.
    """
    now = as_utc(now, "now")
    since = now - timedelta(days=days)
    return sum(1 for t in flag_times if since < as_utc(t, "flag time") <= now)


class TrailingWindow:
    """``flags_in_window`` for a sequence of one agent's flags in time order: each flag's count
    of the flags before it in its window, in constant time. A flag out of one flag's window is
    out of every later one's, so it is dropped once; a sweep judges thousands of flags against
    the window of each, and recounting every window cost most of the sweep (issue 17)."""

    def __init__(self, days: int = DEFAULT_WINDOW_DAYS) -> None:
        self._length = timedelta(days=days)
        self._times: deque[datetime] = deque()

    def add(self, at: datetime) -> int:
        """The flags added before that count at ``at`` (as ``flags_in_window`` counts them);
        then ``at`` joins them."""
        at = as_utc(at, "flag time")
        if self._times and at < self._times[-1]:
            raise ValueError("flags must be added in time order")
        since = at - self._length
        while self._times and not since < self._times[0]:
            self._times.popleft()
        count = len(self._times)
        self._times.append(at)
        return count


def threshold_actions(
    *,
    count_before: int,
    count_after: int,
    warning_threshold: int,
    review_threshold: int,
    review_open: bool,
) -> set[Action]:
    """PRODUCT.md §2: what new overdue flags trigger, from the trailing counts around them.

    An action fires when the count *reaches* its threshold (before < threshold <= after), not for
    each further flag while the count stays at or above it. It re-arms by itself once old flags
    age out of the window and the count drops below the threshold again, so no "already warned"
    state needs storing. A review is not opened while one is still open. When several flags
    land at once and cross both thresholds, both actions fire.
    """
    if not 0 <= count_before <= count_after:
        raise ValueError("counts must satisfy 0 <= count_before <= count_after")
    if warning_threshold < 1 or review_threshold < 1:
        raise ValueError("thresholds must be at least 1")
    actions: set[Action] = set()
    if count_before < warning_threshold <= count_after:
        actions.add(Action.WARN)
    if count_before < review_threshold <= count_after and not review_open:
        actions.add(Action.OPEN_REVIEW)
    return actions
