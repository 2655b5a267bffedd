"""Prometheus metrics (issue 17): request latency, job runs and failures, and whatever the apps
measure at scrape time (the outbox's lag, in notifications).

Counters live in the process that counts them. With several gunicorn workers and Huey consumers
on one host, set ``PROMETHEUS_MULTIPROC_DIR`` to a directory they share (emptied at start-up):
prometheus_client then writes each process's samples there and ``/metrics`` adds them up.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "refairn_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern (not the raw path: ids would explode it).",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOB_RUNS = Counter(
    "refairn_job_runs_total",
    "Background job executions by task name and outcome (complete, error).",
    ["job", "outcome"],
)
JOB_SECONDS = Histogram(
    "refairn_job_duration_seconds",
    "Time a background job ran, complete or not.",
    ["job"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800),
)

# Collectors that read the database when Prometheus scrapes (gauges of durable state are the
# same whichever process answers, so they are not per-process samples).
_scrape_collectors: list[Collector] = []


def scrape_collector_add(collector: Collector) -> None:
    """Called by an app's ready(); idempotent, since ready() may run twice in tests."""
    if not any(type(c) is type(collector) for c in _scrape_collectors):
        _scrape_collectors.append(collector)


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None and match.route else "unmatched"


def request_observe(request: HttpRequest, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(request.method or "", route_of(request), str(status)).observe(seconds)


class _ProcessSamples(Collector):
    """This process's own samples, for a registry built per scrape."""

    def collect(self) -> Iterable[Any]:
        return REGISTRY.collect()


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessSamples())
    for collector in _scrape_collectors:
        registry.register(collector)
    return registry


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``GET /metrics`` for Prometheus. Off (404) unless ``REFAIRN_METRICS_TOKEN`` is set; then
    the scraper sends it as a bearer token (``authorization: {credentials: ...}`` in its job)."""
    token = settings.REFAIRN_METRICS_TOKEN
    if not token:
        raise Http404("Metrics are off.")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


# Huey tells us when each task starts and ends; the start times wait here (threads share them).
_started: dict[str, float] = {}
_started_lock = threading.Lock()


def job_signal(signal: str, task: Any, exc: BaseException | None = None) -> None:
    from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING

    if signal == SIGNAL_EXECUTING:
        with _started_lock:
            _started[task.id] = time.perf_counter()
        return
    with _started_lock:
        began = _started.pop(task.id, None)
    outcome = {SIGNAL_COMPLETE: "complete", SIGNAL_ERROR: "error"}.get(signal)
    if outcome is None:
        return
    # Module and function, as the periodic registry names jobs: two apps may both have a "sweep".
    job = f"{type(task).__module__}.{task.name}"
    JOB_RUNS.labels(job, outcome).inc()
    if began is not None:
        JOB_SECONDS.labels(job).observe(time.perf_counter() - began)


_connected = threading.Event()


def job_signals_connect(connect: Callable[..., Any]) -> None:
    """Called once per process from the core app's ready()."""
    from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING

    if not _connected.is_set():
        connect(SIGNAL_EXECUTING, SIGNAL_COMPLETE, SIGNAL_ERROR)(job_signal)
        _connected.set()
