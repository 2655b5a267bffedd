"""The commission ledgers and the runs that fill them (PRODUCT.md §10), one module each, so the
ledgers' writers can be held apart by import contracts (pyproject.toml)."""

from refairn.commissions.models.ledger import LedgerEntry, LedgerIsAppendOnly, LedgerQuerySet
from refairn.commissions.models.referral import ReferralEntry
from refairn.commissions.models.runs import CommissionRun
from refairn.commissions.models.support import SupportEntry

__all__ = [
    "CommissionRun",
    "LedgerEntry",
    "LedgerIsAppendOnly",
    "LedgerQuerySet",
    "ReferralEntry",
    "SupportEntry",
]
