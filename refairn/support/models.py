"""Support access and its history, customer assignments, tickets and their SLA records
(PRODUCT.md §6).

Every change of an agent's support access is a ``SupportAccessEvent`` row, which is also what
commissions read to know when access was active.
"""

from django.conf import settings
from django.db import models

from refairn.core import clock
from refairn.core.models import TransitionRecord, UUIDModel
from refairn.core.tenancy import TenantQuerySet
from refairn.routing.domain.rules import MAX_NAME_LENGTH
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.escalation import Category
from refairn.support.domain.escalation_model import NONE_LABEL, Kind
from refairn.support.domain.thresholds import BreachKind
from refairn.support.domain.tickets import Party, TicketStatus, flagged_for_review


def _choices(values: type) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in values]  # type: ignore[attr-defined]


class SupportAccess(models.Model):
    """An agent's support access in one business (PRODUCT.md §2, §6): the current status of the
    machine in ``support.domain.access``, changed only by ``support.services.access``. No row:
    ``none`` (the agent never asked and the business never granted it)."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=_choices(AccessStatus))
    changed_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "support access"
        constraints = [
            models.UniqueConstraint(fields=["business", "agent"], name="unique_support_access"),
        ]
        indexes = [models.Index(fields=["business", "status"])]

    def __str__(self) -> str:
        return f"{self.agent_id} in {self.business_id}: {self.status}"


class SupportAccessEvent(TransitionRecord):
    """Every change of an agent's support access (PRODUCT.md §6), with who, when and why."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta(TransitionRecord.Meta):
        indexes = [models.Index(fields=["business", "agent", "at"])]

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.from_status} -> {self.to_status}"


class Assignment(UUIDModel):
    """An agent supporting a customer from ``started_at`` until ``ended_at`` (open when null)."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "programs.Customer", on_delete=models.CASCADE, related_name="assignments"
    )
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=clock.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_assignment_per_customer",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["business", "agent", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.agent_id} supports {self.customer_id}"


class EscalationTopic(models.Model):
    """A business's edited phrases for one must-escalate category (PRODUCT.md §2, §6).

    No rows means the domain's defaults; the first edit writes a row for every category, so a
    category with no phrases is one the business chose not to detect.
    """

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=24, choices=_choices(Category))
    phrases = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "category"], name="unique_escalation_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.category}"


class SupportPolicy(models.Model):
    """Support-side settings of a business that the program settings do not hold: what an
    agent's unavailability notice does to their intake (PRODUCT.md §6). No row: pause intake."""

    class Unavailability(models.TextChoices):
        PAUSE_INTAKE = "pause_intake"
        REASSIGN = "reassign"

    business = models.OneToOneField(
        "programs.Business", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    unavailability_policy = models.CharField(
        max_length=16, choices=Unavailability.choices, default=Unavailability.PAUSE_INTAKE
    )
    reassign_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "support policies"

    def __str__(self) -> str:
        return f"{self.business_id}: {self.unavailability_policy}"


class Unavailability(UUIDModel):
    """An agent's notice that they are away from ``starts_at`` until ``ends_at``."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name_plural = "unavailabilities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="unavailability_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "agent", "ends_at"]),
            # The notice list's keyset order (selectors.UNAVAILABILITY_ORDER).
            models.Index(fields=["business", "starts_at", "id"], name="unavailability_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} away {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class RoutingStanding(models.Model):
    """An agent's standing for routing in one business (PRODUCT.md §7 "workload" and "least
    recently routed", issue 17): their open workload (tickets assigned to them that are open or
    pending, ``OPEN_WORKLOAD``) and when a routing decision last named them. Stored so a ticket
    is routed without counting every open ticket and scanning every past decision per agent.

    Maintained by database triggers on tickets and routing decisions (migration
    ``0012_routing_standing``), in the same transaction as whatever write moves them, whatever
    the path (services, bulk updates, cascades, seeding). ``refairn routing-standing`` recounts
    and repairs them. No row: no open ticket and never routed."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    open_workload = models.PositiveIntegerField(default=0)
    last_routed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "agent"], name="unique_routing_standing"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.open_workload} open, routed {self.last_routed_at}"


class Ticket(UUIDModel):
    """A customer's support request. Status and SLA timestamps change only through
    ``support.services.tickets`` (the table in ``support.domain.tickets``)."""

    class Priority(models.TextChoices):
        P1 = "P1"
        P2 = "P2"
        P3 = "P3"
        P4 = "P4"

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "programs.Customer", on_delete=models.CASCADE, related_name="tickets"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    tags = models.JSONField(default=list)
    priority = models.CharField(max_length=2, choices=Priority.choices, default=Priority.P3)
    status = models.CharField(
        max_length=16, choices=_choices(TicketStatus), default=TicketStatus.OPEN
    )
    # Null: the ticket waits in the business's queue.
    assigned_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What decided ``assigned_agent`` ({"rule", "pool_size", "fallback"}), for reports (§7, §8).
    routing = models.JSONField(default=dict)
    suggested_escalation = models.CharField(max_length=24, choices=_choices(Category), blank=True)
    # The detector's confidence in ``suggested_escalation`` (0..1; 1.0 for a phrase hit), null
    # when nothing is suggested (issue 14).
    suggested_escalation_confidence = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    first_response_due_at = models.DateTimeField()
    resolution_due_at = models.DateTimeField()
    first_responded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_category = models.CharField(max_length=24, choices=_choices(Category), blank=True)
    escalation_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Set while the ticket is pending (waiting on the customer): its SLA clock stopped then.
    paused_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    @property
    def flagged_for_review(self) -> bool:
        return flagged_for_review(self.routing)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolution_due_at__gte=models.F("first_response_due_at")),
                name="ticket_resolution_due_after_first_response_due",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "-created_at"]),
            models.Index(fields=["business", "assigned_agent", "status"]),
            # The overdue sweep looks for deadlines that have passed and were not met in time:
            # the tickets done before their deadline (most closed ones) are not in these, so
            # a sweep never walks them (issue 17).
            models.Index(
                fields=["first_response_due_at"],
                condition=models.Q(first_responded_at__isnull=True)
                | models.Q(first_responded_at__gt=models.F("first_response_due_at")),
                name="ticket_first_response_unmet",
            ),
            models.Index(
                fields=["resolution_due_at"],
                condition=models.Q(resolved_at__isnull=True)
                | models.Q(resolved_at__gt=models.F("resolution_due_at")),
                name="ticket_resolution_unmet",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class TicketMessage(UUIDModel):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.CharField(max_length=16, choices=_choices(Party))
    body = models.TextField()
    # The topic warnings shown when an agent sent it ([{"category","reason"}]), kept for review.
    warnings = models.JSONField(default=list)
    # A note among the support side: never shown to, nor announced to, the customer.
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # A ticket's conversation in order, and the dashboard's replies of a window's
            # tickets (reporting.selectors.routing).
            models.Index(fields=["ticket", "created_at"], name="ticketmessage_ticket_time"),
        ]

    def __str__(self) -> str:
        return f"{self.party} on {self.ticket_id}"


class TicketEvent(models.Model):
    """Append-only history of a ticket's status and ownership changes, with who and why."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # A ticket's history in order, and the dashboard's events of a window's tickets
            # (reporting.selectors.routing).
            models.Index(fields=["ticket", "at"], name="ticketevent_ticket_time"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.event}"


class TicketOutcome(models.Model):
    """A ticket's routing-impact figures (PRODUCT.md §8, ``reporting.selectors.routing``),
    stored so the dashboard reads one row per ticket of its window instead of aggregating every
    event, reply and routing decision of them (issue 17).

    Counts cover the ticket's resolve, reopen and escalate events and its replies (agent or
    staff messages, internal notes left out); the decision is the latest of the ticket's
    business (``at``, then id); the rating is the ticket's. Each kind keeps its first and last
    instant, so a report as of an earlier instant, or over a window starting after an event,
    knows the stored figures are not the ones that stood then and recounts that ticket.

    Recounted per ticket by database triggers on tickets, events, messages, decisions and
    ratings (migration ``0013_ticket_outcome``) in the transaction of whatever write moves
    them, whatever the path (services, bulk writes, cascades, seeding). Every ticket has one."""

    ticket = models.OneToOneField(
        Ticket, primary_key=True, on_delete=models.CASCADE, related_name="outcome"
    )
    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    # The ticket's, for the window.
    created_at = models.DateTimeField()
    resolves = models.PositiveIntegerField(default=0)
    reopens = models.PositiveIntegerField(default=0)
    escalations = models.PositiveIntegerField(default=0)
    events_from = models.DateTimeField(null=True, blank=True)
    events_to = models.DateTimeField(null=True, blank=True)
    replies = models.PositiveIntegerField(default=0)
    replies_from = models.DateTimeField(null=True, blank=True)
    replies_to = models.DateTimeField(null=True, blank=True)
    rule_name = models.CharField(max_length=MAX_NAME_LENGTH, null=True, blank=True)  # noqa: DJ001
    by_certification = models.BooleanField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    rating_overall = models.PositiveSmallIntegerField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["business", "created_at"], name="ticketoutcome_window")]

    def __str__(self) -> str:
        return f"outcome of {self.ticket_id}"


class OverdueFlag(models.Model):
    """A missed SLA deadline (PRODUCT.md §6). ``at`` is the deadline itself; a ticket is flagged
    at most once per kind, so it counts once per breach kind toward the thresholds."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="overdue_flags")
    # The agent who held the ticket; null for a ticket in the business queue.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=_choices(BreachKind))
    at = models.DateTimeField()
    raised_at = models.DateTimeField(default=clock.now)
    # Whether the SLA policy's thresholds have judged this flag (issue 18 item 3): warnings and
    # reviews are derived from the flags not yet judged, so a sweep killed between raising
    # flags and judging them completes on the next run.
    judged = models.BooleanField(default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="one_flag_per_ticket_kind"),
        ]
        indexes = [
            models.Index(fields=["business", "agent", "at"]),
            # The sweep's flags still to judge: a few among all the flags ever raised.
            models.Index(
                fields=["business", "agent"],
                condition=models.Q(judged=False),
                name="overdue_flag_unjudged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} overdue at {self.at.isoformat()}"


class AgentWarning(UUIDModel):
    """A warning to an agent about their support: automatic at the SLA policy's warning
    threshold, or sent by hand by the business (PRODUCT.md §2, §6)."""

    class Kind(models.TextChoices):
        AUTOMATIC = "automatic"
        MANUAL = "manual"

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["business", "agent", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} warning to {self.agent_id}"


class PerformanceReview(UUIDModel):
    """A support performance review the business decides: keep, or remove support access."""

    class Status(models.TextChoices):
        OPEN = "open"
        KEPT = "kept"
        SUPPORT_REMOVED = "support_removed"

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    trigger = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "agent"],
                condition=models.Q(status="open"),
                name="one_open_review_per_agent",
            ),
        ]

    def __str__(self) -> str:
        return f"review of {self.agent_id} ({self.status})"


class Rating(UUIDModel):
    """A customer's rating of a closed ticket: once per ticket (PRODUCT.md §6)."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating")
    customer = models.ForeignKey("programs.Customer", on_delete=models.CASCADE, related_name="+")
    # The agent the ticket was with when rated; null for a ticket the business handled alone.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsiveness = models.PositiveSmallIntegerField()
    product_knowledge = models.PositiveSmallIntegerField()
    professionalism = models.PositiveSmallIntegerField()
    overall = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    responsiveness__gte=1,
                    responsiveness__lte=5,
                    product_knowledge__gte=1,
                    product_knowledge__lte=5,
                    professionalism__gte=1,
                    professionalism__lte=5,
                    overall__gte=1,
                    overall__lte=5,
                ),
                name="rating_scores_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"rating of {self.ticket_id}"


class EscalationExample(UUIDModel):
    """A message a human labelled against the topic detector (issue 14 feedback loop): a ticket
    escalated though nothing was flagged, or a flag dismissed (``label`` "none"). It trains only
    its own business's model (``refairn escalation train --business``). One row per business,
    kind and text: the latest decision wins."""

    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=_choices(Kind))
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    label = models.CharField(max_length=24, choices=[*_choices(Category), (NONE_LABEL, NONE_LABEL)])
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "text_sha256"], name="unique_escalation_example"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.kind} {self.label}"
