"""What ``GET /ready`` checks: the database and the job queue answer."""

from __future__ import annotations

from django.db import connection
from huey.contrib.djhuey import HUEY


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_job_queue() -> None:
    HUEY.storage.queue_size()


CHECKS = {"database": check_database, "job_queue": check_job_queue}


def readiness() -> dict[str, str]:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            results[name] = f"error: {type(exc).__name__}"
        else:
            results[name] = "ok"
    return results
