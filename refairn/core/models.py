"""Shared persistence pieces: the id convention, the record of a state change, and the stored
test clock."""

import uuid

from django.conf import settings
from django.db import models

from refairn.core.tenancy import TenantQuerySet


class UUIDModel(models.Model):
    """Opaque, unguessable ids (API.md: IDs are opaque strings)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class TransitionRecord(models.Model):
    """One change of a state machine's status: the event, from and to which status, when, by
    whom (None: the platform itself) and why. Rows are only ever added: the history is the
    audit trail PRODUCT.md asks for."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=24)
    from_status = models.CharField(max_length=24)
    to_status = models.CharField(max_length=24)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class TestClock(models.Model):
    """The one row holding the test clock's time, shared by every web and worker process.

    Only read when REFAIRN_TEST_CLOCK is on.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    now = models.DateTimeField()

    def __str__(self) -> str:
        return f"test clock at {self.now.isoformat()}"


class JobTick(models.Model):
    """A periodic job's claim on one due time. Every worker's scheduler enqueues each periodic
    job; the first run to insert (job, due_at) does the work, the others find the row and stop,
    so two workers run each job once per tick. A run that fails gives its claim back, so
    Huey's retry can take it again."""

    job = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="one_run_per_tick")]
        indexes = [models.Index(fields=["due_at"])]

    def __str__(self) -> str:
        return f"{self.job} at {self.due_at.isoformat()}"
