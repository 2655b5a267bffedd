"""Certification tracks, each agent's certification per track, and its event history."""

from django.conf import settings
from django.db import models

from refairn.certification.domain.eligibility import Requirement
from refairn.certification.domain.status import Status
from refairn.core import clock
from refairn.core.models import TransitionRecord, UUIDModel
from refairn.core.tenancy import TenantQuerySet


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]  # type: ignore[attr-defined]


class Track(UUIDModel):
    """A certification track (PRODUCT.md §3): its modules, assessment and renewal interval."""

    class AgentLevel(models.TextChoices):
        L1 = "L1"
        L2 = "L2"
        L3 = "L3"

    class AssessmentMode(models.TextChoices):
        FIXED = "fixed"
        ADAPTIVE = "adaptive"

    business = models.ForeignKey(
        "programs.Business", on_delete=models.CASCADE, related_name="tracks"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    requirement = models.CharField(max_length=16, choices=_choices(Requirement))
    min_level = models.CharField(max_length=2, choices=AgentLevel.choices, blank=True)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    estimated_days = models.PositiveSmallIntegerField(null=True, blank=True)
    passing_score = models.DecimalField(max_digits=5, decimal_places=2)
    recertification_months = models.PositiveSmallIntegerField()
    security_critical = models.BooleanField(default=False)
    badge_name = models.CharField(max_length=80)
    badge_icon = models.CharField(max_length=16, blank=True)
    assessment_mode = models.CharField(
        max_length=8, choices=AssessmentMode.choices, default=AssessmentMode.FIXED
    )
    question_count = models.PositiveSmallIntegerField()
    time_limit_minutes = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="unique_track_name"),
            models.CheckConstraint(
                condition=models.Q(passing_score__gte=0, passing_score__lte=100),
                name="track_passing_score_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    """One agent's certification in one track; ``status`` changes only through
    ``certification.services`` (the table in ``certification.domain.status``)."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="certifications")
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
    # The expiry date whose 30-day reminder was sent: the reminder job's compare-and-set guard,
    # so each expiry date is announced once however often (or concurrently) the job runs.
    expiry_reminder_for = models.DateTimeField(null=True, blank=True)
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
