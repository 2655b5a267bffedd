"""The writer of the support ledger (PRODUCT.md §10). It never touches the referral ledger:
``tests/test_ledger_boundaries.py`` checks that this module does not reach ``ReferralEntry``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from refairn.commissions.domain.entries import ReversalCode
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.support import support_accruals
from refairn.commissions.domain.support_facts import AssignmentFacts, SupportAccessFacts
from refairn.commissions.domain.terms import SupportTerms
from refairn.commissions.ledger_append import append_accruals, append_reversal
from refairn.commissions.models.support import SupportEntry


def support_ledger_append(
    *,
    business_id: str,
    period: Period,
    customers: Sequence[CustomerFacts],
    assignments: Sequence[AssignmentFacts],
    access: Sequence[SupportAccessFacts],
    terms: SupportTerms,
    currency: str,
    run_id: uuid.UUID,
) -> tuple[int, int]:
    """Write the support entries ``period`` owes that are not in the ledger yet (one per agent
    and customer, for the days assigned, with access active and the customer subscribed);
    return how many the period owes in all, written now or before, and how many were written
    now."""
    accruals = support_accruals(
        customers, assignments, access, terms, period, business_id=business_id
    )
    written = append_accruals(SupportEntry, accruals, currency=currency, run_id=run_id)
    return len(accruals), written


def support_entry_reverse(
    *, entry: SupportEntry, created_by_id: uuid.UUID, code: ReversalCode, note: str
) -> SupportEntry:
    """A correction of the support ledger: the entry that cancels ``entry``."""
    return append_reversal(SupportEntry, entry, created_by_id=created_by_id, code=code, note=note)
