"""Writes of webhook endpoints (issue 13; API.md additions): register, change, delete, rotate
the secret, ping, redeliver. Owners and managers only; other businesses' endpoints are 404."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction

from refairn.core import clock
from refairn.core.errors import Conflict, InvalidInput, field_error
from refairn.core.tenancy import Actor
from refairn.notifications.domain.catalogue import CATALOGUE
from refairn.notifications.outbox import absolute_url
from refairn.webhooks import domain, network
from refairn.webhooks.domain import DeliveryStatus, UrlRefused
from refairn.webhooks.models import WebhookDelivery, WebhookEndpoint
from refairn.webhooks.selectors import delivery_get_for, webhook_get_for, webhooks_list_for
from refairn.webhooks.signing import secret_new

# How long the previous secret still signs after a rotation, so receivers can switch over.
ROTATION_GRACE = timedelta(hours=24)
MAX_ENDPOINTS = 20
PING_TYPE = "webhook.test"


def _url_checked(url: str) -> str:
    """The URL as stored, or a 422 naming why deliveries may never go there."""
    try:
        network.target_check(url)
    except UrlRefused as exc:
        raise InvalidInput(
            f"url: {exc.message}", code=exc.code, fields={"url": exc.message}
        ) from None
    return url.strip()


def _events_checked(events: Sequence[str]) -> list[str]:
    try:
        return domain.events_check(events, [spec.type for spec in CATALOGUE])
    except ValueError as exc:
        raise field_error("events", str(exc), code="unknown_event_type") from None


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


@transaction.atomic
def webhook_create(*, actor: Actor, url: str, events: Sequence[str]) -> WebhookEndpoint:
    """Issue 13: a business (owner, manager) registers a URL for the events it names, or
    ``["*"]``; the answer carries the signing secret (``whsec_<base64>``)."""
    webhooks_list_for(actor)  # the role check
    events = _events_checked(events)
    url = _url_checked(url)
    if WebhookEndpoint.objects.for_actor(actor).count() >= MAX_ENDPOINTS:
        raise Conflict(
            f"A business has at most {MAX_ENDPOINTS} webhook endpoints.", code="too_many_webhooks"
        )
    return WebhookEndpoint.objects.create(
        business_id=actor.business_id,
        url=url,
        events=events,
        secret=secret_new(),
        created_at=clock.now(),
        created_by_id=actor.user_id,
    )


@transaction.atomic
def webhook_update(
    *,
    actor: Actor,
    endpoint_id: object,
    url: str | None = None,
    events: Sequence[str] | None = None,
) -> WebhookEndpoint:
    """Change an endpoint's URL or events; deliveries already written keep their URL's
    endpoint and go to the new URL from their next attempt."""
    endpoint = webhook_get_for(actor, endpoint_id, lock=True)
    changed = []
    if events is not None:
        endpoint.events = _events_checked(events)
        changed.append("events")
    if url is not None:
        endpoint.url = _url_checked(url)
        changed.append("url")
    if changed:
        endpoint.save(update_fields=changed)
    return endpoint


@transaction.atomic
def webhook_delete(*, actor: Actor, endpoint_id: object) -> None:
    """Remove an endpoint with its delivery log; nothing more is sent to it."""
    webhook_get_for(actor, endpoint_id, lock=True).delete()


@transaction.atomic
def webhook_secret_rotate(*, actor: Actor, endpoint_id: object) -> WebhookEndpoint:
    """A new secret signs from now on; the old one also signs for ROTATION_GRACE, so the
    receiver can switch without refusing deliveries (Standard Webhooks multi-signature)."""
    endpoint = webhook_get_for(actor, endpoint_id, lock=True)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = clock.now() + ROTATION_GRACE
    endpoint.secret = secret_new()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint


def _schedule(delivery_id: uuid.UUID) -> None:
    from refairn.webhooks.tasks import webhook_delivery_attempt_task

    transaction.on_commit(lambda: webhook_delivery_attempt_task(delivery_id))


@transaction.atomic
def webhook_ping(*, actor: Actor, endpoint_id: object) -> WebhookDelivery:
    """A ``webhook.test`` delivery to check the receiver and its signature verification; it
    is logged and retried like any other."""
    endpoint = webhook_get_for(actor, endpoint_id)
    now = clock.now()
    data = {
        "business_id": str(actor.business_id),
        "webhook_endpoint_id": str(endpoint.pk),
        "text": "A test delivery from Refairn.",
        "url": absolute_url(f"/b/{actor.business_id}/webhooks/"),
    }
    delivery = WebhookDelivery.objects.create(
        business_id=actor.business_id,
        endpoint=endpoint,
        webhook_id=new_webhook_id(),
        event_type=PING_TYPE,
        body=domain.payload_body(PING_TYPE, now, data),
        next_attempt_at=now,
        created_at=now,
    )
    _schedule(delivery.pk)
    return delivery


@transaction.atomic
def webhook_delivery_redeliver(
    *, actor: Actor, endpoint_id: object, delivery_id: object
) -> WebhookDelivery:
    """Issue 13: send a dead (or delivered) row again, under the same ``webhook-id`` and body,
    with a fresh day of retries. A row still being tried is refused (409)."""
    delivery = delivery_get_for(actor, endpoint_id, delivery_id)
    now = clock.now()
    moved = WebhookDelivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.DEAD, DeliveryStatus.SUCCEEDED]
    ).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        first_attempt_at=None,
        next_attempt_at=now,
        lease_until=None,
        lease_token=None,
    )
    if not moved:
        raise Conflict(
            "This delivery is still being tried; wait for it to succeed or die.",
            code="delivery_pending",
        )
    _schedule(delivery.pk)
    delivery.refresh_from_db()
    return delivery
