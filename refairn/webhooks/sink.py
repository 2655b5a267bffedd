"""The webhooks app's outbox sink: it turns a dispatched event into one delivery row per
subscribed endpoint of the event's business (issue 13)."""

from __future__ import annotations

from refairn.core import clock
from refairn.notifications.models import OutboxEvent
from refairn.webhooks import domain
from refairn.webhooks.domain import DeliveryStatus
from refairn.webhooks.models import WebhookDelivery, WebhookEndpoint
from refairn.webhooks.services import new_webhook_id


class WebhookSink:
    def accept(self, event: OutboxEvent) -> None:
        """Inside the dispatch transaction; the unique (endpoint, event) key makes a second
        hand-over write nothing, so each row keeps the one ``webhook-id`` it got first."""
        if event.business_id is None:
            return
        now = clock.now()
        body = domain.payload_body(event.type, event.occurred_at, event.data)
        endpoints = WebhookEndpoint.objects.filter(business_id=event.business_id)
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    business_id=event.business_id,
                    endpoint=endpoint,
                    event=event,
                    webhook_id=new_webhook_id(),
                    event_type=event.type,
                    body=body,
                    next_attempt_at=now,
                    created_at=now,
                )
                for endpoint in endpoints
                if domain.subscribed(endpoint.events, event.type)
            ],
            ignore_conflicts=True,
        )

    def schedule(self, event: OutboxEvent) -> None:
        from refairn.webhooks.tasks import webhook_delivery_attempt_task

        due = WebhookDelivery.objects.filter(event=event, status=DeliveryStatus.PENDING)
        for delivery_id in due.values_list("pk", flat=True):
            webhook_delivery_attempt_task(delivery_id)
