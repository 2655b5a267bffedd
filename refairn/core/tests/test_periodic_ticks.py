"""Issue 18: with two workers, each periodic job runs once per tick (core.periodic)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from refairn.core import clock
from refairn.core.models import JobTick
from refairn.core.periodic import Every, PeriodicJob, once_per_tick

pytestmark = pytest.mark.django_db

TICK = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _job(runs: list[datetime], *, fails: list[bool] | None = None) -> PeriodicJob:
    def sweep() -> None:
        runs.append(clock.now())
        if fails and fails.pop(0):
            raise RuntimeError("worker hiccup")

    return PeriodicJob("tests.sweep", Every(minutes=30), sweep, catches_up=True)


def test_the_second_worker_finds_the_tick_taken() -> None:
    runs: list[datetime] = []
    first_worker, second_worker = once_per_tick(_job(runs)), once_per_tick(_job(runs))

    with clock.frozen(TICK.replace(minute=31)):
        first_worker()
    with clock.frozen(TICK.replace(minute=32)):  # the same tick, enqueued by the other worker
        second_worker()

    assert len(runs) == 1
    assert list(JobTick.objects.values_list("job", "due_at")) == [("tests.sweep", TICK)]


def test_the_next_tick_runs_again() -> None:
    runs: list[datetime] = []
    worker = once_per_tick(_job(runs))
    with clock.frozen(TICK):
        worker()
    with clock.frozen(TICK.replace(hour=10)):
        worker()
    assert len(runs) == 2


def test_a_failed_run_gives_its_tick_back_for_the_retry() -> None:
    runs: list[datetime] = []
    worker = once_per_tick(_job(runs, fails=[True, False]))
    with clock.frozen(TICK), pytest.raises(RuntimeError):
        worker()
    assert not JobTick.objects.exists()
    with clock.frozen(TICK.replace(minute=40)):  # Huey's retry, ten minutes later
        worker()
    assert len(runs) == 2
    assert JobTick.objects.count() == 1


def test_old_claims_are_cleared_as_new_ones_are_taken() -> None:
    JobTick.objects.create(
        job="tests.sweep", due_at=datetime(2026, 9, 1, tzinfo=UTC), claimed_at=TICK
    )
    with clock.frozen(TICK):
        once_per_tick(_job([]))()
    assert list(JobTick.objects.values_list("due_at", flat=True)) == [TICK]
