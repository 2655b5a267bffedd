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
from django.db import connection

_override: ContextVar[datetime | None] = ContextVar("refairn_clock_override", default=None)


def now() -> datetime:
    if (pinned := _override.get()) is not None:
        return pinned
    if settings.REFAIRN_TEST_CLOCK and (stored := _stored()) is not None:
        return stored
    return datetime.now(UTC)


_table_seen = False


def _stored() -> datetime | None:
    """The stored test clock, if set. On a database being migrated for the first time the
    table does not exist yet (a migration's default may ask for the time before core's
    migration runs): then the clock is real. Looking for the table, rather than catching the
    error, keeps a PostgreSQL migration's transaction intact."""
    global _table_seen
    from refairn.core.models import TestClock

    if not _table_seen:
        if TestClock._meta.db_table not in connection.introspection.table_names():
            return None
        _table_seen = True
    return TestClock.objects.filter(pk=1).values_list("now", flat=True).first()


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
