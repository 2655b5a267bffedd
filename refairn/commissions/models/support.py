"""The support ledger (PRODUCT.md §10). Only ``commissions.support_ledger`` writes it."""

from __future__ import annotations

from django.db import models

from refairn.commissions.domain.entries import Ledger
from refairn.commissions.models.ledger import LedgerEntry, ledger_kinds


class SupportEntry(LedgerEntry):
    """PRODUCT.md §10: the support ledger, one monthly entry per agent and assigned customer."""

    ledger = Ledger.SUPPORT

    class Meta:
        verbose_name_plural = "support entries"
        indexes = [
            models.Index(fields=["business", "period"], name="support_business_period"),
            models.Index(fields=["agent", "period"], name="support_agent_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ledger_kinds(Ledger.SUPPORT)), name="support_entry_kind"
            ),
        ]
