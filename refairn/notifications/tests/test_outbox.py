"""Issue 13: every notification is an outbox event written with the change; dispatching hands
it to the sinks exactly once, and the sweep redoes a dispatch that crashed."""

import uuid
from typing import Any

import pytest

from refairn.notifications.models import EmailDelivery, OutboxEvent
from refairn.notifications.outbox import outbox_dispatch, outbox_sweep
from refairn.notifications.services import notification_send
from refairn.notifications.sinks import SINKS, register_sink
from tests.support import T0

pytestmark = pytest.mark.django_db


def test_a_notification_writes_one_outbox_event_with_the_common_fields(
    alice: Any, bob: Any, business_a: Any
) -> None:
    track_id = uuid.uuid4()
    notification_send(
        user_ids=[alice.id, bob.id, alice.id],
        business_id=business_a.id,
        kind="certification_certified",
        text="Certified.",
        link="/b/x/",
        data={"track_id": track_id, "renewed": False},
    )
    event = OutboxEvent.objects.get()
    assert (event.type, event.family, event.occurred_at) == (
        "certification.certified",
        "certification",
        T0,
    )
    assert event.data == {
        "track_id": str(track_id),
        "renewed": False,
        "business_id": str(business_a.id),
        "kind": "certification_certified",
        "text": "Certified.",
        "link": "/b/x/",
        "url": "http://127.0.0.1:8000/b/x/",
        "recipient_ids": [str(alice.id), str(bob.id)],
    }


def test_the_caller_may_name_the_event_type(bob: Any) -> None:
    notification_send(user_ids=[bob.id], kind="hello", text="Hi", event="program.greeted")
    assert OutboxEvent.objects.get().type == "program.greeted"


def test_a_malformed_event_type_is_refused(bob: Any) -> None:
    with pytest.raises(ValueError, match="not an event type"):
        notification_send(user_ids=[bob.id], kind="hello", text="Hi", event="Hello World")


def test_a_deduplicated_notification_writes_no_second_event(bob: Any) -> None:
    for _ in range(2):
        notification_send(user_ids=[bob.id], kind="certification_expired", text="t", dedupe_key="k")
    assert OutboxEvent.objects.count() == 1


def test_dispatching_twice_hands_the_event_over_once(bob: Any, business_a: Any) -> None:
    notification_send(user_ids=[bob.id], business_id=business_a.id, kind="sla_warning", text="t")
    event = OutboxEvent.objects.get()
    assert outbox_dispatch(event.id) is True
    assert outbox_dispatch(event.id) is False
    assert EmailDelivery.objects.filter(event=event).count() == 1
    assert outbox_sweep() == 0


class BrokenSink:
    def accept(self, event: OutboxEvent) -> None:
        raise RuntimeError("the sink's database write failed")

    def schedule(self, event: OutboxEvent) -> None:
        raise AssertionError("never scheduled: its dispatch was rolled back")


def test_a_dispatch_that_fails_is_rolled_back_and_redone_by_the_sweep(bob: Any) -> None:
    notification_send(user_ids=[bob.id], kind="sla_warning", text="t")
    event = OutboxEvent.objects.get()
    register_sink("broken", BrokenSink())
    try:
        assert outbox_sweep() == 0
        event.refresh_from_db()
        # The e-mail sink's rows went with the rollback: all sinks or none.
        assert event.dispatched_at is None and not EmailDelivery.objects.exists()
    finally:
        del SINKS["broken"]
    assert outbox_sweep() == 1
    assert EmailDelivery.objects.filter(event=event).count() == 1
