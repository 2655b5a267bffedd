from __future__ import annotations

import uuid
from collections.abc import Iterable

from refairn.core.pagination import Page, keyset_page, page_limit
from refairn.notifications.models import Notification

NOTIFICATION_ORDER = ("-created_at", "id")


def notifications_page_for(
    user_id: uuid.UUID, *, unread_only: bool = False, limit: int | None, cursor: str | None
) -> Page[Notification]:
    """The user's notifications, newest first, a page at a time."""
    qs = Notification.objects.filter(user_id=user_id)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return keyset_page(qs, order=NOTIFICATION_ORDER, limit=page_limit(limit), cursor=cursor)


def users_told(dedupe_key: str, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``user_ids`` already have the notification ``notification_send`` records
    under ``dedupe_key``: a caller about to tell thousands of users once each asks first, in a
    few reads, instead of trying each user's insert."""
    by_key = {f"{dedupe_key}:{user_id}": user_id for user_id in user_ids}
    keys, told = list(by_key), set[uuid.UUID]()
    # Chunks keep the IN list under every engine's limit on parameters per statement.
    for start in range(0, len(keys), 1000):
        rows = Notification.objects.filter(dedupe_key__in=keys[start : start + 1000])
        told.update(by_key[key] for key in rows.values_list("dedupe_key", flat=True) if key)
    return told
