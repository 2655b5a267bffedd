import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from refairn.accounts.auth import request_user
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.core.tenancy import parse_uuid
from refairn.notifications.domain.catalogue import Family
from refairn.notifications.models import Notification
from refairn.notifications.preferences import preferences_get_for, preferences_update
from refairn.notifications.schemas import (
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    preferences_out,
)
from refairn.notifications.selectors import notifications_page_for
from refairn.notifications.services import notification_mark_read

router = Router(tags=["accounts"])


@router.get("/me/notifications", response=list[NotificationOut])
def list_notifications(
    request: HttpRequest,
    response: HttpResponse,
    unread: bool = False,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[Notification]:
    """Newest first; when more remain, ``X-Next-Cursor`` carries the ``cursor`` of the next
    page."""
    page = notifications_page_for(
        request_user(request).id, unread_only=unread, limit=limit, cursor=cursor
    )
    return paged(response, page)


@router.post("/me/notifications/{notification_id}/read", response=NotificationOut)
def mark_read(request: HttpRequest, notification_id: str) -> Notification:
    key: uuid.UUID = parse_uuid(notification_id, what="notification")
    return notification_mark_read(user_id=request_user(request).id, notification_id=key)


@router.get("/me/notification-preferences", response=PreferencesOut)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    """E-mail per event family (immediate, daily_digest or off); in-app is always on."""
    return preferences_out(preferences_get_for(request_user(request).id))


@router.put("/me/notification-preferences", response=PreferencesOut)
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    """Set the e-mail mode of the families named; the others keep theirs."""
    changes = {
        Family(name): mode for name, mode in payload.email.model_dump(exclude_none=True).items()
    }
    return preferences_out(preferences_update(user_id=request_user(request).id, changes=changes))
