"""Replaying months of history through the services: each step runs with the clock frozen at
the moment it happened, and the periodic jobs (expiry, reminders, auto-submission, overdue
flags) run in between as the worker would have, so every record carries a realistic time."""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from refairn.core import clock
from refairn.core.periodic import run_due_jobs

# The jobs all catch up by themselves and date what they record at the moment it fell due
# (a flag at its deadline, an expiry at its expiry date), and the services check expiry dates
# themselves, so running the jobs every other simulated day loses nothing but load time.
JOB_INTERVAL = timedelta(days=2)

# ``run_due_jobs`` logs every job it runs, as the test clock's replay; over a year of history
# that would flood the console of ``refairn demo``.
_JOBS_LOG = logging.getLogger("refairn.core.periodic")

Action = Callable[[], object]  # what a step returns is not used


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    action: Action = field(compare=False)


class Timeline:
    """Steps scheduled at past times, run in time order (ties in scheduling order). A step may
    schedule later steps, e.g. an attempt's submission decides whether a retry follows."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._steps: list[_Step] = []
        self._seq = 0
        self._current: datetime | None = None

    def at(self, when: datetime, action: Action) -> None:
        if when >= self.now:
            raise ValueError(f"a history step at {when.isoformat()} is not in the past")
        if self._current is not None and when < self._current:
            raise ValueError(f"a step at {self._current.isoformat()} looks back in time")
        self._seq += 1
        heapq.heappush(self._steps, _Step(when, self._seq, action))

    def run(self) -> None:
        """Run every step, then the jobs up to now."""
        with _quiet_jobs():
            self._run()

    def _run(self) -> None:
        jobs_ran: datetime | None = None
        while self._steps:
            step = heapq.heappop(self._steps)
            if jobs_ran is None:
                jobs_ran = step.at
            elif step.at - jobs_ran >= JOB_INTERVAL:
                run_due_jobs(jobs_ran, step.at)
                jobs_ran = step.at
            self._current = step.at
            with clock.frozen(step.at):
                step.action()
        if jobs_ran is not None:
            run_due_jobs(jobs_ran, self.now)


@contextmanager
def _quiet_jobs() -> Iterator[None]:
    level = _JOBS_LOG.level
    _JOBS_LOG.setLevel(logging.WARNING)
    try:
        yield
    finally:
        _JOBS_LOG.setLevel(level)
