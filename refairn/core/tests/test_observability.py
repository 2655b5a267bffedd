"""Issue 17, running many processes: Prometheus metrics (request latency by route, job runs and
failures, outbox lag) behind a bearer token, and one structured log line per request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from huey.contrib.djhuey import db_task

from refairn.core import clock
from refairn.notifications.models import OutboxEvent

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "scrape-" + "s" * 32


def _scrape(token: str | None = TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get("/metrics", **headers)


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in the text exposition format, or None."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_are_off_unless_a_token_is_configured(settings: Any) -> None:
    settings.REFAIRN_METRICS_TOKEN = ""
    assert _scrape().status_code == 404


@pytest.mark.django_db
def test_a_scraper_without_the_token_is_refused(settings: Any) -> None:
    settings.REFAIRN_METRICS_TOKEN = TOKEN
    assert _scrape(None).status_code == 401
    assert _scrape("scrape-wrong").status_code == 401


@pytest.mark.django_db
def test_request_latency_is_counted_by_route_not_by_path(settings: Any) -> None:
    settings.REFAIRN_METRICS_TOKEN = TOKEN
    Client().get("/api/v1/health")
    Client().get("/api/v1/businesses/7d0c2a52-0000-4000-8000-000000000000/tracks")
    text = _scrape().content.decode()
    assert _sample(
        text,
        "refairn_http_request_duration_seconds_count",
        method="GET",
        route="/api/v1/health",
        status="200",
    )
    assert "7d0c2a52" not in text  # the id is in no label; the route pattern is
    assert 'route="/api/v1/businesses/' in text


@db_task()
def _job_that_works() -> None:
    return None


@db_task()
def _job_that_fails() -> None:
    raise RuntimeError("the job failed")


@pytest.mark.django_db
def test_job_runs_and_failures_are_counted(settings: Any) -> None:
    settings.REFAIRN_METRICS_TOKEN = TOKEN
    name_ok, name_bad = f"{__name__}._job_that_works", f"{__name__}._job_that_fails"
    before = _scrape().content.decode()
    _job_that_works()
    _job_that_fails()  # immediate mode: Huey logs the error, as a consumer would
    after = _scrape().content.decode()

    def runs(text: str, job: str, outcome: str) -> float:
        return _sample(text, "refairn_job_runs_total", job=job, outcome=outcome) or 0.0

    assert runs(after, name_ok, "complete") == runs(before, name_ok, "complete") + 1
    assert runs(after, name_bad, "error") == runs(before, name_bad, "error") + 1
    assert _sample(after, "refairn_job_duration_seconds_count", job=name_ok)


@pytest.mark.django_db
def test_outbox_lag_is_the_age_of_the_oldest_undelivered_event(settings: Any) -> None:
    settings.REFAIRN_METRICS_TOKEN = TOKEN
    assert _sample(_scrape().content.decode(), "refairn_outbox_lag_seconds") == 0.0
    now = clock.now()
    for age in (90, 30):
        OutboxEvent.objects.create(
            type="ticket.replied",
            kind="ticket_replied",
            family="support",
            text="A reply",
            occurred_at=now,
            created_at=now - timedelta(seconds=age),
        )
    lag = _sample(_scrape().content.decode(), "refairn_outbox_lag_seconds")
    assert lag is not None and 90 <= lag < 100


def _django(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "refairn.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_logs_give_each_request_one_object_with_its_fields(tmp_path: Path) -> None:
    result = _django(
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "Client(SERVER_NAME='localhost').get('/api/v1/health')\n",
        REFAIRN_LOG_FORMAT="json",
        REFAIRN_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    request = next(line for line in lines if line["logger"] == "refairn.request")
    assert request["level"] == "INFO"
    assert request["method"] == "GET" and request["route"] == "/api/v1/health"
    assert request["status"] == 200 and request["duration_ms"] >= 0
    assert request["user_id"] is None and "time" in request


def test_an_unknown_log_format_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    result = _django(
        "import django; django.setup()",
        REFAIRN_LOG_FORMAT="yaml",
        REFAIRN_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "REFAIRN_LOG_FORMAT is text or json." in result.stderr
