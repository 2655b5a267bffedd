"""Issue 13: agents are told of commission statements and reversals (PRODUCT.md §10) in the
app, by e-mail and through the business's webhooks: after a month has ended its run announces
one ``commission.statement`` per agent with entries, exactly once however often the month is
run or wherever a run broke off; a reversal sends ``commission.reversed``."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from refairn.commissions.models import ReferralEntry
from refairn.commissions.tasks import commission_run_task
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_agent, make_customer, run
from refairn.notifications import services as notification_services
from refairn.notifications.models import Notification, OutboxEvent
from refairn.programs.models import Business
from refairn.webhooks.tests.receiver import Receiver
from tests.support import T0, api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(business_a: Business, bob: Any) -> Any:
    """Bob referred C (subscribed Oct 16, 310.00 a month) and Dana supports it from then.
    Referral: one-off 25.00 + 10 % of 310.00 * 16/31 = 41.00; support 20.00 * 16/31 = 10.32."""
    dana = make_agent(business_a, "dana@a.test")
    support_facts.grant(business_a, dana, at(2026, 1, 1))
    customer = make_customer(
        business_a, value="310.00", subscribed_at=at(2026, 10, 16), referred_by=bob, name="C"
    )
    support_facts.assign(customer, dana, at(2026, 10, 16))
    return dana


def statements() -> dict[str, dict[str, Any]]:
    return {
        e.data["agent_name"]: e.data
        for e in OutboxEvent.objects.filter(type="commission.statement")
    }


def test_a_finished_month_sends_each_agent_one_statement_through_the_webhook(
    alice: Any,
    bob: Any,
    business_a: Business,
    october: Any,
    receiver: Receiver,
    anon: Any,
    dev_mode: None,
) -> None:
    as_alice = api_as(alice)
    hook = as_alice.post(
        f"/businesses/{business_a.id}/webhooks",
        {"url": receiver.url, "events": ["commission.statement", "commission.reversed"]},
    )
    assert hook.status_code == 201, hook.body
    receiver.secret = hook.body["secret"]
    # T0 is November 2nd: October has ended; under the test clock months are run explicitly.
    path = f"/businesses/{business_a.id}/commission-runs"
    assert as_alice.post(path, {"period": "2026-10"}).status_code == 200
    assert as_alice.post(path, {"period": "2026-10"}).body["entries_created"] == 0  # a rerun

    moved = anon.put("/test-clock", {"now": (T0 + timedelta(minutes=3)).isoformat()})
    assert moved.status_code == 200
    sent = sorted((r.payload for r in receiver.requests), key=lambda p: p["data"]["agent_name"])
    assert all(r.verified for r in receiver.requests)
    assert [p["type"] for p in sent] == ["commission.statement"] * 2
    bob_data, dana_data = (p["data"] for p in sent)
    link = f"/b/{business_a.id}/commissions/me/"
    assert {k: bob_data[k] for k in bob_data if k not in {"text", "recipient_ids"}} == {
        "agent_id": str(bob.id),
        "agent_name": "Bob Agent",
        "period": "2026-10",
        "referral_total": {"amount": "41.00", "currency": "USD"},
        "support_total": {"amount": "0.00", "currency": "USD"},
        "total": {"amount": "41.00", "currency": "USD"},
        "entries": 2,
        "business_id": str(business_a.id),
        "business_name": "Business A",
        "kind": "commission_statement",
        "link": link,
        "url": f"http://127.0.0.1:8000{link}",
    }
    assert dana_data["support_total"] == {"amount": "10.32", "currency": "USD"}
    assert dana_data["total"] == {"amount": "10.32", "currency": "USD"}
    assert Notification.objects.filter(kind="commission_statement").count() == 2

    # A reversal is announced to its agent with the amount as a Decimal string.
    entry = ReferralEntry.objects.filter(kind="referral_one_off").get()
    reversal = as_alice.post(
        f"/businesses/{business_a.id}/commissions/{entry.id}/reversal",
        {"code": "customer_refunded", "note": "Refunded in full"},
    )
    assert reversal.status_code == 201, reversal.body
    anon.put("/test-clock", {"now": (T0 + timedelta(minutes=6)).isoformat()})
    [reversed_] = [r.payload for r in receiver.requests if r.payload["type"] != sent[0]["type"]]
    assert reversed_["type"] == "commission.reversed"
    assert {k: reversed_["data"][k] for k in ("entry_id", "reversal_id", "amount", "code")} == {
        "entry_id": str(entry.id),
        "reversal_id": reversal.body["id"],
        "amount": {"amount": "25.00", "currency": "USD"},
        "code": "customer_refunded",
    }
    assert reversed_["data"]["agent_name"] == "Bob Agent"


def test_a_run_that_breaks_off_announcing_announces_nothing_and_its_rerun_everything_once(
    business_a: Business, bob: Any, october: Any, monkeypatch: Any
) -> None:
    real = notification_services.outbox_record_each

    def dies_once_written(**kwargs: Any) -> Any:
        real(**kwargs)  # every statement's notification and event are written, uncommitted
        raise RuntimeError("the worker died before the run was finished")

    monkeypatch.setattr(notification_services, "outbox_record_each", dies_once_written)
    with pytest.raises(RuntimeError):
        run(business_a, "2026-10")
    assert not OutboxEvent.objects.exists() and not Notification.objects.exists()
    monkeypatch.setattr(notification_services, "outbox_record_each", real)

    run(business_a, "2026-10")  # completes the month, finishes it and announces
    run(business_a, "2026-10")  # a rerun of a finished month: nothing new
    assert sorted(statements()) == ["Bob Agent", "dana@a.test"]
    assert OutboxEvent.objects.count() == 2
    assert Notification.objects.filter(kind="commission_statement").count() == 2


def test_the_daily_job_announces_ended_months_once(
    business_a: Business, bob: Any, october: Any, settings: Any
) -> None:
    settings.REFAIRN_TEST_CLOCK = False
    Business.objects.filter(pk=business_a.pk).update(created_at=at(2026, 10, 1))
    assert commission_run_task() == ["business-a 2026-10"]
    assert commission_run_task() == []
    assert set(statements()) == {"Bob Agent", "dana@a.test"}
    assert statements()["Bob Agent"]["total"] == {"amount": "41.00", "currency": "USD"}


def test_a_month_without_entries_announces_nothing(business_a: Business, bob: Any) -> None:
    run(business_a, "2026-10")
    assert not OutboxEvent.objects.exists()


def test_amounts_are_added_in_decimal(business_a: Business, bob: Any) -> None:
    for day in (3, 5, 7):
        make_customer(business_a, value="0.10", subscribed_at=at(2026, 10, day), referred_by=bob)
    run(business_a, "2026-10")
    total = Decimal(statements()["Bob Agent"]["referral_total"]["amount"])
    assert total == sum(e.amount for e in ReferralEntry.objects.all())
