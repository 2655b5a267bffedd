from datetime import UTC, datetime
from decimal import Decimal

import pytest

from refairn.commissions.domain.entries import AccrualKind, Ledger
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.intervals import Interval
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.support import support_accruals
from refairn.commissions.domain.support_facts import AssignmentFacts, SupportAccessFacts
from refairn.commissions.domain.terms import SupportTerms

ALWAYS = Interval(datetime(2020, 1, 1, tzinfo=UTC))
FIXED_20 = SupportTerms(monthly_amount=Decimal("20.00"))


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def customer(
    customer_id: str = "c1", *subscribed: Interval, value: str = "100.00"
) -> CustomerFacts:
    intervals = subscribed or (ALWAYS,)
    return CustomerFacts(customer_id, None, Decimal(value), intervals, intervals[0].start)


def run(
    customers: list[CustomerFacts],
    assignments: list[AssignmentFacts],
    access: list[SupportAccessFacts],
    period: str,
    terms: SupportTerms = FIXED_20,
) -> dict[tuple[str, str], str]:
    entries = support_accruals(
        customers, assignments, access, terms, Period.parse(period), business_id="b1"
    )
    return {(entry.agent_id, entry.customer_id): str(entry.amount) for entry in entries}


def test_mid_month_assignment_is_prorated() -> None:
    assignment = AssignmentFacts("a1", "c1", (Interval(at(2026, 11, 16, 14)),))
    access = SupportAccessFacts("a1", (ALWAYS,))
    [entry] = support_accruals(
        [customer()], [assignment], [access], FIXED_20, Period(2026, 11), business_id="b1"
    )
    assert entry.ledger is Ledger.SUPPORT
    assert entry.kind is AccrualKind.SUPPORT_MONTHLY
    assert entry.amount == Decimal("10.00")  # 20.00 * 15/30
    assert entry.key == "support:support_monthly:b1:c1:a1:2026-11"


def test_mid_month_cancel_stops_support() -> None:
    facts = customer("c1", Interval(at(2026, 10, 1), at(2026, 11, 20, 9)))
    assignment = AssignmentFacts("a1", "c1", (ALWAYS,))
    access = SupportAccessFacts("a1", (ALWAYS,))
    assert run([facts], [assignment], [access], "2026-11") == {("a1", "c1"): "12.67"}  # 19/30
    assert run([facts], [assignment], [access], "2026-12") == {}


def test_suspension_spanning_a_month_boundary() -> None:
    terms = SupportTerms(monthly_amount=Decimal("30.00"))
    assignment = AssignmentFacts("a1", "c1", (ALWAYS,))
    access = SupportAccessFacts(
        "a1", (Interval(at(2026, 9, 1), at(2026, 10, 25, 9)), Interval(at(2026, 11, 5, 17)))
    )
    october = run([customer()], [assignment], [access], "2026-10", terms)
    november = run([customer()], [assignment], [access], "2026-11", terms)
    assert october == {("a1", "c1"): "23.23"}  # 30.00 * 24/31 = 23.2258
    assert november == {("a1", "c1"): "26.00"}  # 30.00 * 26/30


def test_removal_of_support_access_stops_every_customer() -> None:
    customers = [customer("c1"), customer("c2")]
    assignments = [AssignmentFacts("a1", "c1", (ALWAYS,)), AssignmentFacts("a1", "c2", (ALWAYS,))]
    access = [SupportAccessFacts("a1", (Interval(at(2026, 1, 1), at(2026, 11, 10, 12)),))]
    assert run(customers, assignments, access, "2026-11") == {
        ("a1", "c1"): "6.00",  # 20.00 * 9/30
        ("a1", "c2"): "6.00",
    }
    assert run(customers, assignments, access, "2026-12") == {}


def test_unassigning_stops_only_that_customer() -> None:
    customers = [customer("c1"), customer("c2")]
    assignments = [
        AssignmentFacts("a1", "c1", (Interval(at(2026, 1, 1), at(2026, 11, 11, 15)),)),
        AssignmentFacts("a1", "c2", (ALWAYS,)),
    ]
    access = [SupportAccessFacts("a1", (ALWAYS,))]
    assert run(customers, assignments, access, "2026-11") == {
        ("a1", "c1"): "6.67",  # 20.00 * 10/30
        ("a1", "c2"): "20.00",
    }


def test_a_handover_pays_each_agent_their_days() -> None:
    assignments = [
        AssignmentFacts("x", "c1", (Interval(at(2026, 1, 1), at(2026, 11, 16, 10)),)),
        AssignmentFacts("y", "c1", (Interval(at(2026, 11, 16, 10)),)),
    ]
    access = [SupportAccessFacts("x", (ALWAYS,)), SupportAccessFacts("y", (ALWAYS,))]
    assert run([customer()], assignments, access, "2026-11") == {
        ("x", "c1"): "10.00",
        ("y", "c1"): "10.00",
    }


@pytest.mark.parametrize(
    ("last_day", "one_day"),
    [
        (at(2027, 1, 31), "0.32"),  # 10.00 / 31 = 0.3226
        (at(2026, 11, 30), "0.33"),  # 10.00 / 30 = 0.3333
        (at(2027, 2, 28), "0.36"),  # 10.00 / 28 = 0.3571
        (at(2028, 2, 29), "0.34"),  # 10.00 / 29 = 0.3448
    ],
)
def test_month_lengths(last_day: datetime, one_day: str) -> None:
    terms = SupportTerms(monthly_amount=Decimal("10.00"))
    period = str(Period.of(last_day))
    access = [SupportAccessFacts("a1", (ALWAYS,))]
    last_only = [AssignmentFacts("a1", "c1", (Interval(last_day.replace(hour=12)),))]
    whole = [AssignmentFacts("a1", "c1", (ALWAYS,))]
    assert run([customer()], last_only, access, period, terms) == {("a1", "c1"): one_day}
    assert run([customer()], whole, access, period, terms) == {("a1", "c1"): "10.00"}


def test_percent_terms_round_once_per_entry() -> None:
    terms = SupportTerms(monthly_percent=Decimal("12.5"))
    facts = customer("c1", value="33.35")  # 12.5 % = 4.16875 per month
    access = [SupportAccessFacts("a1", (ALWAYS,))]
    whole = [AssignmentFacts("a1", "c1", (ALWAYS,))]
    half = [AssignmentFacts("a1", "c1", (Interval(at(2026, 11, 16)),))]
    assert run([facts], whole, access, "2026-11", terms) == {("a1", "c1"): "4.17"}
    # 4.16875 * 15/30 = 2.084375; rounding the monthly base first would give 2.09.
    assert run([facts], half, access, "2026-11", terms) == {("a1", "c1"): "2.08"}


def test_rounding_is_half_up_on_a_third() -> None:
    terms = SupportTerms(monthly_amount=Decimal("10.00"))
    assignment = [AssignmentFacts("a1", "c1", (Interval(at(2026, 11, 21)),))]
    access = [SupportAccessFacts("a1", (ALWAYS,))]
    assert run([customer()], assignment, access, "2026-11", terms) == {("a1", "c1"): "3.33"}


def test_no_support_access_facts_means_no_support_commission() -> None:
    assignments = [AssignmentFacts("a1", "c1", (ALWAYS,))]
    assert run([customer()], assignments, [], "2026-11") == {}


def test_assignment_to_an_unknown_customer_is_refused() -> None:
    assignments = [AssignmentFacts("a1", "ghost", (ALWAYS,))]
    with pytest.raises(ValueError, match="unknown customer"):
        run([customer()], assignments, [], "2026-11")


def test_duplicate_customers_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        run([customer(), customer()], [], [], "2026-11")
