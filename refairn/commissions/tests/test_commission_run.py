"""Monthly runs through the service, with hand-computed amounts (PRODUCT.md §10).

Terms are the defaults unless a test says otherwise: referral one-off 25.00 and 10 % of the
monthly value for 12 months; support 20.00 per assigned customer per month. A day counts when
the condition holds at its end (domain.intervals): the day something starts counts, the day it
stops does not.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.commissions import services
from refairn.commissions.models import CommissionRun, ReferralEntry, SupportEntry
from refairn.commissions.services import commission_run
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import amounts, at, make_agent, make_customer, run
from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from refairn.programs.models import Customer
from refairn.programs.selectors import actor_for
from refairn.programs.services import business_create, settings_update
from refairn.support.models import Assignment, SupportAccessEvent

pytestmark = pytest.mark.django_db

REC, ONE_OFF, SUP = "referral_recurring", "referral_one_off", "support_monthly"


def test_mid_month_assignment_pays_the_days_from_the_assignment(
    business_a: Any, bob: Any, dana: Any
) -> None:
    customer = make_customer(business_a, subscribed_at=at(2026, 10, 1), referred_by=bob, name="C")
    support_facts.assign(customer, dana, at(2026, 11, 16, 14))

    result = run(business_a, "2026-11")

    # Nov 16..30 = 15 of 30 days: 20.00 * 15/30.
    assert amounts(business_a, "support") == {(SUP, "dana@a.test", "C", "2026-11"): "10.00"}
    # Month 2 of the subscription, every day subscribed: 10 % of 300.00.
    assert amounts(business_a, "referral") == {(REC, "bob@a.test", "C", "2026-11"): "30.00"}
    assert (result.entries_created, result.entries_existing) == (2, 0)


def test_first_month_pays_the_one_off_and_the_prorated_recurring_part(
    business_a: Any, bob: Any
) -> None:
    make_customer(business_a, subscribed_at=at(2026, 10, 12, 15), referred_by=bob, name="C")

    run(business_a, "2026-10")

    # Oct 12..31 = 20 of 31 days: 30.00 * 20/31 = 19.354...
    assert amounts(business_a, "referral") == {
        (ONE_OFF, "bob@a.test", "C", "2026-10"): "25.00",
        (REC, "bob@a.test", "C", "2026-10"): "19.35",
    }


def test_mid_month_cancel_stops_support_and_recurring_referral(
    business_a: Any, bob: Any, dana: Any
) -> None:
    customer = make_customer(
        business_a,
        subscribed_at=at(2026, 10, 1),
        cancelled_at=at(2026, 11, 20, 9),
        referred_by=bob,
        name="C",
    )
    support_facts.assign(customer, dana, at(2026, 10, 1))

    run(business_a, "2026-11")
    run(business_a, "2026-12")

    # Nov 1..19 = 19 of 30 days: support 20.00 * 19/30 = 12.666..., referral 30.00 * 19/30.
    assert amounts(business_a, "support", "2026-11") == {
        (SUP, "dana@a.test", "C", "2026-11"): "12.67"
    }
    assert amounts(business_a, "referral", "2026-11") == {
        (REC, "bob@a.test", "C", "2026-11"): "19.00"
    }
    assert amounts(business_a, "support", "2026-12") == {}
    assert amounts(business_a, "referral", "2026-12") == {}


def test_suspension_across_a_month_boundary_costs_the_suspended_days_only(
    business_a: Any, bob: Any, dana: Any
) -> None:
    customer = make_customer(business_a, subscribed_at=at(2026, 9, 1), referred_by=bob, name="C")
    support_facts.assign(customer, dana, at(2026, 9, 1))
    support_facts.suspend(business_a, dana, at(2026, 10, 25, 10))
    support_facts.reinstate(business_a, dana, at(2026, 11, 5, 8))

    run(business_a, "2026-10")
    run(business_a, "2026-11")

    # October: Oct 1..24 = 24/31 → 15.483...; November: Nov 5..30 = 26/30 → 17.333...
    assert amounts(business_a, "support") == {
        (SUP, "dana@a.test", "C", "2026-10"): "15.48",
        (SUP, "dana@a.test", "C", "2026-11"): "17.33",
    }
    # The suspension is support-side: the referral ledger pays full months.
    assert amounts(business_a, "referral") == {
        (REC, "bob@a.test", "C", "2026-10"): "30.00",
        (REC, "bob@a.test", "C", "2026-11"): "30.00",
    }


@pytest.mark.parametrize(
    ("year", "month", "support", "recurring"),
    [
        # Assigned and subscribed from the 11th at noon: days 11..end of month.
        (2027, 1, "13.55", "6.77"),  # 31 days: 21 days → 20*21/31 = 13.548, 10*21/31 = 6.774
        (2027, 4, "13.33", "6.67"),  # 30 days: 20 days → 13.333, 6.666
        (2027, 2, "12.86", "6.43"),  # 28 days: 18 days → 12.857, 6.428
        (2028, 2, "13.10", "6.55"),  # 29 days (leap year): 19 days → 13.103, 6.551
    ],
)
def test_proration_uses_the_length_of_the_month(
    business_a: Any,
    bob: Any,
    dana: Any,
    year: int,
    month: int,
    support: str,
    recurring: str,
) -> None:
    start = at(year, month, 11, 12)
    customer = make_customer(
        business_a, value="100.00", subscribed_at=start, referred_by=bob, name="C"
    )
    support_facts.assign(customer, dana, start)
    period = f"{year}-{month:02d}"

    run(business_a, period)

    assert amounts(business_a, "support") == {(SUP, "dana@a.test", "C", period): support}
    assert amounts(business_a, "referral") == {
        (ONE_OFF, "bob@a.test", "C", period): "25.00",
        (REC, "bob@a.test", "C", period): recurring,
    }


def test_percent_support_terms_round_once_half_up(business_a: Any, owner: Any, dana: Any) -> None:
    settings_update(actor=owner, patch={"support_terms": {"monthly_percent": "7.5"}})
    customer = make_customer(business_a, value="99.99", subscribed_at=at(2026, 9, 1), name="C")
    support_facts.assign(customer, dana, at(2026, 9, 1))

    run(business_a, "2026-10")

    # 7.5 % of 99.99 = 7.49925, a full month, rounded once: 7.50.
    assert amounts(business_a, "support") == {(SUP, "dana@a.test", "C", "2026-10"): "7.50"}


def test_recurring_referral_stops_after_the_limit(business_a: Any, owner: Any, bob: Any) -> None:
    settings_update(actor=owner, patch={"referral_terms": {"recurring_months": 2}})
    make_customer(business_a, subscribed_at=at(2026, 9, 15), referred_by=bob, name="C")

    for period in ("2026-09", "2026-10", "2026-11"):
        run(business_a, period)

    # September is month 1 (Sep 15..30 = 16/30 of 30.00), October month 2, November month 3.
    assert amounts(business_a, "referral") == {
        (ONE_OFF, "bob@a.test", "C", "2026-09"): "25.00",
        (REC, "bob@a.test", "C", "2026-09"): "16.00",
        (REC, "bob@a.test", "C", "2026-10"): "30.00",
    }


def test_unassigning_stops_only_that_customers_support(business_a: Any, dana: Any) -> None:
    first = make_customer(business_a, subscribed_at=at(2026, 9, 1), name="C1")
    second = make_customer(business_a, subscribed_at=at(2026, 9, 1), name="C2")
    support_facts.assign(first, dana, at(2026, 10, 1))
    support_facts.assign(second, dana, at(2026, 10, 1))
    support_facts.unassign(first, at(2026, 11, 10))

    run(business_a, "2026-11")

    # C1: Nov 1..9 = 9/30 of 20.00.
    assert amounts(business_a, "support") == {
        (SUP, "dana@a.test", "C1", "2026-11"): "6.00",
        (SUP, "dana@a.test", "C2", "2026-11"): "20.00",
    }


def test_a_handover_pays_each_agent_their_days(business_a: Any, dana: Any) -> None:
    erin = make_agent(business_a, "erin@a.test")
    support_facts.grant(business_a, erin, at(2026, 1, 1))
    customer = make_customer(business_a, subscribed_at=at(2026, 9, 1), name="C")
    support_facts.assign(customer, dana, at(2026, 10, 1))
    support_facts.assign(customer, erin, at(2026, 11, 16, 10))

    run(business_a, "2026-11")

    assert amounts(business_a, "support") == {
        (SUP, "dana@a.test", "C", "2026-11"): "10.00",
        (SUP, "erin@a.test", "C", "2026-11"): "10.00",
    }


def test_removal_stops_all_support_and_leaves_referral_alone(
    business_a: Any, bob: Any, dana: Any
) -> None:
    referred = make_customer(business_a, subscribed_at=at(2026, 9, 1), referred_by=dana, name="R")
    supported = make_customer(business_a, subscribed_at=at(2026, 9, 1), name="S")
    support_facts.assign(referred, dana, at(2026, 10, 1))
    support_facts.assign(supported, dana, at(2026, 10, 1))
    support_facts.remove(business_a, dana, at(2026, 11, 16))

    run(business_a, "2026-11")
    run(business_a, "2026-12")

    assert amounts(business_a, "support") == {
        (SUP, "dana@a.test", "R", "2026-11"): "10.00",
        (SUP, "dana@a.test", "S", "2026-11"): "10.00",
    }
    assert amounts(business_a, "referral") == {
        (REC, "dana@a.test", "R", "2026-11"): "30.00",
        (REC, "dana@a.test", "R", "2026-12"): "30.00",
    }


def test_revoked_certification_ends_support_accrual(business_a: Any, dana: Any) -> None:
    customer = make_customer(business_a, subscribed_at=at(2026, 9, 1), name="C")
    support_facts.assign(customer, dana, at(2026, 10, 1))
    support_facts.revoke_certification(business_a, dana, at(2026, 11, 21))

    run(business_a, "2026-11")

    assert amounts(business_a, "support") == {(SUP, "dana@a.test", "C", "2026-11"): "13.33"}


def test_access_never_granted_earns_no_support(business_a: Any, bob: Any) -> None:
    customer = make_customer(business_a, subscribed_at=at(2026, 9, 1), name="C")
    support_facts.assign(customer, bob, at(2026, 10, 1))

    run(business_a, "2026-10")

    assert amounts(business_a, "support") == {}


def test_a_rerun_creates_nothing(business_a: Any, bob: Any, dana: Any) -> None:
    customer = make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob, name="C")
    support_facts.assign(customer, dana, at(2026, 10, 3))
    first = run(business_a, "2026-10")
    before = amounts(business_a, "referral"), amounts(business_a, "support")

    second = run(business_a, "2026-10")

    assert (first.entries_created, first.entries_existing) == (3, 0)
    assert (second.entries_created, second.entries_existing) == (0, 3)
    assert (amounts(business_a, "referral"), amounts(business_a, "support")) == before
    for result in (first, second):
        recorded = CommissionRun.objects.get(pk=result.run_id)
        assert (recorded.entries_created, recorded.entries_existing) == (
            result.entries_created,
            result.entries_existing,
        )
        assert recorded.finished_at is not None


def test_a_rerun_of_unchanged_facts_stops_at_the_run_marker(
    business_a: Any, bob: Any, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: a finished month whose facts and terms are unchanged is not recomputed."""
    customer = make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob, name="C")
    support_facts.assign(customer, dana, at(2026, 10, 3))
    first = run(business_a, "2026-10")

    def computed(**kwargs: Any) -> int:
        raise AssertionError("the rerun recomputed the month")

    monkeypatch.setattr(services, "referral_ledger_append", computed)
    monkeypatch.setattr(services, "support_ledger_append", computed)
    second = run(business_a, "2026-10")

    assert (second.entries_created, second.entries_existing) == (0, 3)
    marker = CommissionRun.objects.get(pk=first.run_id).facts_digest
    assert len(marker) == 64
    assert CommissionRun.objects.get(pk=second.run_id).facts_digest == marker


def test_a_rerun_after_the_facts_changed_writes_what_they_now_owe(
    business_a: Any, owner: Any, bob: Any, dana: Any
) -> None:
    """A customer entered afterwards with a subscription in the finished month, or new terms,
    change the marker: the rerun computes again and writes only the entries still missing."""
    customer = make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob, name="C")
    support_facts.assign(customer, dana, at(2026, 10, 3))
    run(business_a, "2026-10")
    make_customer(business_a, subscribed_at=at(2026, 10, 20), referred_by=bob, name="Late")

    after_customer = run(business_a, "2026-10")
    settings_update(actor=owner, patch={"support_terms": {"monthly_amount": "40.00"}})
    after_terms = run(business_a, "2026-10")

    assert (after_customer.entries_created, after_customer.entries_existing) == (2, 3)
    # New terms, same keys: the entries already written stay as they are (PRODUCT.md §10).
    assert (after_terms.entries_created, after_terms.entries_existing) == (0, 5)
    assert amounts(business_a, "referral")[(ONE_OFF, "bob@a.test", "Late", "2026-10")] == "25.00"


def test_entries_record_their_run_currency_and_key(business_a: Any, bob: Any) -> None:
    make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob, name="C")
    result = run(business_a, "2026-10")

    entry = ReferralEntry.objects.get(kind=ONE_OFF)
    assert entry.run_id == result.run_id
    assert entry.currency == "USD"
    assert entry.key == f"referral:referral_one_off:{business_a.id}:{entry.customer_id}"
    assert entry.reverses is None


def test_a_period_that_has_not_ended_is_refused(business_a: Any, owner: Any, bob: Any) -> None:
    make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob)
    with pytest.raises(Conflict) as refused:
        commission_run(actor=owner, business=business_a, period="2026-11")  # clock: Nov 2
    assert refused.value.code == "period_not_ended"
    assert not ReferralEntry.objects.exists()
    assert not CommissionRun.objects.exists()


@pytest.mark.parametrize("period", ["2026-13", "2026-1", "26-11", "2026/11", "", "２０２６-11"])
def test_a_malformed_period_is_refused(business_a: Any, owner: Any, period: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        commission_run(actor=owner, business=business_a, period=period)
    assert refused.value.fields.keys() == {"period"}
    assert not CommissionRun.objects.exists()


def test_only_owners_and_managers_run_and_only_their_business(
    business_a: Any, bob: Any, charlie: Any, business_b: Any
) -> None:
    with clock.frozen(at(2026, 12, 1)):
        with pytest.raises(Forbidden):
            commission_run(
                actor=actor_for(bob, business_a.id), business=business_a, period="2026-11"
            )
        with pytest.raises(NotFound):
            commission_run(
                actor=actor_for(charlie, business_b.id), business=business_a, period="2026-11"
            )
    assert not CommissionRun.objects.exists()


def test_a_run_reads_facts_in_a_bounded_number_of_queries(alice: Any) -> None:
    """Queries do not grow with customers, assignments or access history."""

    def scenario(name: str, customers: int) -> Any:
        business = business_create(user=alice, name=name)
        agent = make_agent(business, f"agent-{name}@a.test")
        support_facts.grant(business, agent, at(2026, 1, 1))
        support_facts.suspend(business, agent, at(2026, 10, 5))
        support_facts.reinstate(business, agent, at(2026, 10, 9))
        for n in range(customers):
            customer = make_customer(
                business, subscribed_at=at(2026, 9, 1 + n % 20), referred_by=agent
            )
            support_facts.assign(customer, agent, at(2026, 9, 2 + n % 20))
        return business

    small, large = scenario("small", 2), scenario("large", 40)
    with clock.frozen(at(2026, 11, 1)):
        with CaptureQueriesContext(connection) as few:
            commission_run(actor=None, business=small, period="2026-10")
        with CaptureQueriesContext(connection) as many:
            commission_run(actor=None, business=large, period="2026-10")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert SupportEntry.objects.filter(business=large).count() == 40


def test_a_run_reads_each_fact_table_once(business_a: Any, bob: Any, dana: Any) -> None:
    """Issue 17: the facts are built from the rows the run marker's digest reads, so the
    month's customers, assignments and access history are each read one time."""
    customer = make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob)
    support_facts.assign(customer, dana, at(2026, 10, 4))
    with clock.frozen(at(2026, 11, 1)), CaptureQueriesContext(connection) as captured:
        result = commission_run(actor=None, business=business_a, period="2026-10")
    for model in (Customer, Assignment, SupportAccessEvent):
        table = connection.ops.quote_name(model._meta.db_table)
        reads = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith("SELECT") and f"FROM {table}" in query["sql"]
        ]
        assert len(reads) == 1, reads
    assert result.entries_created == 3


def test_switching_off_the_recurring_part_keeps_the_one_off(
    business_a: Any, owner: Any, bob: Any
) -> None:
    # The stored month limit (12 by default) stays behind: it must not break the run.
    settings_update(actor=owner, patch={"referral_terms": {"recurring_percent": None}})
    make_customer(business_a, subscribed_at=at(2026, 10, 3), referred_by=bob, name="C")

    run(business_a, "2026-10")

    assert amounts(business_a, "referral") == {(ONE_OFF, "bob@a.test", "C", "2026-10"): "25.00"}
