"""The webhooks app's outbox sink: it turns a dispatched event into one delivery row per
subscribed endpoint of the event's business (issue 13)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from refairn.core import clock
from refairn.notifications.models import OutboxEvent
from refairn.webhooks import domain
from refairn.webhooks.domain import DeliveryStatus
from refairn.webhooks.models import WebhookDelivery, WebhookEndpoint
from refairn.webhooks.services import new_webhook_id


class WebhookSink:
    def accept(self, events: Sequence[OutboxEvent]) -> None:
        """Inside the dispatch transaction; the unique (endpoint, event) key makes a second
        hand-over write nothing, so each row keeps the one ``webhook-id`` it got first."""
        business_ids = {event.business_id for event in events if event.business_id is not None}
        if not business_ids:
            return
        endpoints: dict[uuid.UUID, list[WebhookEndpoint]] = defaultdict(list)
        for endpoint in WebhookEndpoint.objects.filter(business_id__in=business_ids):
            endpoints[endpoint.business_id].append(endpoint)
        now = clock.now()
        rows = []
        for event in events:
            if event.business_id is None:
                continue
            subscribed = [
                endpoint
                for endpoint in endpoints[event.business_id]
                if domain.subscribed(endpoint.events, event.type)
            ]
            if not subscribed:
                continue
            body = domain.payload_body(event.type, event.occurred_at, event.data)
            rows += [
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
                for endpoint in subscribed
            ]
        WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)

    def schedule(self, event: OutboxEvent) -> None:
        from refairn.webhooks.tasks import webhook_delivery_attempt_task

        due = WebhookDelivery.objects.filter(event=event, status=DeliveryStatus.PENDING)
        for delivery_id in due.values_list("pk", flat=True):
            webhook_delivery_attempt_task(delivery_id)
