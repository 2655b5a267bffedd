"""PRODUCT.md §5: expiry by a periodic job and by the test clock; reminders 30 and 7 days
before, each once."""

import threading
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection

from refairn.certification.models import Certification, CertificationEvent
from refairn.certification.services import (
    certifications_expire_due,
    expiry_reminders_send,
    transitions,
)
from refairn.certification.tests.journeys import (
    begin,
    cert,
    certify,
    make_track,
    set_settings,
    submit,
)
from refairn.core import clock
from refairn.notifications.models import Notification, OutboxEvent
from refairn.programs.models import Agent
from refairn.programs.services import business_create
from tests.support import T0, make_user

EXPIRES = T0.replace(year=2027)  # certified at T0 for 12 months


def reminders(agent: Any) -> list[datetime]:
    return list(
        Notification.objects.filter(user=agent, kind="certification_expiry_reminder")
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )


@pytest.fixture
def test_clock(settings: Any, unfrozen: None, anon: Any) -> Any:
    settings.REFAIRN_TEST_CLOCK = True

    def move(to: datetime) -> None:
        response = anon.put("/test-clock", {"now": to.isoformat()})
        assert response.status_code == 200, response.content

    move(T0)
    return move


@pytest.mark.django_db
def test_moving_the_test_clock_past_the_expiry_expires_at_the_expiry_time(
    test_clock: Any, bob: Any, alice: Any, track: Any
) -> None:
    certify(track, bob, alice)
    test_clock(EXPIRES + timedelta(days=3, minutes=7))
    certification = cert(track, bob)
    assert certification.status == "expired"
    event = CertificationEvent.objects.filter(certification=certification).last()
    assert (event.event, event.from_status, event.to_status) == ("expire", "certified", "expired")
    assert event.at == EXPIRES
    assert event.by is None
    assert reminders(bob) == [EXPIRES - timedelta(days=30), EXPIRES - timedelta(days=7)]
    expired = Notification.objects.get(user=bob, kind="certification_expired")
    assert expired.created_at == EXPIRES

    test_clock(EXPIRES + timedelta(days=10))
    assert CertificationEvent.objects.filter(event="expire").count() == 1
    assert len(reminders(bob)) == 2


@pytest.mark.django_db
def test_the_reminders_are_sent_30_and_7_days_before_each_once(
    test_clock: Any, bob: Any, alice: Any, track: Any
) -> None:
    certify(track, bob, alice)
    test_clock(EXPIRES - timedelta(days=31))
    assert reminders(bob) == []
    test_clock(EXPIRES - timedelta(days=29))
    assert reminders(bob) == [EXPIRES - timedelta(days=30)]
    test_clock(EXPIRES - timedelta(days=8))
    assert len(reminders(bob)) == 1
    test_clock(EXPIRES - timedelta(days=6))
    assert reminders(bob) == [EXPIRES - timedelta(days=30), EXPIRES - timedelta(days=7)]
    test_clock(EXPIRES - timedelta(days=1))
    assert len(reminders(bob)) == 2
    assert cert(track, bob).status == "certified"
    texts = Notification.objects.filter(user=bob, kind="certification_expiry_reminder")
    assert ["in 30 days" in n.text for n in texts.order_by("created_at")] == [True, False]
    events = OutboxEvent.objects.filter(type="certification.expiry_reminder").order_by(
        "occurred_at"
    )
    assert [e.data["days_before"] for e in events] == [30, 7]
    assert {e.data["agent_id"] for e in events} == {str(bob.id)}


@pytest.mark.django_db
def test_a_renewal_gets_its_own_reminders(
    test_clock: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    set_settings(business_a, final_approval="automatic")
    test_clock(EXPIRES - timedelta(days=20))
    submit(begin(track, bob.id), earned=100)
    assert cert(track, bob).expires_at == EXPIRES.replace(year=2028)
    test_clock(EXPIRES.replace(year=2028) - timedelta(days=1))
    assert reminders(bob) == [
        EXPIRES - timedelta(days=30),
        EXPIRES.replace(year=2028) - timedelta(days=30),
        EXPIRES.replace(year=2028) - timedelta(days=7),
    ]


@pytest.mark.django_db
def test_a_renewal_after_a_lapse_is_not_reminded_at_once(
    test_clock: Any, bob: Any, alice: Any, business_a: Any
) -> None:
    # Issue 11 item 2: a 6-month track renewed two months after lapsing.
    track = make_track(business_a, alice, name="Billing", recertification_months=6)
    certify(track, bob, alice)
    lapsed = T0 + relativedelta(months=6)
    test_clock(lapsed + relativedelta(months=2))
    assert cert(track, bob).status == "expired"
    set_settings(business_a, final_approval="automatic")
    submit(begin(track, bob.id), earned=100)
    renewed = cert(track, bob)
    assert renewed.status == "certified"
    assert renewed.expires_at == lapsed + relativedelta(months=8)
    assert reminders(bob) == [lapsed - timedelta(days=30), lapsed - timedelta(days=7)]
    test_clock(renewed.expires_at - timedelta(days=31))
    assert len(reminders(bob)) == 2


@pytest.mark.django_db
def test_the_jobs_are_idempotent(bob: Any, alice: Any, track: Any) -> None:
    certify(track, bob, alice)
    with clock.frozen(EXPIRES):
        assert expiry_reminders_send() == 2
        assert expiry_reminders_send() == 0
        assert certifications_expire_due() == 1
        assert certifications_expire_due() == 0
    assert CertificationEvent.objects.filter(event="expire").count() == 1
    assert len(reminders(bob)) == 2


@pytest.mark.django_db
def test_a_run_that_dies_half_way_loses_and_repeats_no_reminder(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    """Issue 18 item 3: what was sent is the notification itself, written with its outbox
    event; a crash after some agents were told leaves the others for the rerun."""
    dora = make_user("dora@a.test", "Dora Agent")
    Agent.objects.create(business=business_a, user=dora, status="approved")
    certify(track, bob, alice)
    certify(track, dora, alice)
    real = transitions.notification_send
    calls = 0

    def dies_on_the_second(**kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    with clock.frozen(EXPIRES - timedelta(days=10)):
        with (
            mock.patch.object(transitions, "notification_send", dies_on_the_second),
            pytest.raises(RuntimeError),
        ):
            expiry_reminders_send()
        assert len(reminders(bob)) + len(reminders(dora)) == 1
        assert expiry_reminders_send() == 1
        assert expiry_reminders_send() == 0
    assert len(reminders(bob)) == len(reminders(dora)) == 1
    assert OutboxEvent.objects.filter(type="certification.expiry_reminder").count() == 2


@pytest.mark.django_db
def test_nothing_expires_before_its_time(bob: Any, alice: Any, track: Any) -> None:
    certify(track, bob, alice)
    with clock.frozen(EXPIRES - timedelta(seconds=1)):
        assert certifications_expire_due() == 0
    assert cert(track, bob).status == "certified"


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so two sweeps cannot overlap; run on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_expire_and_remind_once() -> None:
    owner = make_user("owner@race.test")
    business = business_create(user=owner, name="Race")
    track = make_track(business, owner)
    agents = []
    for n in range(8):
        agent = make_user(f"agent{n}@race.test")
        Agent.objects.create(business=business, user=agent, status="approved")
        with clock.frozen(T0):
            certify(track, agent, owner)
        agents.append(agent)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait(timeout=10)
            with clock.frozen(EXPIRES + timedelta(hours=1)):
                expiry_reminders_send()
                certifications_expire_due()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Certification.objects.filter(status="expired").count() == 8
    assert CertificationEvent.objects.filter(event="expire").count() == 8
    reminded = Notification.objects.filter(kind="certification_expiry_reminder")
    # Each agent once per reminder: 30 and 7 days before.
    assert sorted(reminded.values_list("user", flat=True)) == sorted(
        a.id for a in agents for _ in range(2)
    )
    assert set(reminded.values_list("created_at", flat=True)) == {
        EXPIRES - timedelta(days=30),
        EXPIRES - timedelta(days=7),
    }
