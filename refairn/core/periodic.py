"""The registry of periodic jobs, and the replay the test clock needs.

A job is registered once with ``@periodic_job(...)`` in an app's ``tasks.py``. The decorator:
- registers a Huey periodic task, so ``refairn worker`` runs it on its schedule;
- records the job here, so ``PUT /test-clock`` can run every job that fell due between the old and
  the new time, synchronously, in due-time order, with the clock reading each due time.

Jobs that *catch up by themselves* (a sweep for everything overdue "as of now") run once, at their
last due time in the window; other jobs run at every due time. A job registered with
``replayed=False`` runs on its schedule in the worker but never under the test clock (API.md:
monthly commission runs stay explicit there).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from huey import crontab
from huey.contrib.djhuey import HUEY

from refairn.core import clock
from refairn.core.models import JobTick

log = logging.getLogger(__name__)

_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday at midnight: schedules align to it


@dataclass(frozen=True)
class Every:
    """Every ``minutes`` minutes, aligned to midnight UTC (``minutes`` divides a day)."""

    minutes: int

    def __post_init__(self) -> None:
        if self.minutes <= 0 or (24 * 60) % self.minutes:
            raise ValueError("minutes must divide a day")

    def due_times(self, after: datetime, until: datetime) -> Iterator[datetime]:
        step = timedelta(minutes=self.minutes)
        first = _EPOCH + ((after - _EPOCH) // step + 1) * step
        at = first
        while at <= until:
            yield at
            at += step

    def last_due(self, now: datetime) -> datetime:
        step = timedelta(minutes=self.minutes)
        return _EPOCH + ((now - _EPOCH) // step) * step

    def crontab(self) -> Callable[[datetime], bool]:
        if self.minutes < 60:
            return crontab(minute=f"*/{self.minutes}")
        return crontab(minute="0", hour=f"*/{self.minutes // 60}")


@dataclass(frozen=True)
class DailyAt:
    """Once a day at ``hour:minute`` UTC."""

    hour: int = 0
    minute: int = 0

    def due_times(self, after: datetime, until: datetime) -> Iterator[datetime]:
        at = after.astimezone(UTC).replace(
            hour=self.hour, minute=self.minute, second=0, microsecond=0
        )
        if at <= after:
            at += timedelta(days=1)
        while at <= until:
            yield at
            at += timedelta(days=1)

    def last_due(self, now: datetime) -> datetime:
        now = now.astimezone(UTC)
        at = now.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        return at if at <= now else at - timedelta(days=1)

    def crontab(self) -> Callable[[datetime], bool]:
        return crontab(minute=str(self.minute), hour=str(self.hour))


@dataclass(frozen=True)
class WeeklyAt:
    """Once a week on ``weekday`` (0 = Monday, as ``datetime.weekday``) at ``hour:minute`` UTC."""

    weekday: int = 0
    hour: int = 0
    minute: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")

    def due_times(self, after: datetime, until: datetime) -> Iterator[datetime]:
        at = self.last_due(after) + timedelta(weeks=1)
        while at <= until:
            yield at
            at += timedelta(weeks=1)

    def last_due(self, now: datetime) -> datetime:
        now = now.astimezone(UTC)
        at = now.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        at -= timedelta(days=(now.weekday() - self.weekday) % 7)
        return at if at <= now else at - timedelta(weeks=1)

    def crontab(self) -> Callable[[datetime], bool]:
        # Huey counts the days of the week from Sunday = 0.
        return crontab(
            minute=str(self.minute), hour=str(self.hour), day_of_week=str((self.weekday + 1) % 7)
        )


@dataclass(frozen=True)
class MonthlyAt:
    """On ``day`` (1-28, so every month has it) of each month at ``hour:minute`` UTC."""

    day: int = 1
    hour: int = 0
    minute: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.day <= 28:
            raise ValueError("day must be 1-28, a day every month has")

    def due_times(self, after: datetime, until: datetime) -> Iterator[datetime]:
        after = after.astimezone(UTC)
        year, month = after.year, after.month
        while True:
            at = datetime(year, month, self.day, self.hour, self.minute, tzinfo=UTC)
            if at > until:
                return
            if at > after:
                yield at
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def last_due(self, now: datetime) -> datetime:
        now = now.astimezone(UTC)
        at = datetime(now.year, now.month, self.day, self.hour, self.minute, tzinfo=UTC)
        if at <= now:
            return at
        year, month = (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)
        return at.replace(year=year, month=month)

    def crontab(self) -> Callable[[datetime], bool]:
        return crontab(day=str(self.day), hour=str(self.hour), minute=str(self.minute))


Schedule = Every | DailyAt | WeeklyAt | MonthlyAt


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    schedule: Schedule
    run: Callable[[], object]
    catches_up: bool
    replayed: bool = True
    last: bool = False


REGISTRY: dict[str, PeriodicJob] = {}


def periodic_job(
    schedule: Schedule,
    *,
    catches_up: bool = True,
    replayed: bool = True,
    retries: int = 0,
    retry_delay: int = 0,
    last: bool = False,
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register ``func`` as a periodic job (see the module docstring); ``retries`` and
    ``retry_delay`` (seconds) are Huey's, for the worker's runs. A ``last`` job runs after the
    others due at the same time under the test clock: it delivers what they announced."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        # The name Huey registers the task under, too (module + function).
        job_name = f"{func.__module__}.{func.__name__}"
        if job_name in REGISTRY:
            return func  # the module was imported twice (autodiscovery); keep the first
        job = PeriodicJob(job_name, schedule, func, catches_up, replayed, last)
        REGISTRY[job_name] = job
        HUEY.periodic_task(schedule.crontab(), retries=retries, retry_delay=retry_delay)(
            once_per_tick(job)
        )
        return func

    return register


# Claims older than this are deleted as new ones are taken: long past any retry.
TICKS_KEPT = timedelta(days=35)


def once_per_tick(job: PeriodicJob) -> Callable[[], object]:
    """``job.run`` as the worker runs it: only if this run is the first to claim the job's
    current due time (``JobTick``). Each worker's scheduler enqueues every periodic job, so with
    two workers each tick arrives twice; the second arrival finds the claim and does nothing.
    A run that raises gives its claim back, so Huey's retry can take it."""

    @functools.wraps(job.run)
    def run() -> object:
        due = job.schedule.last_due(clock.now())
        if not _claim(job.name, due):
            log.info("%s due at %s already ran on another worker", job.name, due.isoformat())
            return None
        try:
            return job.run()
        except BaseException:
            JobTick.objects.filter(job=job.name, due_at=due).delete()
            raise

    return run


def _claim(job: str, due: datetime) -> bool:
    now = clock.now()
    JobTick.objects.filter(due_at__lt=now - TICKS_KEPT).delete()
    try:
        with transaction.atomic():
            JobTick.objects.create(job=job, due_at=due, claimed_at=now)
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class JobRun:
    at: datetime
    name: str


def plan_runs(
    after: datetime, until: datetime, jobs: dict[str, PeriodicJob] | None = None
) -> list[JobRun]:
    """Every run that falls due in (after, until], in due-time order (ties: ``last`` jobs after
    the others, then registration order)."""
    jobs = REGISTRY if jobs is None else jobs
    runs: list[tuple[datetime, bool, int, str]] = []
    for order, job in enumerate(jobs.values()):
        if not job.replayed:
            continue
        times = list(job.schedule.due_times(after, until))
        if job.catches_up:
            times = times[-1:]
        runs.extend((at, job.last, order, job.name) for at in times)
    return [JobRun(at, name) for at, _, _, name in sorted(runs)]


def run_due_jobs(
    after: datetime, until: datetime, jobs: dict[str, PeriodicJob] | None = None
) -> list[JobRun]:
    """Run what fell due in (after, until] with the clock reading each run's due time."""
    jobs = REGISTRY if jobs is None else jobs
    runs = plan_runs(after, until, jobs)
    for run in runs:
        with clock.frozen(run.at):
            log.info("test clock: running %s at %s", run.name, run.at.isoformat())
            jobs[run.name].run()
    return runs
