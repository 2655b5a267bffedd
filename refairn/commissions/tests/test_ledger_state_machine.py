"""Random histories of a program, run through the services and the database (PRODUCT.md §10).

Two businesses live the same history: "full" gets every action, "shadow" only the
customer-side ones (subscribe, cancel) and the monthly runs. Support-side actions — assign,
unassign, suspend, reinstate, remove support, re-approve, revoke certification, reverse a
support entry — happen in "full" only. Invariants after every step:
- the referral ledger of "full" equals that of "shadow": no support action changed it;
- no entry ever changes or disappears;
- a rerun of a period adds nothing;
- the totals the API reports equal the sums of the entries;
- no customer's support month pays more than one full month, whoever held it (give or
  take the per-entry rounding).
Support-side facts are written with ``support_facts``, standing in for the support services.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from refairn.commissions.domain.entries import ReversalCode
from refairn.commissions.domain.periods import Period
from refairn.commissions.models import ReferralEntry, SupportEntry
from refairn.commissions.schemas import agent_commissions_out, business_commissions_out
from refairn.commissions.selectors import (
    agent_view_for,
    business_entries_filter,
    entries_all,
    entries_page,
    totals_for,
)
from refairn.commissions.services import commission_entry_reverse, commission_run
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_agent
from refairn.core import clock
from refairn.core.pagination import Page
from refairn.programs.domain import Tier
from refairn.programs.models import Customer
from refairn.programs.selectors import actor_for
from refairn.programs.services import business_create, customer_cancel, customer_create
from tests.support import make_user

START = at(2026, 8, 30, 8)
FIRST_PERIOD = Period(2026, 8)
AGENTS = 3
MAX_CUSTOMERS = 5
FULL_MONTH_SUPPORT = Decimal("20.00")  # the default support terms

indexes = st.integers(min_value=0, max_value=20)
values = st.decimals(min_value=Decimal("0.01"), max_value=500, places=2)
referrers = st.sampled_from([*range(AGENTS), None])
# Hours before each action: drawn uniformly (hypothesis favours small integers), so a few
# steps span several month ends.
waits = st.sampled_from([0, 1, 7, 20, 49, 100, 170, 250, 340])


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example lives in a savepoint rolled back at teardown: the ledger is
        # append-only, so nothing could be deleted between examples otherwise.
        self.savepoint = transaction.savepoint()
        self.now = START
        owner = make_user("owner@machine.test")
        self.full = business_create(user=owner, name="Full")
        self.shadow = business_create(user=owner, name="Shadow")
        self.owner_full = actor_for(owner, self.full.id)
        self.owner_shadow = actor_for(owner, self.shadow.id)
        self.agents = [make_user(f"agent{n}@machine.test") for n in range(AGENTS)]
        for agent in self.agents:
            make_agent(self.full, agent)
            make_agent(self.shadow, agent)
            support_facts.grant(self.full, agent, START)
        self.access = ["active"] * AGENTS
        self.certified = [True] * AGENTS
        self.customers: list[tuple[Customer, Customer]] = []
        self.number: dict[Any, int] = {}  # customer id (either business) → its number
        self.seen: dict[tuple[str, Any], tuple[Any, ...]] = {}
        self.ran: list[Period] = []

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # --- time (both businesses) -------------------------------------------------------------

    def _wait(self, hours: int) -> None:
        """Time passes before each action. Whenever a month ends, the monthly job runs it in
        both businesses at 01:00 on the 1st, as the scheduled job does."""
        target = self.now + timedelta(hours=hours)
        month, ran_before = Period.of(self.now), len(self.ran)
        while month.end + timedelta(hours=1) <= target:
            with clock.frozen(month.end + timedelta(hours=1)):
                for business in (self.full, self.shadow):
                    commission_run(actor=None, business=business, period=month)
            self.ran.append(month)
            month = month.next()
        self.now = target
        if len(self.ran) > ran_before:
            self.check_agent_statements()

    @precondition(lambda self: self.ran)
    @rule(wait=waits, n=indexes)
    def rerun(self, wait: int, n: int) -> None:
        self._wait(wait)
        with clock.frozen(self.now):
            result = commission_run(
                actor=None, business=self.full, period=self.ran[n % len(self.ran)]
            )
        assert result.entries_created == 0

    # --- customers (both businesses) --------------------------------------------------------

    def _subscribe(self, value: Decimal, referrer: int | None) -> None:
        pair = []
        with clock.frozen(self.now):
            for actor in (self.owner_full, self.owner_shadow):
                customer = customer_create(
                    actor=actor,
                    name=f"C{len(self.customers)}",
                    email="",
                    tier=Tier.STANDARD,
                    monthly_value=value,
                    referred_by=None if referrer is None else self.agents[referrer].id,
                    subscribed_at=None,
                )
                self.number[customer.id] = len(self.customers)
                pair.append(customer)
        self.customers.append((pair[0], pair[1]))

    @initialize(
        customers=st.lists(st.tuples(values, referrers), min_size=1, max_size=3),
        assignments=st.lists(st.tuples(indexes, indexes), min_size=1, max_size=3),
    )
    def start(
        self, customers: list[tuple[Decimal, int | None]], assignments: list[tuple[int, int]]
    ) -> None:
        """A program with customers from the start, some of them assigned."""
        for value, referrer in customers:
            self._subscribe(value, referrer)
        for c, a in assignments:
            self._assign(c, a)

    @precondition(lambda self: len(self.customers) < MAX_CUSTOMERS)
    @rule(wait=waits, value=values, referrer=referrers)
    def subscribe(self, wait: int, value: Decimal, referrer: int | None) -> None:
        self._wait(wait)
        self._subscribe(value, referrer)

    @rule(wait=waits, n=indexes)
    def cancel(self, wait: int, n: int) -> None:
        self._wait(wait)
        pair = self.customers[n % len(self.customers)]
        if pair[0].cancelled_at is not None:
            return
        with clock.frozen(self.now):
            for actor, customer in zip((self.owner_full, self.owner_shadow), pair, strict=True):
                customer.cancelled_at = customer_cancel(
                    actor=actor, customer=customer, at=None
                ).cancelled_at

    # --- support side (full only) ----------------------------------------------------------

    def _assign(self, c: int, a: int) -> None:
        customer, agent = self.customers[c % len(self.customers)][0], a % AGENTS
        eligible = self.access[agent] == "active" and self.certified[agent]
        if customer.cancelled_at is None and eligible:
            support_facts.assign(customer, self.agents[agent], self.now)

    @rule(wait=waits, c=indexes, a=indexes)
    def assign(self, wait: int, c: int, a: int) -> None:
        self._wait(wait)
        self._assign(c, a)

    @rule(wait=waits, c=indexes)
    def unassign(self, wait: int, c: int) -> None:
        self._wait(wait)
        support_facts.unassign(self.customers[c % len(self.customers)][0], self.now)

    @rule(wait=waits, a=indexes)
    def suspend(self, wait: int, a: int) -> None:
        self._wait(wait)
        if self.access[a % AGENTS] == "active":
            support_facts.suspend(self.full, self.agents[a % AGENTS], self.now)
            self.access[a % AGENTS] = "suspended"

    @rule(wait=waits, a=indexes)
    def reinstate_or_reapprove(self, wait: int, a: int) -> None:
        self._wait(wait)
        if self.access[a % AGENTS] in {"suspended", "removed"}:
            support_facts.grant(self.full, self.agents[a % AGENTS], self.now)
            self.access[a % AGENTS] = "active"

    @rule(wait=waits, a=indexes)
    def remove_support(self, wait: int, a: int) -> None:
        self._wait(wait)
        if self.access[a % AGENTS] in {"active", "suspended"}:
            support_facts.remove(self.full, self.agents[a % AGENTS], self.now)
            self.access[a % AGENTS] = "removed"

    @rule(wait=waits, a=indexes)
    def revoke_certification(self, wait: int, a: int) -> None:
        self._wait(wait)
        support_facts.revoke_certification(self.full, self.agents[a % AGENTS], self.now)
        self.certified[a % AGENTS] = False

    @rule(wait=waits, a=indexes)
    def recertify(self, wait: int, a: int) -> None:
        self._wait(wait)
        self.certified[a % AGENTS] = True

    @rule(wait=waits, n=indexes)
    def reverse_support_entry(self, wait: int, n: int) -> None:
        self._wait(wait)
        candidates = list(
            SupportEntry.objects.filter(
                business=self.full, reverses__isnull=True, reversals__isnull=True
            ).order_by("key")
        )
        if candidates:
            with clock.frozen(self.now):
                commission_entry_reverse(
                    actor=self.owner_full,
                    entry_id=candidates[n % len(candidates)].id,
                    code=ReversalCode.CHARGEBACK,
                    note="x",
                )
            self.check_agent_statements()

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def ledgers_hold(self) -> None:
        """One read of both ledgers of both businesses, then every invariant of the module
        docstring that does not need an agent's statement."""
        rows = {
            model: list(model.objects.filter(business__in=[self.full, self.shadow]))
            for model in (ReferralEntry, SupportEntry)
        }
        self._referral_ledgers_are_equal(rows[ReferralEntry])
        self._no_entry_ever_changes([e for entries in rows.values() for e in entries])
        full = {
            m: [e for e in entries if e.business_id == self.full.id] for m, entries in rows.items()
        }
        self._totals_equal_sums_of_entries(full)
        self._support_month_pays_at_most_one_month(full[SupportEntry])

    def _referral_ledgers_are_equal(self, entries: list[ReferralEntry]) -> None:
        projections: dict[Any, list[tuple[Any, ...]]] = {self.full.id: [], self.shadow.id: []}
        for e in entries:
            projections[e.business_id].append(
                (e.kind, e.agent_id, self.number[e.customer_id], e.period, e.amount)
            )
        assert sorted(projections[self.full.id]) == sorted(projections[self.shadow.id])

    def _no_entry_ever_changes(self, entries: list[Any]) -> None:
        current = {
            (e.ledger, e.id): (
                e.key,
                e.kind,
                e.agent_id,
                e.customer_id,
                e.period,
                e.amount,
                e.currency,
                e.reverses_id,
                e.run_id,
            )
            for e in entries
        }
        for identity, values in self.seen.items():
            assert current.get(identity) == values
        self.seen = current

    def _totals_equal_sums_of_entries(self, full: dict[Any, list[Any]]) -> None:
        where = business_entries_filter(self.owner_full)
        first = entries_page(where, limit=None, cursor=None)
        totals = business_commissions_out(first, totals_for(where))["totals"]
        by_ledger = {m.ledger.value: sum(e.amount for e in es) for m, es in full.items() if es}
        by_agent: dict[str, Decimal] = defaultdict(Decimal)
        for entries in full.values():
            for e in entries:
                by_agent[str(e.agent_id)] += e.amount
        shown_ledger = {t["ledger"]: Decimal(t["amount"]["amount"]) for t in totals["by_ledger"]}
        shown_agent = {t["agent_id"]: Decimal(t["amount"]["amount"]) for t in totals["by_agent"]}
        assert shown_ledger == by_ledger
        assert shown_agent == by_agent

    def _support_month_pays_at_most_one_month(self, entries: list[SupportEntry]) -> None:
        """Each holder's entry is rounded on its own, so after handovers the month may pay
        up to a cent more per extra holder (as in the domain's own property test)."""
        months: dict[tuple[Any, str], list[Decimal]] = defaultdict(list)
        for e in entries:
            if e.reverses_id is None:
                months[(e.customer_id, e.period)].append(e.amount)
        for paid in months.values():
            assert sum(paid) <= FULL_MONTH_SUPPORT + Decimal("0.01") * (len(paid) - 1)

    def check_agent_statements(self) -> None:
        """Each agent's own statement against the database's sums. Statements change only
        when entries are written, so this runs after the steps that write them."""
        for agent in self.agents:
            view = agent_view_for(agent, business_id=self.full.id)
            every = Page(list(entries_all(view.where)), None)
            statement = agent_commissions_out(every, totals_for(view.where), view.currencies)
            for model in (ReferralEntry, SupportEntry):
                # Summed here, not with SUM(): SQLite adds decimals as floats and Django only
                # quantizes plain columns, so an aggregate can come back as 1.8E-15.
                mine = sum(
                    model.objects.filter(business=self.full, agent=agent).values_list(
                        "amount", flat=True
                    ),
                    Decimal(0),
                )
                shown = statement[model.ledger.value]
                assert Decimal(shown["total"]["amount"]) == mine
                assert sum(e.amount for e in shown["entries"]) == mine


@pytest.mark.django_db
def test_random_histories_keep_the_ledgers_exact_and_apart() -> None:
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
