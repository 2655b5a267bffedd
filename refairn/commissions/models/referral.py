"""The referral ledger (PRODUCT.md §10). Only ``commissions.referral_ledger`` writes it, and
nothing on the support side can import this module (contracts in pyproject.toml)."""

from __future__ import annotations

from django.db import models

from refairn.commissions.domain.entries import Ledger
from refairn.commissions.models.ledger import LedgerEntry, ledger_kinds


class ReferralEntry(LedgerEntry):
    """PRODUCT.md §10: the referral ledger. Written only by ``commissions.referral_ledger``,
    which takes customer facts and referral terms and nothing from the support side."""

    ledger = Ledger.REFERRAL

    class Meta:
        verbose_name_plural = "referral entries"
        indexes = [
            models.Index(fields=["business", "period"], name="referral_business_period"),
            models.Index(fields=["agent", "period"], name="referral_agent_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ledger_kinds(Ledger.REFERRAL)),
                name="referral_entry_kind",
            ),
        ]
