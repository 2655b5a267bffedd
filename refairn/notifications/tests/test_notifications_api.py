from typing import Any

import pytest

from refairn.notifications.models import Notification
from refairn.notifications.services import notification_send
from tests.support import assert_problem

pytestmark = pytest.mark.django_db


def test_users_see_only_their_own_notifications(
    as_alice: Any, alice: Any, bob: Any, business_a: Any
) -> None:
    notification_send(
        user_ids=[alice.id], kind="hello", text="For Alice", business_id=business_a.id
    )
    notification_send(user_ids=[bob.id], kind="hello", text="For Bob")
    rows = as_alice.get("/me/notifications").body
    assert [(r["kind"], r["text"], r["read"], r["business_id"]) for r in rows] == [
        ("hello", "For Alice", False, str(business_a.id))
    ]


def test_marking_read(as_alice: Any, alice: Any) -> None:
    notification_send(user_ids=[alice.id], kind="hello", text="Hi")
    notice = Notification.objects.get()
    assert as_alice.post(f"/me/notifications/{notice.id}/read").body["read"] is True
    assert as_alice.get("/me/notifications?unread=true").body == []


def test_someone_elses_notification_is_404(as_alice: Any, bob: Any) -> None:
    notification_send(user_ids=[bob.id], kind="hello", text="Hi")
    notice = Notification.objects.get()
    assert_problem(as_alice.post(f"/me/notifications/{notice.id}/read"), 404, "not_found")
    assert Notification.objects.get().read_at is None


def test_a_dedupe_key_sends_once_per_user(alice: Any, bob: Any) -> None:
    assert notification_send(user_ids=[alice.id, bob.id], kind="r", text="t", dedupe_key="k") == 2
    assert notification_send(user_ids=[alice.id, bob.id], kind="r", text="t", dedupe_key="k") == 0
    assert Notification.objects.count() == 2


def test_notifications_need_a_token(anon: Any) -> None:
    assert_problem(anon.get("/me/notifications"), 401, "not_authenticated")
