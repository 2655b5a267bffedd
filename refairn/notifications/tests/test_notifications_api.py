from typing import Any

import pytest

from refairn.notifications.models import Notification
from refairn.notifications.services import notification_send
from refairn.notifications.tests.events import send_kw
from tests.support import assert_problem

pytestmark = pytest.mark.django_db

HELLO = "support.warning"


def test_users_see_only_their_own_notifications(
    as_alice: Any, alice: Any, bob: Any, business_a: Any
) -> None:
    notification_send(
        user_ids=[alice.id], text="For Alice", business_id=business_a.id, **send_kw(HELLO)
    )
    notification_send(user_ids=[bob.id], text="For Bob", **send_kw(HELLO))
    rows = as_alice.get("/me/notifications").body
    assert [(r["kind"], r["text"], r["read"], r["business_id"]) for r in rows] == [
        ("support_warning", "For Alice", False, str(business_a.id))
    ]


def test_marking_read(as_alice: Any, alice: Any) -> None:
    notification_send(user_ids=[alice.id], text="Hi", **send_kw(HELLO))
    notice = Notification.objects.get()
    assert as_alice.post(f"/me/notifications/{notice.id}/read").body["read"] is True
    assert as_alice.get("/me/notifications?unread=true").body == []


def test_someone_elses_notification_is_404(as_alice: Any, bob: Any) -> None:
    notification_send(user_ids=[bob.id], text="Hi", **send_kw(HELLO))
    notice = Notification.objects.get()
    assert_problem(as_alice.post(f"/me/notifications/{notice.id}/read"), 404, "not_found")
    assert Notification.objects.get().read_at is None


def test_a_dedupe_key_sends_once_per_user(alice: Any, bob: Any) -> None:
    both = [alice.id, bob.id]
    assert notification_send(user_ids=both, text="t", dedupe_key="k", **send_kw(HELLO)) == 2
    assert notification_send(user_ids=both, text="t", dedupe_key="k", **send_kw(HELLO)) == 0
    assert Notification.objects.count() == 2


def test_notifications_need_a_token(anon: Any) -> None:
    assert_problem(anon.get("/me/notifications"), 401, "not_authenticated")
