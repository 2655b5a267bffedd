from datetime import UTC, datetime
from decimal import Decimal

from refairn.commissions.domain.entries import AccrualKind, Ledger
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.intervals import Interval
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.referral import recurring_month_number, referral_accruals
from refairn.commissions.domain.terms import ReferralTerms


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def customer(*intervals: Interval, referred_by: str | None = "a1") -> CustomerFacts:
    return CustomerFacts(
        customer_id="c1",
        referred_by=referred_by,
        monthly_value=Decimal("100.00"),
        subscribed=intervals,
        first_subscribed_at=intervals[0].start if intervals else None,
    )


def amounts(facts: CustomerFacts, terms: ReferralTerms, period: str) -> dict[AccrualKind, str]:
    entries = referral_accruals([facts], terms, Period.parse(period), business_id="b1")
    return {entry.kind: str(entry.amount) for entry in entries}


def test_one_off_pays_once_in_the_month_of_the_first_subscription() -> None:
    facts = customer(Interval(at(2026, 11, 16, 10)))
    terms = ReferralTerms(one_off_amount=Decimal("50.00"))
    [entry] = referral_accruals([facts], terms, Period(2026, 11), business_id="b1")
    assert entry.ledger is Ledger.REFERRAL
    assert entry.kind is AccrualKind.REFERRAL_ONE_OFF
    assert (entry.agent_id, entry.customer_id, entry.period) == ("a1", "c1", Period(2026, 11))
    assert entry.amount == Decimal("50.00")
    assert entry.key == "referral:referral_one_off:b1:c1"
    assert referral_accruals([facts], terms, Period(2026, 12), business_id="b1") == []
    assert referral_accruals([facts], terms, Period(2026, 10), business_id="b1") == []


def test_one_off_is_not_paid_again_on_resubscription() -> None:
    facts = customer(Interval(at(2026, 9, 3), at(2026, 10, 1)), Interval(at(2026, 11, 2)))
    terms = ReferralTerms(one_off_amount=Decimal("50.00"))
    assert amounts(facts, terms, "2026-09") == {AccrualKind.REFERRAL_ONE_OFF: "50.00"}
    assert amounts(facts, terms, "2026-11") == {}


def test_customers_without_a_referrer_earn_no_referral() -> None:
    facts = customer(Interval(at(2026, 11, 1)), referred_by=None)
    terms = ReferralTerms(Decimal("50.00"), Decimal("10"), None)
    assert amounts(facts, terms, "2026-11") == {}


def test_recurring_limited_to_three_months_across_four() -> None:
    facts = customer(Interval(at(2026, 11, 16, 10)))
    terms = ReferralTerms(recurring_percent=Decimal("10"), recurring_months=3)
    recurring = AccrualKind.REFERRAL_RECURRING
    assert amounts(facts, terms, "2026-11") == {recurring: "5.00"}  # 10.00 * 15/30
    assert amounts(facts, terms, "2026-12") == {recurring: "10.00"}
    assert amounts(facts, terms, "2027-01") == {recurring: "10.00"}
    assert amounts(facts, terms, "2027-02") == {}


def test_recurring_without_a_limit_keeps_paying() -> None:
    facts = customer(Interval(at(2026, 11, 1)))
    terms = ReferralTerms(recurring_percent=Decimal("10"))
    assert amounts(facts, terms, "2030-02") == {AccrualKind.REFERRAL_RECURRING: "10.00"}


def test_recurring_key_is_per_customer_and_period() -> None:
    facts = customer(Interval(at(2026, 11, 1)))
    terms = ReferralTerms(recurring_percent=Decimal("10"))
    [entry] = referral_accruals([facts], terms, Period(2026, 11), business_id="b1")
    assert entry.key == "referral:referral_recurring:b1:c1:2026-11"


def test_months_without_a_subscribed_day_do_not_use_up_the_limit() -> None:
    facts = customer(Interval(at(2026, 11, 16), at(2026, 12, 10)), Interval(at(2027, 3, 5)))
    terms = ReferralTerms(recurring_percent=Decimal("10"), recurring_months=3)
    recurring = AccrualKind.REFERRAL_RECURRING
    assert [recurring_month_number(facts, Period(2026, m)) for m in (10, 11, 12)] == [None, 1, 2]
    assert recurring_month_number(facts, Period(2027, 3)) == 3
    assert amounts(facts, terms, "2026-12") == {recurring: "2.90"}  # 10.00 * 9/31
    assert amounts(facts, terms, "2027-01") == {}
    assert amounts(facts, terms, "2027-03") == {recurring: "8.71"}  # 10.00 * 27/31
    assert amounts(facts, terms, "2027-04") == {}


def test_a_subscription_that_never_held_through_a_day_is_not_month_one() -> None:
    facts = customer(Interval(at(2026, 10, 31, 9), at(2026, 10, 31, 17)), Interval(at(2026, 12, 1)))
    assert recurring_month_number(facts, Period(2026, 10)) is None
    assert recurring_month_number(facts, Period(2026, 12)) == 1


def test_a_mid_month_cancel_stops_recurring_referral() -> None:
    facts = customer(Interval(at(2026, 10, 1), at(2026, 11, 20, 9)))
    terms = ReferralTerms(recurring_percent=Decimal("10"))
    recurring = AccrualKind.REFERRAL_RECURRING
    assert amounts(facts, terms, "2026-11") == {recurring: "6.33"}  # 10.00 * 19/30
    assert amounts(facts, terms, "2026-12") == {}


def test_one_off_and_recurring_in_the_first_month() -> None:
    facts = customer(Interval(at(2026, 11, 16, 10)))
    terms = ReferralTerms(Decimal("50.00"), Decimal("12.5"), 12)
    assert amounts(facts, terms, "2026-11") == {
        AccrualKind.REFERRAL_ONE_OFF: "50.00",
        AccrualKind.REFERRAL_RECURRING: "6.25",  # 12.50 * 15/30
    }


def test_zero_terms_produce_no_entries() -> None:
    facts = customer(Interval(at(2026, 11, 1)))
    terms = ReferralTerms(Decimal("0.00"), Decimal("0"), None)
    assert amounts(facts, terms, "2026-11") == {}
