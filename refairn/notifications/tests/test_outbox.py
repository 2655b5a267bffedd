"""Issue 13: every notification is an outbox event written with the change; dispatching hands
it to the sinks exactly once, and the sweep redoes a dispatch that crashed."""

import re
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from refairn.notifications.models import EmailDelivery, Notification, OutboxEvent
from refairn.notifications.outbox import PayloadMismatch, outbox_dispatch, outbox_sweep
from refairn.notifications.services import notification_send, notification_send_each
from refairn.notifications.sinks import SINKS, register_sink
from refairn.notifications.tests.events import sample_data, send_kw
from tests.support import T0

pytestmark = pytest.mark.django_db


def test_a_notification_writes_one_outbox_event_with_the_common_fields(
    alice: Any, bob: Any, business_a: Any
) -> None:
    data = sample_data("certification.certified", expires_at=None)
    notification_send(
        user_ids=[alice.id, bob.id, alice.id],
        business_id=business_a.id,
        kind="certification_certified",
        text="Certified.",
        link="/b/x/",
        event="certification.certified",
        data=data,
    )
    event = OutboxEvent.objects.get()
    assert (event.type, event.family, event.occurred_at) == (
        "certification.certified",
        "certification",
        T0,
    )
    assert event.data == {
        "agent_id": str(data["agent_id"]),
        "agent_name": "sample",
        "track_id": str(data["track_id"]),
        "track_name": "sample",
        "expires_at": None,
        "renewed": False,
        "business_id": str(business_a.id),
        "business_name": business_a.name,
        "kind": "certification_certified",
        "text": "Certified.",
        "link": "/b/x/",
        "url": "http://127.0.0.1:8000/b/x/",
        "recipient_ids": [str(alice.id), str(bob.id)],
    }


def test_money_is_sent_as_decimal_strings(bob: Any, business_a: Any) -> None:
    total = {"amount": Decimal("1234.50"), "currency": "EUR"}
    notification_send(
        user_ids=[bob.id],
        business_id=business_a.id,
        text="t",
        **send_kw("commission.statement", total=total),
    )
    assert OutboxEvent.objects.get().data["total"] == {"amount": "1234.50", "currency": "EUR"}


@pytest.mark.parametrize(
    ("event", "data", "problem"),
    [
        ("program.greeted", {}, "'program.greeted' is not in the event catalogue"),
        ("support.warning", {"agent_id": uuid.uuid4(), "agent_name": "Bob"}, "message: missing"),
        (
            "support.warning",
            {"agent_id": "bob", "agent_name": "Bob", "message": "m"},
            "agent_id: expected id",
        ),
        (
            "support.warning",
            {"agent_id": uuid.uuid4(), "agent_name": None, "message": "m"},
            "agent_name: expected string",
        ),
        (
            "support.warning",
            {"agent_id": uuid.uuid4(), "agent_name": "B", "message": "m", "extra": 1},
            "extra: not a field of support.warning",
        ),
        (
            "certification.attempts_granted",
            {**sample_data("certification.attempts_granted"), "count": "2"},
            "count: expected integer",
        ),
        (
            "commission.reversed",
            {**sample_data("commission.reversed"), "amount": {"amount": 1.5, "currency": "EUR"}},
            "amount: expected money",
        ),
        (
            "certification.expired",
            {**sample_data("certification.expired"), "expires_at": None},
            "expires_at: expected datetime",
        ),
    ],
)
def test_an_event_outside_the_catalogue_or_its_schema_is_refused_with_the_change(
    bob: Any, event: str, data: dict[str, Any], problem: str
) -> None:
    # The caller's change: a refused notice fails it whole (the notice takes no savepoint).
    with pytest.raises(PayloadMismatch, match=re.escape(problem)), transaction.atomic():
        notification_send(user_ids=[bob.id], kind="k", text="t", event=event, data=data)
    assert not Notification.objects.exists() and not OutboxEvent.objects.exists()


def test_outside_strict_mode_a_field_mismatch_is_logged_and_the_change_kept(
    bob: Any, settings: Any, caplog: Any
) -> None:
    settings.REFAIRN_STRICT_EVENT_PAYLOADS = False
    data = {**sample_data("certification.attempts_granted"), "count": "2"}
    notification_send(
        user_ids=[bob.id], kind="k", text="t", event="certification.attempts_granted", data=data
    )
    assert OutboxEvent.objects.get().type == "certification.attempts_granted"
    assert "count: expected integer" in caplog.text
    with pytest.raises(PayloadMismatch, match=re.escape("hello.world")):
        notification_send(user_ids=[bob.id], kind="k", text="t", event="hello.world", data={})


def test_a_deduplicated_notification_writes_no_second_event(bob: Any) -> None:
    for _ in range(2):
        notification_send(
            user_ids=[bob.id], text="t", dedupe_key="k", **send_kw("certification.expired")
        )
    assert OutboxEvent.objects.count() == 1


def test_dispatching_twice_hands_the_event_over_once(bob: Any, business_a: Any) -> None:
    notification_send(
        user_ids=[bob.id], business_id=business_a.id, text="t", **send_kw("sla.warning")
    )
    event = OutboxEvent.objects.get()
    assert outbox_dispatch(event.id) is True
    assert outbox_dispatch(event.id) is False
    assert EmailDelivery.objects.filter(event=event).count() == 1
    assert outbox_sweep() == 0


class BrokenSink:
    def accept(self, events: Sequence[OutboxEvent]) -> None:
        raise RuntimeError("the sink's database write failed")

    def schedule(self, event: OutboxEvent) -> None:
        raise AssertionError("never scheduled: its dispatch was rolled back")


def test_a_dispatch_that_fails_is_rolled_back_and_redone_by_the_sweep(bob: Any) -> None:
    notification_send(user_ids=[bob.id], text="t", **send_kw("sla.warning"))
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


def test_a_mismatching_payload_is_refused_even_when_nobody_is_told(bob: Any) -> None:
    """A business without reviewers tells nobody; the notice is still checked."""
    with pytest.raises(PayloadMismatch, match="message: missing"):
        notification_send(
            user_ids=[], kind="k", text="t", event="support.warning", data={"agent_id": bob.id}
        )


def test_sending_each_tells_every_user_once_with_their_own_event(
    alice: Any, bob: Any, business_a: Any
) -> None:
    def notices(*users: Any) -> list[Any]:
        return [
            (user.id, f"for {user.email}", sample_data("commission.statement", agent_id=user.id))
            for user in users
        ]

    kw = {"event": "commission.statement", "kind": "commission_statement", "dedupe_key": "m"}
    assert notification_send_each(notices=notices(bob), business_id=business_a.id, **kw) == 1
    assert notification_send_each(notices=notices(alice, bob), **kw) == 1
    assert notification_send_each(notices=notices(alice, bob), **kw) == 0

    events = {event.recipient_ids[0]: event for event in OutboxEvent.objects.all()}
    assert set(events) == {str(alice.id), str(bob.id)}
    assert events[str(bob.id)].data["business_name"] == business_a.name
    assert events[str(bob.id)].data["agent_id"] == str(bob.id)
    assert events[str(alice.id)].text == f"for {alice.email}"
    assert Notification.objects.filter(dedupe_key__startswith="m:").count() == 2
    assert outbox_sweep() == 2
    with pytest.raises(PayloadMismatch):
        notification_send_each(notices=[(alice.id, "t", {})], **kw)
