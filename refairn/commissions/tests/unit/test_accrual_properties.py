import inspect
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refairn.commissions.domain.entries import Accrual, AccrualKind
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.intervals import Interval, days_held
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.reconciliation import plan_run
from refairn.commissions.domain.referral import referral_accruals
from refairn.commissions.domain.support import support_accruals
from refairn.commissions.domain.support_facts import AssignmentFacts, SupportAccessFacts
from refairn.commissions.domain.terms import HUNDRED, ReferralTerms, SupportTerms
from refairn.core.money import round_money

PERIODS = [Period(2026, 10), Period(2026, 11), Period(2026, 12), Period(2027, 1), Period(2027, 2)]
AGENTS = ["a0", "a1", "a2"]
# A world is a few dozen draws; on a loaded CI machine that trips the speed health check and the
# per-example deadline, neither of which says anything about the code under test.
world_settings = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)

BASE = datetime(2026, 9, 15, tzinfo=UTC)
# Minutes from mid-September to mid-March: cheap to draw, and many fall on the same day.
moments = st.integers(min_value=0, max_value=181 * 24 * 60).map(
    lambda minutes: BASE + timedelta(minutes=minutes)
)
amounts = st.decimals(min_value=0, max_value=5000, places=2)
percents = st.decimals(min_value=0, max_value=100, places=3)


@st.composite
def interval_lists(draw: st.DrawFn) -> tuple[Interval, ...]:
    """Disjoint intervals in time order; with an odd number of instants the last is still open."""
    points = sorted(draw(st.lists(moments, max_size=5, unique=True)))
    starts, ends = points[::2], points[1::2]
    intervals = [Interval(start, end) for start, end in zip(starts, ends, strict=False)]
    if len(starts) > len(ends):
        intervals.append(Interval(starts[-1]))
    return tuple(intervals)


@st.composite
def customers(draw: st.DrawFn, customer_id: str) -> CustomerFacts:
    subscribed = draw(interval_lists())
    return CustomerFacts(
        customer_id=customer_id,
        referred_by=draw(st.sampled_from([None, *AGENTS])),
        monthly_value=draw(amounts),
        subscribed=subscribed,
        first_subscribed_at=subscribed[0].start if subscribed else None,
    )


@st.composite
def handovers(draw: st.DrawFn, customer_id: str) -> list[AssignmentFacts]:
    """A customer passed from agent to agent: at most one agent holds them at a time."""
    intervals = draw(interval_lists())
    return [
        AssignmentFacts(draw(st.sampled_from(AGENTS)), customer_id, (interval,))
        for interval in intervals
    ]


@dataclass(frozen=True)
class SupportSide:
    assignments: list[AssignmentFacts]
    access: list[SupportAccessFacts]
    terms: SupportTerms


@dataclass(frozen=True)
class World:
    customers: list[CustomerFacts]
    referral_terms: ReferralTerms
    support_side: SupportSide


@st.composite
def support_sides(draw: st.DrawFn, customer_ids: list[str]) -> SupportSide:
    return SupportSide(
        assignments=[a for customer_id in customer_ids for a in draw(handovers(customer_id))],
        access=[SupportAccessFacts(agent, draw(interval_lists())) for agent in AGENTS],
        terms=draw(
            st.one_of(
                amounts.map(lambda a: SupportTerms(monthly_amount=a)),
                percents.map(lambda p: SupportTerms(monthly_percent=p)),
            )
        ),
    )


@st.composite
def worlds(draw: st.DrawFn) -> World:
    ids = [f"c{n}" for n in range(draw(st.integers(min_value=1, max_value=3)))]
    percent = draw(st.none() | percents)
    return World(
        customers=[draw(customers(customer_id)) for customer_id in ids],
        referral_terms=ReferralTerms(
            one_off_amount=draw(st.none() | amounts),
            recurring_percent=percent,
            recurring_months=None if percent is None else draw(st.none() | st.integers(1, 4)),
        ),
        support_side=draw(support_sides(ids)),
    )


def referral(world: World, period: Period) -> list[Accrual]:
    return referral_accruals(world.customers, world.referral_terms, period, business_id="b1")


def support(world: World, period: Period) -> list[Accrual]:
    return support_accruals(
        world.customers,
        world.support_side.assignments,
        world.support_side.access,
        world.support_side.terms,
        period,
        business_id="b1",
    )


def split(intervals: tuple[Interval, ...], at: float) -> tuple[Interval, ...]:
    """Cut the first interval in two touching halves at a fraction of its length."""
    if not intervals:
        return intervals
    first, rest = intervals[0], intervals[1:]
    end = first.end or first.start.replace(year=first.start.year + 1)
    cut = first.start + (end - first.start) * at
    return (Interval(first.start, cut), Interval(cut, first.end), *rest)


def test_referral_accruals_cannot_take_support_facts() -> None:
    parameters = list(inspect.signature(referral_accruals).parameters)
    assert parameters == ["customers", "terms", "period", "business_id"]


@world_settings
@given(worlds(), st.sampled_from(PERIODS), st.data())
def test_referral_ledger_ignores_every_support_fact(
    world: World, period: Period, data: st.DataObject
) -> None:
    ids = [c.customer_id for c in world.customers]
    other = World(world.customers, world.referral_terms, data.draw(support_sides(ids)))
    support(other, period)
    assert referral(world, period) == referral(other, period)


@world_settings
@given(worlds(), st.sampled_from(PERIODS))
def test_a_month_never_pays_more_than_the_full_monthly_amount(world: World, period: Period) -> None:
    for customer in world.customers:
        full = round_money(world.support_side.terms.monthly_base(customer.monthly_value))
        paid = [e.amount for e in support(world, period) if e.customer_id == customer.customer_id]
        assert all(Decimal(0) < amount <= full for amount in paid)
        # After a handover each agent's entry is rounded on its own: at most a cent more in all.
        assert sum(paid) <= full + Decimal("0.01") * max(len(paid) - 1, 0)
    percent = world.referral_terms.recurring_percent
    for entry in referral(world, period):
        if entry.kind == AccrualKind.REFERRAL_RECURRING and percent is not None:
            customer = next(c for c in world.customers if c.customer_id == entry.customer_id)
            full = round_money(customer.monthly_value * percent / HUNDRED)
            assert Decimal(0) < entry.amount <= full


@world_settings
@given(worlds(), st.sampled_from(PERIODS))
def test_a_customers_assignments_never_hold_more_days_than_the_month(
    world: World, period: Period
) -> None:
    for customer in world.customers:
        mine = [a for a in world.support_side.assignments if a.customer_id == customer.customer_id]
        assert sum(days_held(a.intervals, period) for a in mine) <= period.days


@world_settings
@given(worlds(), st.sampled_from(PERIODS), st.floats(min_value=0, max_value=1))
def test_splitting_an_interval_into_touching_halves_changes_nothing(
    world: World, period: Period, at: float
) -> None:
    split_world = World(
        customers=[
            CustomerFacts(
                c.customer_id,
                c.referred_by,
                c.monthly_value,
                split(c.subscribed, at),
                c.first_subscribed_at,
            )
            for c in world.customers
        ],
        referral_terms=world.referral_terms,
        support_side=SupportSide(
            assignments=[
                AssignmentFacts(a.agent_id, a.customer_id, split(a.intervals, at))
                for a in world.support_side.assignments
            ],
            access=[
                SupportAccessFacts(s.agent_id, split(s.active_intervals, at))
                for s in world.support_side.access
            ],
            terms=world.support_side.terms,
        ),
    )
    assert referral(split_world, period) == referral(world, period)
    assert support(split_world, period) == support(world, period)


@world_settings
@given(worlds(), st.sampled_from(PERIODS))
def test_running_a_month_twice_adds_nothing(world: World, period: Period) -> None:
    expected = referral(world, period) + support(world, period)
    ledger: set[str] = set()
    first = plan_run(expected, ledger)
    assert first == expected
    ledger |= {entry.key for entry in first}
    assert plan_run(referral(world, period) + support(world, period), ledger) == []
