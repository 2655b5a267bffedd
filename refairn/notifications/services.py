"""The one way to tell a user something: an in-app row per user, and an outbox event that
carries it outside the app (e-mail, webhooks; issue 13) in the same transaction."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from refairn.core import clock
from refairn.core.bulk import rows_insert
from refairn.core.errors import NotFound
from refairn.notifications.models import Notification
from refairn.notifications.notice import Notice
from refairn.notifications.outbox import outbox_record_each, payload_check
from refairn.notifications.selectors import users_told
from refairn.notifications.tasks import outbox_dispatch_each_task, outbox_dispatch_task

log = logging.getLogger(__name__)


# Notices are written in the caller's transaction without a savepoint of their own (a round
# trip each way on every ticket, issue 17): a failure here fails the caller's whole change.
@transaction.atomic(savepoint=False)
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
    notice = Notice(
        user_ids=list(dict.fromkeys(user_ids)),  # distinct, order kept
        event=event,
        data=data,
        kind=kind,
        text=text,
        at=at or clock.now(),
        business_id=business_id,
        link=link,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        return notices_send([notice])
    payload_check(event, data)
    told = [
        user_id for user_id in notice.user_ids if _told_once(replace(notice, user_ids=[user_id]))
    ]
    return _announce([replace(notice, user_ids=told)])


def _told_once(notice: Notice) -> bool:
    """Record a deduplicated notice's notification, unless the user has it already (a clash
    on its key: skipped). The savepoint is what the clash returns to."""
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(_notifications([notice]))
    except IntegrityError:
        return False
    return True


@transaction.atomic(savepoint=False)
def notices_send(notices: Sequence[Notice]) -> int:
    """``notification_send`` of many notices together, each with its own users, texts, payload
    and time: one insert of their notifications and one of their outbox events, and one
    dispatch task. The same rows as sending them one at a time, in this order. Returns how
    many notifications were created."""
    for notice in notices:
        payload_check(notice.event, notice.data)
    return _notices_write(notices)


@transaction.atomic(savepoint=False)
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
    now = clock.now()
    return _notices_write(
        [
            Notice(
                user_ids=[user_id],
                event=event,
                data=data,
                kind=kind,
                text=text,
                at=now,
                business_id=business_id,
                link=link,
                dedupe_key=dedupe_key,
            )
            for user_id, text, data in notices
            if user_id not in told
        ]
    )


def _notifications(notices: Sequence[Notice]) -> list[Notification]:
    return [
        Notification(
            user_id=user_id,
            business_id=notice.business_id,
            kind=notice.kind,
            text=notice.text,
            link=notice.link,
            dedupe_key=f"{notice.dedupe_key}:{user_id}" if notice.dedupe_key else None,
            created_at=notice.at,
        )
        for notice in notices
        for user_id in notice.user_ids
    ]


def _notices_write(notices: Sequence[Notice]) -> int:
    rows_insert(Notification, _notifications(notices))
    return _announce(notices)


def _announce(notices: Sequence[Notice]) -> int:
    """Write the outbox events of the notices that tell anyone, dispatched once the caller's
    transaction commits. Returns how many users were told."""
    telling = [notice for notice in notices if notice.user_ids]
    if telling:
        rows = outbox_record_each(notices=telling)
        event_ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _enqueue_dispatch(event_ids))
    return sum(len(notice.user_ids) for notice in telling)


def _enqueue_dispatch(event_ids: list[uuid.UUID]) -> None:
    try:
        if len(event_ids) == 1:
            outbox_dispatch_task(event_ids[0])
        else:
            # Many events announced together (a sweep's warnings, a month's statements): one
            # task, not one queue write per event.
            outbox_dispatch_each_task(event_ids)
    except Exception:
        # The change has committed; the sweep delivers what the queue could not take now.
        log.exception("could not enqueue the dispatch of %d outbox events", len(event_ids))


def notification_mark_read(*, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user_id=user_id).first()
    if notification is None:
        raise NotFound("notification")
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification
