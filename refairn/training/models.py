"""Certification tracks, their training modules and each agent's progress through them
(PRODUCT.md §3)."""

from django.conf import settings
from django.db import models

from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet
from refairn.training.domain import (
    AgentLevel,
    AssessmentMode,
    ContentStatus,
    Format,
    Requirement,
)


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]  # type: ignore[attr-defined]


class Track(UUIDModel):
    """A certification track (PRODUCT.md §3): its modules, assessment and renewal interval."""

    business = models.ForeignKey(
        "programs.Business", on_delete=models.CASCADE, related_name="tracks"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    requirement = models.CharField(max_length=16, choices=_choices(Requirement))
    min_level = models.CharField(max_length=2, choices=_choices(AgentLevel), blank=True)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    estimated_days = models.PositiveSmallIntegerField(null=True, blank=True)
    passing_score = models.DecimalField(max_digits=5, decimal_places=2)
    recertification_months = models.PositiveSmallIntegerField()
    security_critical = models.BooleanField(default=False)
    badge_name = models.CharField(max_length=80)
    badge_icon = models.CharField(max_length=16, blank=True)
    assessment_mode = models.CharField(
        max_length=8, choices=_choices(AssessmentMode), default=AssessmentMode.FIXED
    )
    question_count = models.PositiveSmallIntegerField()
    # [{"type": "multiple_choice", "count": 40}, ...]: the mix each fixed-form attempt draws
    # (counts sum to question_count); empty draws any type (issue 11 item 5).
    composition = models.JSONField(default=list, blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    # Issue 12 item 5: agents and the dashboard see published tracks only.
    status = models.CharField(
        max_length=10, choices=_choices(ContentStatus), default=ContentStatus.PUBLISHED
    )
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


class Module(UUIDModel):
    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    format = models.CharField(max_length=16, choices=_choices(Format))
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    # video
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    video_url = models.URLField(blank=True)
    # pdf
    file = models.FileField(upload_to="training/pdf/", blank=True)
    # demo_script
    script = models.TextField(blank=True)
    practice_runs_required = models.PositiveSmallIntegerField(default=1)
    # Issue 12 item 5: agents see published modules only, and only those count as required.
    status = models.CharField(
        max_length=10, choices=_choices(ContentStatus), default=ContentStatus.PUBLISHED
    )
    created_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.title


class TextSection(UUIDModel):
    """An ordered section of a text lesson, optionally with a one-question quiz."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    quiz_prompt = models.TextField(blank=True)
    # [{"text": "...", "correct": true}, ...]; never sent to agents with the flags.
    quiz_choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="unique_section_position"),
        ]

    def __str__(self) -> str:
        return self.title


class FaqItem(UUIDModel):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="faq_items")
    position = models.PositiveSmallIntegerField()
    question = models.TextField()
    answer = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.question[:60]


class ModuleProgress(models.Model):
    """What one agent has done in one module; ``completed_at`` is set once and kept."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="progress")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # When the agent first opened the module (``module_open``): a video's watched time is
    # never more than twice the time since then (issue 11 item 7).
    started_at = models.DateTimeField(default=clock.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    watched = models.JSONField(default=list, blank=True)  # merged [start, end] seconds
    completed_section_ids = models.JSONField(default=list, blank=True)
    practice_runs = models.PositiveIntegerField(default=0)
    reviewed_item_ids = models.JSONField(default=list, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "agent"], name="unique_module_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} in {self.module_id}"


class LibraryAccess(models.Model):
    """Whether an agent's training library is open in a program whose training access is on
    request (PRODUCT.md §2). ``support.services.access`` keeps it in step with the agent's
    support access; programs with automatic training access do not read it. No row: closed."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    open = models.BooleanField()
    changed_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "library access"
        constraints = [
            models.UniqueConstraint(fields=["business", "agent"], name="unique_library_access"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} in {self.business_id}: {'open' if self.open else 'closed'}"
