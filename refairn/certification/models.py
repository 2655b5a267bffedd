"""Each agent's certification per track, its event history and the extra attempts granted."""

from django.conf import settings
from django.db import models

from refairn.certification.domain.status import Status
from refairn.core import clock
from refairn.core.models import TransitionRecord
from refairn.core.tenancy import TenantQuerySet


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]  # type: ignore[attr-defined]


class Certification(models.Model):
    """One agent's certification in one track; ``status`` changes only through
    ``certification.services`` (the table in ``certification.domain.status``)."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(
        "training.Track", on_delete=models.CASCADE, related_name="certifications"
    )
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24, choices=_choices(Status), default=Status.NOT_STARTED)
    certified_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Attempts count per cycle; a cycle starts when the agent is certified or the
    # certification is reopened after a revocation.
    cycle = models.PositiveIntegerField(default=1)
    attempts_used = models.PositiveIntegerField(default=0)
    granted_attempts = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    # When a renewal passed that waits for the business's final approval (manual approval,
    # issue 11 item 3); the current certification stays as it is until the business decides.
    renewal_passed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "agent"], name="unique_certification"),
        ]
        indexes = [
            models.Index(fields=["business", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} in {self.track_id}: {self.status}"


class CertificationEvent(TransitionRecord):
    """Append-only history: every status change with who, when and why (PRODUCT.md §5)."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="events"
    )


class AttemptGrant(models.Model):
    """Extra attempts a business granted for one certification cycle (PRODUCT.md §4: "the
    business may grant extra attempts"); the audit row behind ``granted_attempts``."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="grants"
    )
    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveIntegerField()
    count = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"+{self.count} attempts for {self.certification_id}"
