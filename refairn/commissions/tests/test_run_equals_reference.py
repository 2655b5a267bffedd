"""Issue 17: the set-based run writes exactly the rows of the former rule.

The reference here is the former counting (``unit.test_counting_by_arithmetic``: one set entry
per day held, recurring months counted by walking every month since the first subscription),
applied to the facts as the test wrote them, not as the run read them. A generated month with
its edge cases is run through the service on whichever engine the suite uses (SQLite, and
PostgreSQL with DATABASE_URL) and its ledger compared entry by entry: customer, agent, kind,
amount. Year 1 dates are allowed for facts (a subscription that began in year 1) but not for
periods (``periods.MIN_YEAR``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refairn.accounts.models import User
from refairn.commissions.domain.entries import ReversalCode
from refairn.commissions.domain.intervals import Interval
from refairn.commissions.domain.periods import MIN_YEAR, Period
from refairn.commissions.domain.terms import HUNDRED
from refairn.commissions.models import ReferralEntry, SupportEntry
from refairn.commissions.services import commission_entry_reverse
from refairn.commissions.settings_section import commission_settings
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_agent, make_customer, run
from refairn.commissions.tests.unit.test_counting_by_arithmetic import (
    dates_held,
    month_number_by_walking,
)
from refairn.core.money import round_money
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for
from refairn.programs.services import business_create
from tests.support import make_user

pytestmark = pytest.mark.django_db

LEAP_FEBRUARY = Period(2028, 2)
Entries = dict[tuple[str, str, str], Decimal]


@dataclass
class World:
    """The facts as written: per customer its subscription, referrer and value; per agent
    when its access was active; per customer who was assigned when."""

    business: Business
    agents: list[User]
    customers: dict[str, tuple[datetime, datetime | None, User | None, Decimal]] = field(
        default_factory=dict
    )
    access: dict[Any, list[Interval]] = field(default_factory=dict)
    assigned: dict[tuple[Any, str], list[Interval]] = field(default_factory=dict)

    def customer(
        self,
        subscribed: datetime,
        cancelled: datetime | None = None,
        referrer: User | None = None,
        value: str = "300.00",
        handovers: tuple[tuple[User, datetime], ...] = (),
        ended: datetime | None = None,
    ) -> str:
        made = make_customer(
            self.business,
            value=value,
            subscribed_at=subscribed,
            cancelled_at=cancelled,
            referred_by=referrer,
            name=f"C{len(self.customers)}",
        )
        key = str(made.id)
        self.customers[key] = (subscribed, cancelled, referrer, Decimal(value))
        for n, (agent, since) in enumerate(handovers):
            support_facts.assign(made, agent, since)
            until = handovers[n + 1][1] if n + 1 < len(handovers) else ended
            self.assigned.setdefault((agent.pk, key), []).append(Interval(since, until))
        if ended is not None and handovers:
            support_facts.unassign(made, ended)
        return key

    def access_changes(self, agent: User, changes: list[tuple[str, datetime]]) -> None:
        """``changes`` in time order: "active" grants, anything else stops it."""
        intervals, since = [], None
        for status, moment in changes:
            support_facts.set_access(self.business, agent, status, moment)
            if status == "active" and since is None:
                since = moment
            elif status != "active" and since is not None:
                intervals.append(Interval(since, moment))
                since = None
        if since is not None:
            intervals.append(Interval(since))
        self.access[agent.pk] = intervals


def walked_month_number(held: tuple[Interval, ...], period: Period) -> int | None:
    """The former walk, from 1970 at the earliest (no period exists before): a subscription
    older than that is past any limit (``MAX_RECURRING_MONTHS`` is 600) either way."""
    floor = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
    clamped = tuple(Interval(max(i.start, floor), i.end and max(i.end, floor)) for i in held)
    return month_number_by_walking(clamped, period)


def reference(world: World, period: Period) -> Entries:
    """What the former rule owes ``period``: {(customer, agent, kind): amount}."""
    terms = commission_settings(world.business)
    referral, support = terms.referral(), terms.support()
    owed: Entries = {}
    for customer, (subscribed, cancelled, referrer, value) in world.customers.items():
        held = (Interval(subscribed, cancelled),)
        if referrer is not None:
            agent = str(referrer.pk)
            if referral.one_off_amount and period.contains(subscribed):
                owed[(customer, agent, "referral_one_off")] = referral.one_off_amount
            days = len(dates_held(held, period))
            number = walked_month_number(held, period) if days else None
            limit = referral.recurring_months
            percent = referral.recurring_percent
            if percent is not None and number is not None and (limit is None or number <= limit):
                amount = round_money(value * percent / HUNDRED * days / period.days)
                if amount:
                    owed[(customer, agent, "referral_recurring")] = amount
        for (agent_pk, assigned_customer), intervals in world.assigned.items():
            if assigned_customer != customer:
                continue
            days = len(
                dates_held(tuple(intervals), period)
                & dates_held(tuple(world.access.get(agent_pk, [])), period)
                & dates_held(held, period)
            )
            amount = round_money(support.monthly_base(value) * days / period.days)
            if amount:
                owed[(customer, str(agent_pk), "support_monthly")] = amount
    return owed


def ledger(business: Business, period: Period) -> tuple[Entries, Entries]:
    """The accruals and the reversals of ``period``, as {(customer, agent, kind): amount}."""
    accruals: Entries = {}
    reversals: Entries = {}
    for model in (ReferralEntry, SupportEntry):
        rows = model.objects.filter(business=business, period=str(period)).values_list(
            "customer_id", "agent_id", "kind", "amount", "reverses_id"
        )
        for customer, agent, kind, amount, reverses in rows:
            into = accruals if reverses is None else reversals
            key = (str(customer), str(agent), kind)
            assert key not in into, f"{key} written twice"
            into[key] = amount
    return accruals, reversals


def leap_february(business: Business) -> World:
    """Every edge case of a month, in February 2028 (29 days), and generated customers."""
    ref, sup, sup2 = (make_agent(business, f"{who}@eq.test") for who in ("ref", "sup", "sup2"))
    world = World(business, [ref, sup, sup2])
    world.access_changes(sup, [("active", at(2026, 1, 1))])
    # Suspended from Feb 10 11:00 to Feb 20 08:00: Feb 10..19 lost.
    world.access_changes(
        sup2,
        [
            ("active", at(2027, 6, 1)),
            ("suspended", at(2028, 2, 10, 11)),
            ("active", at(2028, 2, 20, 8)),
        ],
    )
    # The month they subscribed: the one-off and the days from the last day of February.
    world.customer(at(2028, 2, 29, 23), referrer=ref, handovers=((sup, at(2028, 2, 29, 23)),))
    world.customer(at(2028, 2, 1), referrer=ref, value="99.99")
    # The recurring limit (12 months): month 12 pays, month 13 does not.
    world.customer(at(2027, 3, 1), referrer=ref)
    world.customer(at(2027, 2, 28, 23, 59), referrer=ref)
    world.customer(at(2027, 2, 10), referrer=ref, handovers=((sup, at(2027, 2, 10)),))
    # Cancelled mid-month, cancelled before it, at its first instant, and the day they came.
    world.customer(
        at(2027, 12, 5), at(2028, 2, 15, 9), referrer=ref, handovers=((sup, at(2027, 12, 5)),)
    )
    world.customer(at(2027, 12, 5), at(2028, 1, 31, 23), referrer=ref)
    world.customer(
        at(2027, 12, 5), at(2028, 2, 1), referrer=ref, handovers=((sup, at(2028, 1, 2)),)
    )
    world.customer(at(2028, 2, 14, 8), at(2028, 2, 14, 17), referrer=ref)
    # A handover mid-month to an agent whose access was suspended for ten days of it.
    world.customer(
        at(2027, 11, 3),
        value="123.45",
        handovers=((sup, at(2027, 11, 3)), (sup2, at(2028, 2, 16, 10))),
    )
    # Assigned before subscribing; assignment ended mid-month; a subscription from year 1.
    world.customer(at(2028, 2, 7, 12), referrer=ref, handovers=((sup, at(2028, 1, 20)),))
    world.customer(
        at(2027, 8, 8), referrer=ref, handovers=((sup2, at(2027, 9, 1)),), ended=at(2028, 2, 22, 6)
    )
    world.customer(at(1, 1, 1), referrer=ref, value="10.00", handovers=((sup, at(2027, 1, 1)),))
    # Generated customers, deterministic: subscribed over 15 months, some cancelled, some
    # handed over between the two support agents.
    rng = random.Random(17)
    first = at(2027, 1, 1)
    for _ in range(40):
        subscribed = first + timedelta(minutes=rng.randrange(60 * 24 * 425))
        cancelled = None
        if rng.random() < 0.3:
            cancelled = subscribed + timedelta(minutes=rng.randrange(60 * 24 * 120))
        handovers: tuple[tuple[User, datetime], ...] = ()
        if rng.random() < 0.8:
            handovers = ((sup, subscribed),)
            if rng.random() < 0.4:
                handovers += ((sup2, subscribed + timedelta(minutes=rng.randrange(60 * 24 * 90))),)
        world.customer(
            subscribed,
            cancelled,
            referrer=ref if rng.random() < 0.9 else None,
            value=f"{rng.randint(900, 49_900) / 100:.2f}",
            handovers=handovers,
        )
    return world


def test_the_run_writes_the_former_rules_rows_and_a_reversal_is_not_paid_again(
    alice: User,
) -> None:
    business = business_create(user=alice, name="Equivalence")
    world = leap_february(business)
    expected = reference(world, LEAP_FEBRUARY)

    first = run(business, str(LEAP_FEBRUARY))

    accruals, reversals = ledger(business, LEAP_FEBRUARY)
    assert accruals == expected
    assert reversals == {}
    assert first.entries_created == len(expected)
    kinds = {kind for _, _, kind in expected}
    assert kinds == {"referral_one_off", "referral_recurring", "support_monthly"}

    # A reversal, then a changed fact (no run marker matches): the rerun writes the new
    # customer's entries only; the reversed entry is not paid again.
    reversed_entry = ReferralEntry.objects.filter(business=business, kind="referral_recurring")
    entry = reversed_entry.order_by("key").first()
    assert entry is not None
    commission_entry_reverse(
        actor=actor_for(alice, business.id),
        entry_id=entry.id,
        code=ReversalCode.CUSTOMER_REFUNDED,
        note="refunded",
    )
    world.customer(at(2028, 2, 3, 4), referrer=world.agents[0], value="50.00")
    expected = reference(world, LEAP_FEBRUARY)

    rerun = run(business, str(LEAP_FEBRUARY))

    accruals, reversals = ledger(business, LEAP_FEBRUARY)
    assert accruals == expected
    assert reversals == {(str(entry.customer_id), str(entry.agent_id), entry.kind): -entry.amount}
    assert rerun.entries_created == 2  # the new customer's one-off and recurring month
    assert run(business, str(LEAP_FEBRUARY)).entries_created == 0


moments = st.integers(min_value=0, max_value=60 * 24 * 500).map(
    lambda minutes: at(2027, 1, 1) + timedelta(minutes=minutes)
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    facts=st.lists(
        st.tuples(
            moments,
            st.one_of(st.none(), st.integers(0, 60 * 24 * 200)),
            st.booleans(),
            st.one_of(st.none(), st.integers(-60 * 24 * 40, 60 * 24 * 40)),
            st.integers(1, 99_999),
        ),
        min_size=1,
        max_size=6,
    ),
    period=st.sampled_from([Period(2027, 2), Period(2027, 12), Period(2028, 2), Period(2028, 4)]),
)
def test_any_month_of_generated_facts_matches_the_former_rule(
    alice: User, facts: list[tuple[Any, ...]], period: Period
) -> None:
    """Customers subscribed, maybe cancelled, maybe referred, maybe assigned some time before
    or after subscribing: any month's ledger equals the former rule's."""
    business = business_create(user=alice, name="Generated")
    ref = make_agent(business, make_user(f"ref-{business.id}@eq.test"))
    sup = make_agent(business, make_user(f"sup-{business.id}@eq.test"))
    world = World(business, [ref, sup])
    world.access_changes(sup, [("active", at(2026, 6, 1))])
    for subscribed, cancel_after, referred, assign_offset, cents in facts:
        cancelled = None if cancel_after is None else subscribed + timedelta(minutes=cancel_after)
        handovers: tuple[tuple[User, datetime], ...] = ()
        if assign_offset is not None:
            handovers = ((sup, subscribed + timedelta(minutes=assign_offset)),)
        world.customer(
            subscribed,
            cancelled,
            referrer=ref if referred else None,
            value=f"{Decimal(cents) / 100:.2f}",
            handovers=handovers,
        )

    run(business, str(period))

    assert ledger(business, period) == (reference(world, period), {})
