from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from refairn.core import clock
from refairn.core.errors import Conflict, NotFound, field_error
from refairn.core.models import TestClock
from refairn.core.periodic import JobRun, run_due_jobs


def _require_test_clock() -> None:
    if not settings.REFAIRN_TEST_CLOCK:
        raise NotFound("endpoint")


def test_clock_read() -> datetime:
    _require_test_clock()
    return clock.now()


def test_clock_move(*, to: datetime) -> tuple[datetime, list[JobRun]]:
    """API.md test clock: move forward and run every periodic job that fell due on the way.

    Going back is refused: records already carry later times, and replaying jobs backwards
    would break the ledgers' and histories' order.
    """
    _require_test_clock()
    if to.tzinfo is None:
        raise field_error("now", "must include a UTC offset")
    with transaction.atomic():
        stored = TestClock.objects.select_for_update().filter(pk=1).first()
        before = stored.now if stored else clock.now()
        if stored and to < before:
            raise Conflict(
                f"The test clock reads {before.isoformat()}; it only moves forward.",
                code="clock_cannot_go_back",
            )
        # The first setting may start anywhere (a scenario replaying last year); from then on
        # the clock only moves forward, running what falls due on the way.
        runs = run_due_jobs(before, to) if to > before else []
        clock.set_test_clock(to)
    return clock.now(), runs
