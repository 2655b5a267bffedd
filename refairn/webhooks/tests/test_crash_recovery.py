"""Issue 13: a worker killed mid-delivery delivers each outbox row exactly once after restart.

Simulated with real processes: a worker process is killed with SIGKILL while it waits for the
receiver's answer to its first POST (the receiver holds the request open), and a new process
then moves the test clock past the dead worker's lease, which runs the periodic sweeps. The
receiver must end up with one 2xx-answered POST per outbox row, each row under one
``webhook-id`` — the unanswered POST of the killed worker comes again under the same id, so a
receiver that deduplicates by ``webhook-id`` processes every row exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from refairn.webhooks.tests.receiver import http_receiver

ROOT = Path(__file__).resolve().parents[3]


def stage(name: str, *args: str, data_dir: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "refairn.settings",
        "REFAIRN_DATA_DIR": str(data_dir),
        "REFAIRN_TEST_CLOCK": "1",  # allows the loopback receiver
        "REFAIRN_HUEY_IMMEDIATE": "0",  # tasks wait in the queue: only the sweeps deliver
        "DATABASE_URL": "",  # one SQLite file shared by the stages
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(  # noqa: S603 - our own module, no shell
        [sys.executable, "-m", "refairn.webhooks.tests.crash_worker", name, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> Any:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    line = next(x for x in reversed(out.splitlines()) if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def test_a_worker_killed_mid_delivery_delivers_each_row_exactly_once(tmp_path: Path) -> None:
    with http_receiver(hang=threading.Event()) as receiver:
        receiver.secret = finish(stage("setup", receiver.url, data_dir=tmp_path))["secret"]

        worker = stage("work", data_dir=tmp_path)
        assert receiver.hang is not None
        deadline = time.monotonic() + 120
        while not receiver.hang.is_set():
            assert worker.poll() is None, worker.communicate()[1]
            assert time.monotonic() < deadline, "the worker never reached the receiver"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)  # mid-POST: the receiver has not answered
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL
        receiver.release.set()

        rows = finish(stage("restart", data_dir=tmp_path))

    killed = receiver.requests[0]
    assert killed.status is None  # never answered
    answered = receiver.answered()
    ids = [r.webhook_id for r in answered]
    # One 2xx per outbox row, each row under one id, the killed one among them.
    assert len(rows) == 3 and sorted(ids) == sorted(r["webhook_id"] for r in rows)
    assert Counter(ids) == dict.fromkeys(ids, 1)
    assert killed.webhook_id in ids
    assert all(r.verified for r in receiver.requests)
    assert {r["status"] for r in rows} == {"succeeded"}
    bodies = {r.webhook_id: r.body for r in answered}
    assert bodies[killed.webhook_id] == killed.body  # the same bytes under the same id
    assert sorted(json.loads(b)["data"]["text"] for b in bodies.values()) == [
        "Warning 0",
        "Warning 1",
        "Warning 2",
    ]
