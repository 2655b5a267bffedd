"""Issue 17 item 3: ``refairn serve`` runs gunicorn with ``REFAIRN_WEB_WORKERS`` worker
processes, and they answer requests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

WORKERS = 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The parent's pid follows the command name, which is in parentheses.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc")
def test_serve_starts_the_configured_number_of_workers(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "refairn.settings",
        "REFAIRN_DATA_DIR": str(tmp_path),
        "REFAIRN_BIND": f"127.0.0.1:{port}",
        "REFAIRN_WEB_WORKERS": str(WORKERS),
    }
    serve = subprocess.Popen(
        [sys.executable, "-m", "refairn.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        body, workers = b"", []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health") as answer:
                    body = answer.read()
            except OSError:
                time.sleep(0.5)
                continue
            masters = _children(serve.pid)
            workers = [w for master in masters for w in _children(master)]
            if len(workers) == WORKERS:
                break
            time.sleep(0.5)
        assert body, "the server never answered"
        assert len(workers) == WORKERS
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
