from __future__ import annotations

import uuid

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
