"""Delivering webhook rows (issue 13): claim with a lease, POST signed, record the attempt,
then succeed, retry with exponential backoff, or die a day after the first attempt."""

from __future__ import annotations

import logging
import uuid

from django.db.models import F, Q

from refairn.core import clock
from refairn.notifications.domain.delivery import LEASE
from refairn.webhooks import domain, network
from refairn.webhooks.domain import DeliveryStatus
from refairn.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from refairn.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

SWEEP_BATCH = 200


def secrets_in_use(endpoint: WebhookEndpoint) -> list[str]:
    """The current secret, and the previous one during its grace period after a rotation."""
    in_use = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > clock.now():
        in_use.append(endpoint.previous_secret)
    return in_use


def webhook_delivery_attempt(delivery_id: uuid.UUID) -> DeliveryStatus | None:
    """Issue 13: one attempt of a due delivery. The compare-and-set claim (due, pending, no
    live lease) lets one worker in; a worker killed before it records the outcome leaves its
    lease, and the row is claimed again when the lease runs out — with the same
    ``webhook-id`` and body, so a receiver that saw the first POST recognizes the second.

    Returns the new status, or None when the row was not this worker's to deliver."""
    now = clock.now()
    token = uuid.uuid4()
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(lease_until=now + LEASE, lease_token=token)
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    headers = signed_headers(
        webhook_id=delivery.webhook_id,
        body=delivery.body,
        secrets_in_use=secrets_in_use(delivery.endpoint),
    )
    outcome = network.post(delivery.endpoint.url, delivery.body.encode(), headers)
    finished = clock.now()
    first = delivery.first_attempt_at or now
    fields: dict[str, object] = {
        "attempts": F("attempts") + 1,
        "first_attempt_at": first,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "lease_until": None,
        "lease_token": None,
    }
    if outcome.status_code is not None and domain.is_success(outcome.status_code):
        status = DeliveryStatus.SUCCEEDED
        fields.update(status=status, delivered_at=finished)
    else:
        retry_at = domain.retry_at(
            failures=delivery.attempts + 1, first_attempt_at=first, now=finished
        )
        status = DeliveryStatus.PENDING if retry_at else DeliveryStatus.DEAD
        fields.update(status=status, next_attempt_at=retry_at or finished)
    # Only the lease holder records the outcome (the endpoint may also be gone by now).
    if WebhookDelivery.objects.filter(pk=delivery_id, lease_token=token).update(**fields):
        WebhookAttempt.objects.create(
            delivery_id=delivery_id,
            at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
    return status


def webhook_deliveries_sweep() -> int:
    """Attempt every due delivery: retries, lost tasks, and rows whose worker died (lease run
    out). Returns how many attempts this sweep made."""
    now = clock.now()
    due = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    attempted = 0
    for delivery_id in list(due):
        try:
            attempted += webhook_delivery_attempt(delivery_id) is not None
        except Exception:
            log.exception("webhook delivery %s failed unexpectedly", delivery_id)
    return attempted
