"""PRODUCT.md §5: expiry by a periodic job and by the test clock; 30-day reminders, once."""

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from refairn.certification.models import Certification, CertificationEvent
from refairn.certification.services import certifications_expire_due, expiry_reminders_send
from refairn.certification.tests.journeys import begin, cert, certify, make_track, submit
from refairn.core import clock
from refairn.notifications.models import Notification
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
    assert reminders(bob) == [EXPIRES - timedelta(days=30)]
    expired = Notification.objects.get(user=bob, kind="certification_expired")
    assert expired.created_at == EXPIRES

    test_clock(EXPIRES + timedelta(days=10))
    assert CertificationEvent.objects.filter(event="expire").count() == 1
    assert len(reminders(bob)) == 1


@pytest.mark.django_db
def test_the_reminder_is_sent_once_inside_the_renewal_window(
    test_clock: Any, bob: Any, alice: Any, track: Any
) -> None:
    certify(track, bob, alice)
    test_clock(EXPIRES - timedelta(days=31))
    assert reminders(bob) == []
    test_clock(EXPIRES - timedelta(days=29))
    assert reminders(bob) == [EXPIRES - timedelta(days=30)]
    test_clock(EXPIRES - timedelta(days=5))
    assert len(reminders(bob)) == 1
    assert cert(track, bob).status == "certified"


@pytest.mark.django_db
def test_a_renewal_gets_its_own_reminder(test_clock: Any, bob: Any, alice: Any, track: Any) -> None:
    certify(track, bob, alice)
    test_clock(EXPIRES - timedelta(days=20))
    submit(begin(track, bob.id), earned=100)
    assert cert(track, bob).expires_at == EXPIRES.replace(year=2028)
    test_clock(EXPIRES.replace(year=2028) - timedelta(days=1))
    assert reminders(bob) == [
        EXPIRES - timedelta(days=30),
        EXPIRES.replace(year=2028) - timedelta(days=30),
    ]


@pytest.mark.django_db
def test_the_jobs_are_idempotent(bob: Any, alice: Any, track: Any) -> None:
    certify(track, bob, alice)
    with clock.frozen(EXPIRES):
        assert expiry_reminders_send() == 1
        assert expiry_reminders_send() == 0
        assert certifications_expire_due() == 1
        assert certifications_expire_due() == 0
    assert CertificationEvent.objects.filter(event="expire").count() == 1
    assert len(reminders(bob)) == 1


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
    assert sorted(reminded.values_list("user", flat=True)) == sorted(a.id for a in agents)
    assert all(
        at == EXPIRES - timedelta(days=30) for at in reminded.values_list("created_at", flat=True)
    )
