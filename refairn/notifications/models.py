from django.conf import settings
from django.db import models

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
