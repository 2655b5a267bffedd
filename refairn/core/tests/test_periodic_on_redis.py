"""Issue 17 item 3: two Huey consumers on one Redis (as two ``refairn worker`` hosts run) each
enqueue every periodic job at their scheduler's tick, and the job still runs once per tick.

Real consumers (scheduler and worker threads of Huey's own ``Consumer``) on a queue of their
own, so no other test's or host's jobs are seen. Skipped when no Redis answers at
``REDIS_URL`` (default ``redis://127.0.0.1:6379/0``)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import redis
from django.db import connection, connections
from huey import RedisHuey
from huey.consumer import Consumer
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR

from refairn.core import clock
from refairn.core.models import JobTick
from refairn.core.periodic import Every, PeriodicJob, once_per_tick

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CONSUMERS = 2


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason=f"no Redis at {REDIS_URL}"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def queue() -> Iterator[RedisHuey]:
    huey = RedisHuey(name=f"refairn-test-{uuid.uuid4().hex}", url=REDIS_URL)
    yield huey
    huey.storage.flush_all()


def test_two_consumers_run_a_periodic_job_once_per_tick(queue: RedisHuey) -> None:
    runs: list[datetime] = []
    job = PeriodicJob(
        "tests.on_redis", Every(minutes=30), lambda: runs.append(clock.now()), catches_up=True
    )
    guarded = once_per_tick(job)
    # A SQLite file makes a second writer wait (the busy timeout in settings); the test
    # database is in-memory with a shared cache, which refuses it at once ("database table is
    # locked"). So on SQLite the two consumers take turns, as they would on a file.
    writer = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    # Due at every check of the schedulers, so each consumer enqueues it as it starts.
    @queue.periodic_task(lambda _: True, name="tests.on_redis")
    def tick() -> None:
        try:
            with writer:
                guarded()
        finally:
            connections.close_all()  # the consumer's thread leaves no connection behind

    finished: list[str] = []
    done = threading.Condition()

    @queue.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)
    def _finished(signal_name: str, task: Any, exc: BaseException | None = None) -> None:
        with done:
            finished.append(signal_name)
            done.notify_all()

    consumers = [
        Consumer(queue, workers=1, worker_type="thread", check_worker_health=False)
        for _ in range(CONSUMERS)
    ]
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        for consumer in consumers:
            consumer.start()
    finally:
        # Consumer.start takes over the process's signals; the test runner keeps its own.
        for number, handler in handlers.items():
            signal.signal(number, handler)
    try:
        with done:
            arrived = done.wait_for(lambda: len(finished) >= CONSUMERS, timeout=30)
        time.sleep(0.5)  # a third arrival, were there one, would come now
    finally:
        for consumer in consumers:
            consumer.stop(graceful=True)

    assert arrived, finished
    assert finished == [SIGNAL_COMPLETE] * CONSUMERS  # each consumer's enqueue arrived
    assert len(runs) == 1
    assert JobTick.objects.filter(job="tests.on_redis").count() == 1
