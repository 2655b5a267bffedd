from django.conf import settings
from django.db import models
from django.db.models import Q

from refairn.core import clock
from refairn.core.models import UUIDModel


class Notification(UUIDModel):
    """Something a user should know. Recorded here; delivery (email, push) reads from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    business = models.ForeignKey(
        "programs.Business", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    text = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Lets a job that may run twice record a notification once (e.g. "expiry-reminder:<cert>").
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class OutboxEvent(UUIDModel):
    """An event to deliver outside the app (issue 13): written by ``notification_send`` in the
    transaction of the change it announces, so a rolled-back change sends nothing. Dispatching
    hands it to every registered sink (e-mail, webhooks) once: ``dispatched_at`` is set by the
    same transaction that writes the sinks' delivery rows."""

    type = models.CharField(max_length=64)
    kind = models.CharField(max_length=64)
    family = models.CharField(max_length=16)
    business = models.ForeignKey(
        "programs.Business", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    recipient_ids = models.JSONField(default=list, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(default=clock.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(dispatched_at__isnull=True),
                name="outbox_undispatched_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} at {self.occurred_at.isoformat()}"


class EmailDelivery(UUIDModel):
    """One recipient's e-mail about one outbox event; unique per (event, user), so dispatching
    twice writes it once. Workers claim it with a lease (see ``domain.delivery``)."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=16)
    status = models.CharField(max_length=16, default="pending")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="email_delivery_once_per_user")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"e-mail {self.status} for {self.user_id}"


class NotificationPreference(models.Model):
    """A user's e-mail choice for one event family; no row means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    family = models.CharField(max_length=16)
    email = models.CharField(max_length=16)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "family"], name="one_preference_per_family")
        ]

    def __str__(self) -> str:
        return f"{self.family}: {self.email}"
