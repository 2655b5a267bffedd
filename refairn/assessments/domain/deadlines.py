"""Timed attempts (PRODUCT.md §4: "the deadline is set on the server at start. Answers after
the deadline are refused; an attempt left open past its deadline is submitted with what was
saved").

The deadline instant itself still accepts answers (``now <= deadline``); one microsecond
later is refused. An assessment without a time limit has no deadline (None).
"""

from __future__ import annotations

from datetime import datetime, timedelta


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def deadline_for(started_at: datetime, time_limit_minutes: int | None) -> datetime | None:
    """PRODUCT.md §4: the attempt's deadline, fixed at start: start + time limit."""
    _require_aware("started_at", started_at)
    if time_limit_minutes is None:
        return None
    if time_limit_minutes < 1:
        raise ValueError("a time limit is at least one minute")
    return started_at + timedelta(minutes=time_limit_minutes)


def answer_allowed(deadline: datetime | None, now: datetime, submitted: bool) -> bool:
    """PRODUCT.md §4: an answer is saved only while the attempt is open and not past its
    deadline (the deadline instant included)."""
    _require_aware("now", now)
    if submitted:
        return False
    if deadline is None:
        return True
    _require_aware("deadline", deadline)
    return now <= deadline


def needs_auto_submit(deadline: datetime | None, now: datetime, submitted: bool) -> bool:
    """PRODUCT.md §4: an open attempt past its deadline is submitted with what was saved."""
    _require_aware("now", now)
    if submitted or deadline is None:
        return False
    _require_aware("deadline", deadline)
    return now > deadline
