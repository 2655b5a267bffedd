"""Support ledger accruals (PRODUCT.md §2 support terms, §5 revocation, §6 support access, §10)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from refairn.commissions.domain.entries import Accrual, AccrualKind, Ledger, support_key
from refairn.commissions.domain.facts import CustomerFacts, require_id
from refairn.commissions.domain.intervals import Interval, days_held_by_all_within, period_days
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.proration import prorate
from refairn.commissions.domain.support_facts import AssignmentFacts, SupportAccessFacts
from refairn.commissions.domain.terms import SupportTerms


def _customers_by_id(customers: Iterable[CustomerFacts]) -> dict[str, CustomerFacts]:
    by_id: dict[str, CustomerFacts] = {}
    for customer in customers:
        if customer.customer_id in by_id:
            raise ValueError(f"customer {customer.customer_id} appears twice in the facts")
        by_id[customer.customer_id] = customer
    return by_id


def support_accruals(
    customers: Iterable[CustomerFacts],
    assignments: Iterable[AssignmentFacts],
    access: Iterable[SupportAccessFacts],
    terms: SupportTerms,
    period: Period,
    *,
    business_id: str,
) -> list[Accrual]:
    """Every support entry owed for `period`, one per (agent, customer) pair that held.

    PRODUCT.md §10: a day counts for a pair when, at the end of that day, the customer was
    assigned to the agent AND the agent's support access was active (not suspended, not
    removed — §6) AND the customer was subscribed (cancelling stops support accrual). The
    amount is the fixed monthly amount or the percent of the customer's monthly value, prorated
    by those days. Unassigning stops only that pair; suspension or removal stops every pair of
    the agent; revocation (§5) ends the agent's assignments, which the facts show.
    Zero amounts produce no entry.
    """
    require_id(business_id, "business_id")
    by_customer = _customers_by_id(customers)
    active: dict[str, list[Interval]] = defaultdict(list)
    for facts in access:
        active[facts.agent_id].extend(facts.active_intervals)
    assigned: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for assignment in assignments:
        if assignment.customer_id not in by_customer:
            raise ValueError(f"assignment refers to unknown customer {assignment.customer_id}")
        assigned[(assignment.agent_id, assignment.customer_id)].extend(assignment.intervals)

    held, length = period_days(period), period.days
    entries: list[Accrual] = []
    for (agent_id, customer_id), intervals in assigned.items():
        customer = by_customer[customer_id]
        days = days_held_by_all_within((intervals, active[agent_id], customer.subscribed), held)
        amount = prorate(terms.monthly_base(customer.monthly_value), days, length)
        if not amount:
            continue
        entries.append(
            Accrual(
                ledger=Ledger.SUPPORT,
                kind=AccrualKind.SUPPORT_MONTHLY,
                business_id=business_id,
                agent_id=agent_id,
                customer_id=customer_id,
                period=period,
                amount=amount,
                key=support_key(business_id, customer_id, agent_id, period),
            )
        )
    return entries
