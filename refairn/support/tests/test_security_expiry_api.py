"""Issue 11 item 1: a lapsed security-critical certification restricts support, whatever the
business's support tracks are, until the agent renews it."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from refairn.certification.models import Certification
from refairn.certification.tests.journeys import set_settings
from refairn.notifications.models import Notification, OutboxEvent
from refairn.support.models import TicketEvent
from refairn.support.tests.conftest import certify, new_customer, open_ticket
from refairn.training.models import Track
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def security_track(business_a: Any, certified_bob: Any, erin: Any) -> Track:
    """Security-critical but not a support track: support_track_ids names only the
    fundamentals, so before issue 11 it never counted. Bob's certification in it lapses at
    day 10."""
    track = Track.objects.create(
        business=business_a,
        name="Security & Compliance",
        requirement="required",
        security_critical=True,
        passing_score=Decimal("80"),
        recertification_months=12,
        badge_name="Security",
        badge_icon="shield",
        question_count=10,
        time_limit_minutes=30,
    )
    fundamentals = Track.objects.get(business=business_a, name="Support Fundamentals")
    set_settings(business_a, support_track_ids=[str(fundamentals.id)])
    Certification.objects.create(
        business=business_a,
        track=track,
        agent=certified_bob,
        status="certified",
        certified_at=T0 - DAY,
        expires_at=T0 + 10 * DAY,
    )
    certify(business_a, erin)
    return track


def test_an_expired_security_track_reroutes_tickets_and_stops_new_work(
    test_clock: Any,
    security_track: Track,
    as_dana: Any,
    as_alice: Any,
    alice: Any,
    business_a: Any,
    bobs_customer: Any,
    certified_bob: Any,
    erin: Any,
) -> None:
    held = open_ticket(as_dana, bobs_customer)
    assert held["assigned_agent_id"] == str(certified_bob.id)

    test_clock(T0 + 10 * DAY + timedelta(minutes=1))
    ticket = as_alice.get(f"/tickets/{held['id']}").body
    assert ticket["assigned_agent_id"] == str(erin.id)
    assert TicketEvent.objects.filter(ticket_id=held["id"], event="reroute").exists()
    notice = Notification.objects.get(user=alice, kind="support_restricted")
    assert "Security & Compliance" in notice.text and "1 open ticket" in notice.text
    assert notice.created_at == T0 + 10 * DAY
    event = OutboxEvent.objects.get(type="support.restricted")
    assert (event.data["agent_id"], event.data["rerouted"]) == (str(certified_bob.id), 1)

    # No new tickets, even from the agent's own customer, and no new customers.
    assert open_ticket(as_dana, bobs_customer)["assigned_agent_id"] == str(erin.id)
    newcomer = new_customer(business_a, "Contoso")
    response = as_alice.put(
        f"/customers/{newcomer.id}/assignment", {"agent_id": str(certified_bob.id)}
    )
    assert_problem(response, 409, "agent_not_eligible")

    # Renewed: back to normal.
    Certification.objects.filter(track=security_track, agent=certified_bob).update(
        status="certified", expires_at=T0 + 400 * DAY
    )
    assert open_ticket(as_dana, bobs_customer)["assigned_agent_id"] == str(certified_bob.id)


def test_a_revoked_security_track_reroutes_tickets(
    security_track: Track,
    as_dana: Any,
    as_alice: Any,
    alice: Any,
    bobs_customer: Any,
    certified_bob: Any,
    erin: Any,
) -> None:
    held = open_ticket(as_dana, bobs_customer)
    response = as_alice.post(
        f"/businesses/{security_track.business_id}/agents/{certified_bob.id}/certifications/"
        f"{security_track.id}/revoke",
        {"reason": "Shared credentials"},
    )
    assert response.status_code == 200, response.body
    assert as_alice.get(f"/tickets/{held['id']}").body["assigned_agent_id"] == str(erin.id)
    assert Notification.objects.filter(user=alice, kind="support_restricted").exists()


def test_an_expired_track_that_is_not_security_critical_keeps_the_tickets(
    test_clock: Any,
    security_track: Track,
    as_dana: Any,
    as_alice: Any,
    bobs_customer: Any,
    certified_bob: Any,
) -> None:
    Track.objects.filter(pk=security_track.pk).update(security_critical=False)
    held = open_ticket(as_dana, bobs_customer)
    test_clock(T0 + 10 * DAY + timedelta(minutes=1))
    assert as_alice.get(f"/tickets/{held['id']}").body["assigned_agent_id"] == str(certified_bob.id)
    assert not Notification.objects.filter(kind="support_restricted").exists()
