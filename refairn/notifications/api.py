import uuid

from django.http import HttpRequest
from ninja import Router

from refairn.accounts.auth import request_user
from refairn.core.tenancy import parse_uuid
from refairn.notifications.models import Notification
from refairn.notifications.schemas import NotificationOut
from refairn.notifications.selectors import notifications_list_for
from refairn.notifications.services import notification_mark_read

router = Router(tags=["accounts"])


@router.get("/me/notifications", response=list[NotificationOut])
def list_notifications(request: HttpRequest, unread: bool = False) -> list[Notification]:
    return notifications_list_for(request_user(request).id, unread_only=unread)


@router.post("/me/notifications/{notification_id}/read", response=NotificationOut)
def mark_read(request: HttpRequest, notification_id: str) -> Notification:
    key: uuid.UUID = parse_uuid(notification_id, what="notification")
    return notification_mark_read(user_id=request_user(request).id, notification_id=key)
