"""Webhook endpoints of a business and the deliveries of outbox events to them (issue 13)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet


class WebhookEndpoint(UUIDModel):
    """A URL of the business's own tools that receives the events it subscribed to, signed
    per Standard Webhooks with ``secret``. After a rotation the previous secret also signs,
    until ``previous_secret_until``, so receivers can switch without losing deliveries."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=2000)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(UUIDModel):
    """One event (or test ping) to one endpoint. ``webhook_id`` and ``body`` are fixed when
    the row is written, so every retry sends the same bytes under the same ``webhook-id``.
    The unique (endpoint, event) key makes handing an event over twice write it once; a
    worker claims a due row with a compare-and-set that sets a lease."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "notifications.OutboxEvent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    webhook_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=64)
    body = models.TextField()
    status = models.CharField(max_length=16, default="pending")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"],
                condition=Q(event__isnull=False),
                name="webhook_delivery_once_per_endpoint",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # The delivery log's keyset order (selectors.DELIVERY_ORDER) per endpoint.
            models.Index(fields=["endpoint", "-created_at", "id"], name="delivery_log_order"),
            # The staff page's log of every endpoint (selectors.recent_deliveries_for).
            models.Index(fields=["business", "-created_at", "id"], name="delivery_business_order"),
        ]

    def __str__(self) -> str:
        return f"{self.webhook_id} {self.status}"


class WebhookAttempt(models.Model):
    """One POST of a delivery and what came back: the delivery log."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at.isoformat()}: {self.status_code or self.error}"
