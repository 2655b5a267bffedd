"""The platform's one clock. Every "now" outside pure domain code comes from here.

Three sources, first match wins:
1. an in-process override (``frozen``), used by tests and while the test clock replays jobs at
   their due times;
2. the stored test clock, when ``REFAIRN_TEST_CLOCK`` is on and it has been set (API.md);
3. the real UTC time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings

_override: ContextVar[datetime | None] = ContextVar("refairn_clock_override", default=None)


def now() -> datetime:
    if (pinned := _override.get()) is not None:
        return pinned
    if settings.REFAIRN_TEST_CLOCK:
        from refairn.core.models import TestClock

        stored = TestClock.objects.filter(pk=1).values_list("now", flat=True).first()
        if stored is not None:
            return stored
    return datetime.now(UTC)


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Make ``now()`` return ``at`` inside the block (this thread/task only)."""
    if at.tzinfo is None:
        raise ValueError("the clock only takes aware datetimes")
    token = _override.set(at.astimezone(UTC))
    try:
        yield at
    finally:
        _override.reset(token)


def set_test_clock(at: datetime) -> datetime:
    from refairn.core.models import TestClock

    at = at.astimezone(UTC)
    TestClock.objects.update_or_create(pk=1, defaults={"now": at})
    return at
