"""Issue 13: deliveries to a real HTTP receiver on loopback, verified with the
``standardwebhooks`` package; retries under the same webhook-id; dead after a day; redelivery;
SSRF refusals at delivery time; a rolled-back change sends nothing."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from refairn.core import clock
from refairn.notifications.mail import email_deliveries_send
from refairn.notifications.outbox import outbox_sweep
from refairn.notifications.services import notification_send
from refairn.notifications.tests.events import send_kw
from refairn.programs.selectors import actor_for
from refairn.webhooks import network, services
from refairn.webhooks.delivery import webhook_deliveries_sweep
from refairn.webhooks.domain import DeliveryStatus
from refairn.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from refairn.webhooks.tests.receiver import Receiver, http_receiver
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db


def register(alice: Any, business: Any, url: str, events: Any = ("*",)) -> WebhookEndpoint:
    return services.webhook_create(
        actor=actor_for(alice, business.id), url=url, events=list(events)
    )


@pytest.fixture
def hook(alice: Any, business_a: Any, receiver: Receiver, dev_mode: None) -> WebhookEndpoint:
    endpoint = register(alice, business_a, receiver.url)
    receiver.secret = endpoint.secret
    return endpoint


def certified(bob: Any, business: Any, **kw: Any) -> None:
    notification_send(
        user_ids=[bob.id],
        business_id=business.id,
        text="You earned Onboarding.",
        link=f"/b/{business.id}/certifications/t1",
        **send_kw("certification.certified", agent_id=bob.id),
        **kw,
    )


def deliver() -> None:
    outbox_sweep()
    webhook_deliveries_sweep()


def test_an_event_is_posted_signed_per_standard_webhooks(
    hook: WebhookEndpoint,
    receiver: Receiver,
    bob: Any,
    business_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # dispatch and delivery on commit
        certified(bob, business_a)
    [request] = receiver.requests
    assert request.verified, "standardwebhooks.Webhook.verify refused the signature"
    assert request.webhook_id.startswith("msg_")
    assert request.headers["content-type"] == "application/json"
    payload = request.payload
    assert payload["type"] == "certification.certified"
    assert datetime.fromisoformat(payload["timestamp"]) == T0
    assert payload["data"]["agent_id"] == str(bob.id)
    assert payload["data"]["business_id"] == str(business_a.id)
    assert payload["data"]["recipient_ids"] == [str(bob.id)]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.webhook_id, delivery.attempts) == (
        DeliveryStatus.SUCCEEDED,
        request.webhook_id,
        1,
    )
    assert WebhookAttempt.objects.get().status_code == 200


def test_only_subscribed_events_of_the_business_are_sent(
    alice: Any, bob: Any, business_a: Any, business_b: Any, receiver: Receiver, dev_mode: None
) -> None:
    register(alice, business_a, receiver.url, ["ticket.opened"])
    certified(bob, business_a)
    certified(bob, business_b)
    notification_send(user_ids=[bob.id], text="no business", **send_kw("ticket.opened"))
    notification_send(
        user_ids=[bob.id], business_id=business_a.id, text="New ticket", **send_kw("ticket.opened")
    )
    deliver()
    assert [r.payload["type"] for r in receiver.requests] == ["ticket.opened"]
    assert receiver.requests[0].payload["data"]["text"] == "New ticket"


def test_a_receiver_that_fails_first_gets_the_same_webhook_id_again(
    hook: WebhookEndpoint, receiver: Receiver, bob: Any, business_a: Any
) -> None:
    receiver.answers.extend([500])
    certified(bob, business_a)
    deliver()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code, delivery.next_attempt_at) == (
        DeliveryStatus.PENDING,
        500,
        T0 + timedelta(minutes=1),
    )
    deliver()  # not due yet
    assert len(receiver.requests) == 1
    with clock.frozen(T0 + timedelta(minutes=1)):
        deliver()
    first, second = receiver.requests
    assert (first.status, second.status) == (500, 200)
    assert first.webhook_id == second.webhook_id
    assert first.body == second.body
    assert first.verified and second.verified
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)
    assert list(WebhookAttempt.objects.values_list("status_code", flat=True)) == [500, 200]


def test_a_timeout_is_a_failure(
    hook: WebhookEndpoint, receiver: Receiver, bob: Any, business_a: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(network, "READ_TIMEOUT", 0.3)
    receiver.delay = 1.0
    certified(bob, business_a)
    deliver()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code is None
    assert "Timeout" in delivery.last_error


def test_redirects_are_not_followed(
    hook: WebhookEndpoint, receiver: Receiver, bob: Any, business_a: Any
) -> None:
    with http_receiver() as elsewhere:
        receiver.answers.extend([307])
        receiver.location = elsewhere.url
        certified(bob, business_a)
        deliver()
        assert elsewhere.requests == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, 307)


def test_a_delivery_failing_for_a_day_dies_and_can_be_redelivered(
    hook: WebhookEndpoint,
    receiver: Receiver,
    bob: Any,
    business_a: Any,
    as_alice: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receiver.answers.extend([503] * 100)
    certified(bob, business_a)
    deliver()
    delivery = WebhookDelivery.objects.get()
    gaps = []
    while delivery.status == DeliveryStatus.PENDING:
        gaps.append(delivery.next_attempt_at - T0)
        with clock.frozen(delivery.next_attempt_at):
            webhook_deliveries_sweep()
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD
    # Exponential backoff (1, 2, 4 ... minutes, at most 4 hours apart) for one day.
    assert [g.total_seconds() / 60 for g in gaps[:4]] == [1, 3, 7, 15]
    assert gaps[-1] <= timedelta(days=1)
    assert len({r.webhook_id for r in receiver.requests}) == 1
    assert delivery.attempts == len(receiver.requests) == len(gaps) + 1
    path = f"/businesses/{business_a.id}/webhooks/{hook.id}/deliveries"
    log = as_alice.get(f"{path}?status=dead").body
    assert [d["id"] for d in log] == [str(delivery.id)]
    assert log[0]["next_attempt_at"] is None and len(log[0]["tries"]) == delivery.attempts

    receiver.answers.clear()
    with clock.frozen(T0 + timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        again = as_alice.post(f"{path}/{delivery.id}/redeliver")
    assert again.status_code == 202
    assert receiver.requests[-1].webhook_id == delivery.webhook_id
    assert receiver.requests[-1].status == 200 and receiver.requests[-1].verified
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert as_alice.get(f"{path}/{delivery.id}").body["status"] == "succeeded"


def test_a_delivery_still_being_tried_cannot_be_redelivered(
    hook: WebhookEndpoint, receiver: Receiver, bob: Any, business_a: Any, as_alice: Any
) -> None:
    receiver.answers.extend([500])
    certified(bob, business_a)
    deliver()
    delivery = WebhookDelivery.objects.get()
    path = f"/businesses/{business_a.id}/webhooks/{hook.id}/deliveries/{delivery.id}"
    assert_problem(as_alice.post(f"{path}/redeliver"), 409, "delivery_pending")
    assert WebhookDelivery.objects.get().attempts == 1


def test_the_test_ping_is_signed_and_logged(
    hook: WebhookEndpoint,
    receiver: Receiver,
    as_alice: Any,
    business_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(f"/businesses/{business_a.id}/webhooks/{hook.id}/test")
    assert response.status_code == 202
    assert response.body["event_type"] == "webhook.test"
    [request] = receiver.requests
    assert request.verified and request.payload["type"] == "webhook.test"
    assert request.webhook_id == response.body["webhook_id"]


def test_after_a_rotation_both_secrets_sign_for_a_day(
    hook: WebhookEndpoint, receiver: Receiver, alice: Any, business_a: Any
) -> None:
    old = hook.secret
    new = services.webhook_secret_rotate(actor=actor_for(alice, business_a.id), endpoint_id=hook.id)
    services.webhook_ping(actor=actor_for(alice, business_a.id), endpoint_id=hook.id)
    webhook_deliveries_sweep()
    request = receiver.requests[-1]
    assert receiver.verify(request.body, request.headers, old)
    assert receiver.verify(request.body, request.headers, new.secret)
    with clock.frozen(T0 + timedelta(hours=25)):
        services.webhook_ping(actor=actor_for(alice, business_a.id), endpoint_id=hook.id)
        webhook_deliveries_sweep()
    request = receiver.requests[-1]
    assert not receiver.verify(request.body, request.headers, old)
    assert receiver.verify(request.body, request.headers, new.secret)


def test_a_name_that_rebinds_to_a_private_address_is_refused_at_delivery(
    alice: Any, bob: Any, business_a: Any, dns: Any
) -> None:
    dns["hooks.example.com"] = ["93.184.216.34"]
    register(alice, business_a, "https://hooks.example.com/in")
    dns["hooks.example.com"] = ["10.0.0.1"]  # the DNS answer changes after registration
    certified(bob, business_a)
    deliver()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code is None
    assert delivery.last_error == (
        "refused: hooks.example.com resolves to 10.0.0.1, a private address"
    )


def test_loopback_is_refused_at_delivery_once_development_mode_is_off(
    hook: WebhookEndpoint, receiver: Receiver, bob: Any, business_a: Any, settings: Any
) -> None:
    settings.REFAIRN_TEST_CLOCK = False
    certified(bob, business_a)
    deliver()
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().last_error.startswith("refused: ")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing(
    hook: WebhookEndpoint, receiver: Receiver, smtp: Any, bob: Any, business_a: Any
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        certified(bob, business_a)
        raise RuntimeError("the change fails after announcing itself")
    deliver()
    email_deliveries_send()
    assert receiver.requests == [] and smtp.messages == []
    assert not WebhookDelivery.objects.exists()
    # The same change committed is delivered both ways.
    certified(bob, business_a)
    deliver()
    email_deliveries_send()
    assert len(receiver.requests) == 1 and len(smtp.messages) == 1


def test_the_test_clock_delivers_what_fell_due(
    hook: WebhookEndpoint, receiver: Receiver, bob: Any, business_a: Any, anon: Any
) -> None:
    certified(bob, business_a)  # its dispatch task never ran (nothing commits in this test)
    response = anon.put("/test-clock", {"now": (T0 + timedelta(minutes=3)).isoformat()})
    assert response.status_code == 200
    assert [r.payload["type"] for r in receiver.requests] == ["certification.certified"]


def test_an_address_that_refuses_the_connection_gives_way_to_the_next_checked_one(
    alice: Any, bob: Any, business_a: Any, receiver: Receiver, dev_mode: None, dns: Any
) -> None:
    dns["multi.localhost"] = ["127.0.0.2", "127.0.0.1"]  # nothing listens on 127.0.0.2
    receiver.secret = register(
        alice, business_a, f"http://multi.localhost:{receiver.port}/hooks"
    ).secret
    certified(bob, business_a)
    deliver()
    [request] = receiver.requests
    assert request.verified and request.headers["host"] == f"multi.localhost:{receiver.port}"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
