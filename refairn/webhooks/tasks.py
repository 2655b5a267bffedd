"""Huey jobs delivering webhooks (issue 13): one attempt per task, and a sweep for retries and
for rows a lost task or a killed worker left (it runs after the outbox's sweep)."""

from __future__ import annotations

import uuid

from huey.contrib.djhuey import db_task

from refairn.core.periodic import Every, periodic_job
from refairn.webhooks.delivery import webhook_deliveries_sweep, webhook_delivery_attempt


@db_task()
def webhook_delivery_attempt_task(delivery_id: uuid.UUID) -> None:
    # Returns nothing: Huey would keep every returned value in its result store.
    webhook_delivery_attempt(delivery_id)


@periodic_job(Every(minutes=1), catches_up=True, last=True)
def webhook_deliveries_sweep_task() -> int:
    return webhook_deliveries_sweep()
