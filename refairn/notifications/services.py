"""The one way to tell a user something."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction

from refairn.core import clock
from refairn.core.errors import NotFound
from refairn.notifications.models import Notification


def notification_send(
    *,
    user_ids: Iterable[uuid.UUID],
    kind: str,
    text: str,
    business_id: uuid.UUID | None = None,
    link: str = "",
    dedupe_key: str | None = None,
    at: datetime | None = None,
) -> int:
    """Record a notification for each user; with ``dedupe_key``, at most once per user ever.

    Returns how many were created.
    """
    created = 0
    for user_id in dict.fromkeys(user_ids):  # distinct, order kept
        key = f"{dedupe_key}:{user_id}" if dedupe_key else None
        try:
            with transaction.atomic():
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
        created += 1
    return created


def notification_mark_read(*, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user_id=user_id).first()
    if notification is None:
        raise NotFound("notification")
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification
