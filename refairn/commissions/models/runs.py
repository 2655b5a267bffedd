"""The monthly accrual runs that fill the ledgers (PRODUCT.md §10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet


class CommissionRun(UUIDModel):
    """One execution of the monthly accrual for a business and a period. A run that never
    finished (interrupted) keeps ``finished_at`` null; running the period again completes the
    ledger, because each entry's unique key decides whether it still has to be written, and
    the run that completes it closes the interrupted ones (``superseded_by``)."""

    class Trigger(models.TextChoices):
        API = "api"
        COMMAND = "command"
        SCHEDULE = "schedule"

    business = models.ForeignKey(
        "programs.Business", on_delete=models.CASCADE, related_name="commission_runs"
    )
    period = models.CharField(max_length=7)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    entries_created = models.PositiveIntegerField(default=0)
    entries_existing = models.PositiveIntegerField(default=0)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The run marker (issue 17): a digest of every fact and term the run computed from. A later
    # run of the period with the same digest owes exactly what this one wrote, so once this run
    # has finished it skips the computation. Blank for runs made before the marker existed.
    facts_digest = models.CharField(max_length=64, blank=True, default="")

    objects = TenantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["business", "period", "started_at"])]

    def __str__(self) -> str:
        return f"commission run {self.period} of {self.business_id}"
