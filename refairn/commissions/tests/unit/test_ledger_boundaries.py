"""PRODUCT.md §10: "No support-side action can ever change the referral ledger", made
structural. Which modules may reach which ledger is held by import contracts in pyproject.toml
(checked by ``lint-imports`` and ``core/tests/test_import_contracts.py``): nothing of support,
certification, training or assessments reaches the ledgers, the support ledger's writer never
reaches the referral ledger, and the referral ledger's writer reads nothing of the support side.
This checks what an import contract cannot see: what the referral writer takes."""

from __future__ import annotations

import inspect

from refairn.commissions import referral_ledger


def test_the_referral_writer_takes_customer_facts_and_referral_terms_only() -> None:
    parameters = inspect.signature(referral_ledger.referral_ledger_append).parameters
    assert set(parameters) == {"business_id", "period", "customers", "terms", "currency", "run_id"}
    annotations = " ".join(str(p.annotation) for p in parameters.values())
    assert "CustomerFacts" in annotations and "ReferralTerms" in annotations
    assert "Assignment" not in annotations and "SupportAccess" not in annotations
