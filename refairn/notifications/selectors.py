from __future__ import annotations

import uuid

from refairn.notifications.models import Notification


def notifications_list_for(user_id: uuid.UUID, *, unread_only: bool = False) -> list[Notification]:
    qs = Notification.objects.filter(user_id=user_id).order_by("-created_at", "id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs[:200])
