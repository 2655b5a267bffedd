"""Huey jobs that deliver the outbox (issue 13). Tasks load by id and are safe to run twice;
the sweeps pick up whatever a lost task or a killed worker left, and run last at each due
time so a test-clock jump delivers what the other jobs announced on the way."""

from __future__ import annotations

import uuid

from huey.contrib.djhuey import db_task

from refairn.core.periodic import DailyAt, Every, periodic_job
from refairn.notifications.mail import email_deliveries_send, email_digests_send
from refairn.notifications.outbox import outbox_dispatch, outbox_dispatch_each, outbox_sweep

# Per-event tasks return nothing: Huey would keep every returned value in its result store.


@db_task(retries=3, retry_delay=30)
def outbox_dispatch_task(event_id: uuid.UUID) -> None:
    outbox_dispatch(event_id)


@db_task(retries=3, retry_delay=30)
def outbox_dispatch_each_task(event_ids: list[uuid.UUID]) -> None:
    """Many events announced together (a month's commission statements): one task, not one
    queue write per event."""
    outbox_dispatch_each(event_ids)


@db_task(retries=3, retry_delay=30)
def email_deliveries_send_task(event_id: uuid.UUID) -> None:
    email_deliveries_send(event_id=event_id)


@periodic_job(Every(minutes=1), catches_up=True, last=True)
def outbox_sweep_task() -> int:
    """Dispatch every event still waiting, then send every mail that is due (retries too)."""
    dispatched = outbox_sweep()
    email_deliveries_send()
    return dispatched


@periodic_job(DailyAt(hour=7), catches_up=True, last=True)
def email_digests_send_task() -> int:
    """Issue 13: the daily digest at 07:00 UTC; one run sends everything waiting. The outbox
    is delivered first, so what waits for the digest is routed to it before it goes."""
    outbox_sweep()
    email_deliveries_send()
    return email_digests_send()
