"""The only writer of the referral ledger (PRODUCT.md §10: "No support-side action can ever
change the referral ledger").

The boundary is structural: the functions here take customer facts and referral terms, nothing
from the support side (assignments, support access, certifications, ratings), and
``tests/test_ledger_boundaries.py`` checks that no support, certification, training or
assessment module can import this module or ``ReferralEntry``, directly or through others.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from refairn.commissions.domain.entries import ReversalCode
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.referral import referral_accruals
from refairn.commissions.domain.terms import ReferralTerms
from refairn.commissions.ledger_append import append_accruals, append_reversal
from refairn.commissions.models.referral import ReferralEntry


def referral_ledger_append(
    *,
    business_id: str,
    period: Period,
    customers: Sequence[CustomerFacts],
    terms: ReferralTerms,
    currency: str,
    run_id: uuid.UUID,
) -> tuple[int, int]:
    """Write the referral entries ``period`` owes that are not in the ledger yet (one-off on
    the first subscription, recurring percent of the monthly value); return how many the
    period owes in all, written now or before."""
    accruals = referral_accruals(customers, terms, period, business_id=business_id)
    written = append_accruals(ReferralEntry, accruals, currency=currency, run_id=run_id)
    return len(accruals), written


def referral_entry_reverse(
    *, entry: ReferralEntry, created_by_id: uuid.UUID, code: ReversalCode, note: str
) -> ReferralEntry:
    """A correction of the referral ledger: the entry that cancels ``entry``."""
    return append_reversal(ReferralEntry, entry, created_by_id=created_by_id, code=code, note=note)
