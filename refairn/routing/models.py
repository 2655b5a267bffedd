"""A business's routing rules and the record of every routing decision (PRODUCT.md §7, §8)."""

from django.conf import settings
from django.db import models

from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet
from refairn.routing.domain.rules import MAX_NAME_LENGTH


class RoutingRuleSet(models.Model):
    """The business's ordered rules in their normalized JSON form (``domain.rules_to_json``).
    No row: no rules, so every ticket goes to any eligible agent."""

    business = models.OneToOneField(
        "programs.Business", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    rules = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"routing rules of {self.business_id}"


class RoutingDecision(UUIDModel):
    """Why a ticket went to whom (PRODUCT.md §7 "every routing decision is recorded"). Routing a
    reopened ticket again adds a decision: a report as of an instant reads the ticket's latest
    decision by then, so a past quarter keeps the routing it had (issue 11 item 17)."""

    # The ticket (support's) this decision routed; by id, so routing needs nothing of support.
    ticket_id = models.UUIDField()
    # The ticket's subject when it was routed: the decision log reads as a log.
    subject = models.CharField(max_length=200, blank=True)
    business = models.ForeignKey("programs.Business", on_delete=models.CASCADE, related_name="+")
    # Null: no rule matched (reports group these apart from every named rule).
    rule_name = models.CharField(  # noqa: DJ001
        max_length=MAX_NAME_LENGTH, null=True, blank=True
    )
    pool_size = models.PositiveIntegerField()
    # Null: no fallback; else the rule's fallback action or "business_queue".
    fallback_used = models.CharField(max_length=24, null=True, blank=True)  # noqa: DJ001
    # A matched rule routed the ticket to an agent of its own certified pool, without fallback.
    by_certification = models.BooleanField()
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notify_managers = models.BooleanField(default=False)
    flag_for_review = models.BooleanField(default=False)
    route_to_manager = models.BooleanField(default=False)
    escalate_to_security = models.BooleanField(default=False)
    reason = models.TextField()
    at = models.DateTimeField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(by_certification=False)
                | models.Q(rule_name__isnull=False, fallback_used__isnull=True),
                name="routing_by_certification_needs_rule_without_fallback",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "at"]),
            models.Index(fields=["business", "rule_name"]),
            # "Least recently routed": the latest decision per agent.
            models.Index(fields=["business", "agent", "at"]),
            # A ticket's decisions, the latest at an instant first (the reports).
            models.Index(fields=["ticket_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} -> {self.agent_id or 'queue'} ({self.rule_name or 'no rule'})"
