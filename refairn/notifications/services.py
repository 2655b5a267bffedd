"""The one way to tell a user something: an in-app row per user, and an outbox event that
carries it outside the app (e-mail, webhooks; issue 13) in the same transaction."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from refairn.core import clock
from refairn.core.errors import NotFound
from refairn.notifications.models import Notification
from refairn.notifications.outbox import outbox_record, outbox_record_each, payload_check
from refairn.notifications.selectors import users_told
from refairn.notifications.tasks import outbox_dispatch_each_task, outbox_dispatch_task

log = logging.getLogger(__name__)


@transaction.atomic
def notification_send(
    *,
    user_ids: Iterable[uuid.UUID],
    event: str,
    data: Mapping[str, Any],
    kind: str,
    text: str,
    business_id: uuid.UUID | None = None,
    link: str = "",
    dedupe_key: str | None = None,
    at: datetime | None = None,
) -> int:
    """Record a notification for each user; with ``dedupe_key``, at most once per user ever.

    The users told now are also written to the outbox as one event, in the caller's
    transaction: ``event`` is its catalogued type, ``data`` its own payload fields
    (``domain.catalogue``, docs/events.md; the common ones are added). Returns how many were
    created.
    """
    payload_check(event, data)
    told: list[uuid.UUID] = []
    for user_id in dict.fromkeys(user_ids):  # distinct, order kept
        key = f"{dedupe_key}:{user_id}" if dedupe_key else None
        try:
            # Only a deduplicated notice survives a clash (skipped), so only it needs a
            # savepoint to return to; without a key the clash is raised like any error.
            with transaction.atomic() if key else nullcontext():
                Notification.objects.create(
                    user_id=user_id,
                    business_id=business_id,
                    kind=kind,
                    text=text,
                    link=link,
                    dedupe_key=key,
                    created_at=at or clock.now(),
                )
        except IntegrityError:
            if key is None:
                raise
            continue  # already told
        told.append(user_id)
    if told:
        row = outbox_record(
            kind=kind,
            text=text,
            link=link,
            business_id=business_id,
            recipient_ids=told,
            occurred_at=at or clock.now(),
            event=event,
            data=data,
        )
        transaction.on_commit(lambda: _enqueue_dispatch(row.pk))
    return len(told)


@transaction.atomic
def notification_send_each(
    *,
    notices: Sequence[tuple[uuid.UUID, str, Mapping[str, Any]]],
    event: str,
    kind: str,
    dedupe_key: str,
    business_id: uuid.UUID | None = None,
    link: str = "",
) -> int:
    """``notification_send`` to many users at once, each with their own text and payload
    ``(user, text, data)``, at most once per user ever under ``dedupe_key``: a few bulk
    inserts instead of a savepoint, an insert and an event per user. Returns how many were
    told now.

    The users told already are skipped; the caller keeps two sends of one ``dedupe_key``
    from overlapping (a lock), so a key taken in between is an error, not a silent skip."""
    for _, _, data in notices:
        payload_check(event, data)
    told = users_told(dedupe_key, [user_id for user_id, _, _ in notices])
    waiting = [notice for notice in notices if notice[0] not in told]
    if not waiting:
        return 0
    now = clock.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                business_id=business_id,
                kind=kind,
                text=text,
                link=link,
                dedupe_key=f"{dedupe_key}:{user_id}",
                created_at=now,
            )
            for user_id, text, _ in waiting
        ],
        batch_size=1000,
    )
    rows = outbox_record_each(
        kind=kind,
        link=link,
        business_id=business_id,
        occurred_at=now,
        event=event,
        events=waiting,
    )
    event_ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _enqueue_dispatch_each(event_ids))
    return len(waiting)


def _enqueue_dispatch_each(event_ids: list[uuid.UUID]) -> None:
    try:
        outbox_dispatch_each_task(event_ids)
    except Exception:
        # The change has committed; the sweep delivers what the queue could not take now.
        log.exception("could not enqueue the dispatch of %d outbox events", len(event_ids))


def _enqueue_dispatch(event_id: uuid.UUID) -> None:
    try:
        outbox_dispatch_task(event_id)
    except Exception:
        # The change has committed; the sweep delivers what the queue could not take now.
        log.exception("could not enqueue the dispatch of outbox event %s", event_id)


def notification_mark_read(*, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user_id=user_id).first()
    if notification is None:
        raise NotFound("notification")
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification
