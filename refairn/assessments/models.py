"""The question bank and assessment attempts (PRODUCT.md §4)."""

from django.conf import settings
from django.db import models

from refairn.assessments.domain.limits import TITLE_MAX, TOPIC_MAX
from refairn.assessments.domain.questions import QuestionType
from refairn.assessments.domain.sources import IrtSource
from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet


class Question(UUIDModel):
    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey("training.Track", on_delete=models.CASCADE, related_name="questions")
    module = models.ForeignKey(
        "training.Module",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    faq_items = models.ManyToManyField("training.FaqItem", blank=True, related_name="questions")
    type = models.CharField(max_length=16, choices=[(t.value, t.value) for t in QuestionType])
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    prompt = models.TextField()
    # [{"id": "a", "text": "...", "correct": true, "feedback": "..."}]; ids are stable per question.
    choices = models.JSONField(default=list, blank=True)
    points = models.PositiveSmallIntegerField(default=1)
    critical = models.BooleanField(default=False)
    topic = models.CharField(max_length=TOPIC_MAX, blank=True)
    rubric = models.TextField(blank=True)
    # Retired questions stay for the attempts that used them but are never drawn again.
    active = models.BooleanField(default=True)
    # Issue 12 item 5: editing a question that was already answered retires it and makes a
    # new version, so the old one stays with the attempts (and analytics) that used it.
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    # 3PL parameters for adaptive tracks (issue 15), all three or none; staff-only.
    irt_a = models.FloatField(null=True, blank=True)
    irt_b = models.FloatField(null=True, blank=True)
    irt_c = models.FloatField(null=True, blank=True)
    irt_source = models.CharField(
        max_length=12, choices=[(s.value, s.value) for s in IrtSource], blank=True
    )
    # The responses the calibration stood on (0 for parameters set by hand or imported).
    irt_responses = models.PositiveIntegerField(default=0)
    # The calibration's item fit (RMSD), None until the question is calibrated.
    irt_rmsd = models.FloatField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["track", "active"]),
            # The bank's keyset order (selectors.QUESTION_ORDER) within a track.
            models.Index(fields=["track", "created_at", "id"], name="question_bank_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(irt_a__isnull=True, irt_b__isnull=True, irt_c__isnull=True)
                | models.Q(irt_a__isnull=False, irt_b__isnull=False, irt_c__isnull=False),
                name="question_irt_all_or_none",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.prompt[:60]


class Attempt(UUIDModel):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        SUBMITTED = "submitted"  # handed in; awaiting grading when it has reviewer questions
        GRADED = "graded"  # score final

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey("training.Track", on_delete=models.CASCADE, related_name="attempts")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    # The certification cycle the attempt counts toward (PRODUCT.md §4 "per certification
    # cycle"); certification sets it when it starts the attempt.
    cycle = models.PositiveIntegerField()
    number = models.PositiveIntegerField()  # 1-based within the cycle
    started_at = models.DateTimeField(default=clock.now)
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    needs_review = models.BooleanField(default=False)
    # Points: earned so far, total of the attempt, and the part still awaiting a reviewer.
    earned_points = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    total_points = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    pending_points = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    critical_missed = models.BooleanField(default=False)
    outcome = models.CharField(max_length=24, blank=True)  # domain.AttemptOutcome, once handed in
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    # ``domain.cat.CatState.to_json()`` for an adaptive attempt, None for a fixed form.
    adaptive_state = models.JSONField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            # The arbiter when an agent starts two attempts at the same moment: only one open.
            models.UniqueConstraint(
                fields=["track", "agent"],
                condition=models.Q(state="in_progress"),
                name="one_open_attempt_per_track",
            ),
            models.UniqueConstraint(
                fields=["track", "agent", "cycle", "number"], name="unique_attempt_number"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["business", "state"]),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.agent_id} on {self.track_id}"


class AttemptQuestion(models.Model):
    """A question as drawn into one attempt, the agent's answer and its grade."""

    # The attempt's business, copied so that the item statistics of one business read its own
    # draws by index instead of every business's (issue 17).
    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list, blank=True)  # shuffled choice ids shown
    max_points = models.PositiveSmallIntegerField()
    critical = models.BooleanField(default=False)
    answer_choice_ids = models.JSONField(null=True, blank=True)
    answer_text = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    points_awarded = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    suggested_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    # The expected keywords the answer contains, shown to the reviewer with the suggestion.
    matched_keywords = models.JSONField(default=list, blank=True)
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="unique_attempt_question"),
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_attempt_position"),
        ]
        indexes = [
            # The reports' per-question counts of one business (reporting.selectors.assessments).
            models.Index(
                fields=["business", "question", "attempt"], name="attemptq_business_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"
