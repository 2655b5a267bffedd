"""Issue 11 item 1 through the API with the test clock: an agent whose certification in a
security-critical track has expired or been revoked gets no new tickets and no new customers
until it is renewed, whatever the support tracks are; their open tickets are re-routed and the
owners and managers are told, by name.

The security-critical track here is only ``recommended`` and not a support track, so nothing
but the restriction keeps Bob from support."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Question
from refairn.certification.tests.api_journeys import pass_assessment
from refairn.notifications.models import Notification, OutboxEvent
from refairn.programs.models import Business, Customer
from refairn.routing.models import RoutingDecision
from refairn.support.tests.conftest import approved_agent, certify, new_customer, staff
from refairn.training.models import Track
from tests.support import T0, ApiClient, assert_problem

pytestmark = pytest.mark.django_db

# Approved off the 15-minute grid, so that a minute after expiry the sweep has not run yet.
APPROVED_AT = T0 + timedelta(minutes=7)
EXPIRY = APPROVED_AT + relativedelta(months=6)
NEXT_SWEEP = EXPIRY + timedelta(minutes=8)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def security_track(owner: ApiClient, business: Business) -> str:
    created = owner.post(
        f"/businesses/{business.id}/tracks",
        {
            "name": "Security & Compliance",
            "requirement": "recommended",
            "security_critical": True,
            "passing_score": 100,
            "recertification_months": 6,
            "badge": {"name": "Security Certified", "icon": "🔒"},
            "assessment": {"mode": "fixed", "question_count": 2, "time_limit_minutes": 20},
        },
    )
    assert created.status_code == 201, created.content
    for n in range(2):
        Question.objects.create(
            business_id=business.id,
            track_id=created.body["id"],
            type="multiple_choice",
            prompt=f"Phishing question {n}",
            choices=[
                {"id": "a", "text": "Right", "correct": True},
                {"id": "b", "text": "Wrong", "correct": False},
            ],
        )
    return str(created.body["id"])


class World:
    def __init__(self, business: Business, owner: ApiClient, bob: User, track_id: str) -> None:
        self.business = business
        self.owner = owner
        self.bob = bob
        self.track_id = track_id
        self.erin = certify(business, approved_agent(business, "erin@a.test", "Erin Agent"))
        self.manager = staff(business, "mona@a.test", "manager")
        # Bob's customer: routing prefers Bob for its tickets while he may take them.
        self.bobs = new_customer(business, "Northwind")
        self.assign(self.bobs, bob, expect=200)

    @property
    def certification_path(self) -> str:
        return f"/businesses/{self.business.id}/agents/{self.bob.id}/certifications/{self.track_id}"

    def assign(self, customer: Customer, agent: User, *, expect: int) -> Any:
        response = self.owner.put(
            f"/customers/{customer.id}/assignment", {"agent_id": str(agent.id)}
        )
        assert response.status_code == expect, response.body
        return response

    def ticket(self, subject: str = "Export fails") -> Any:
        response = self.owner.post(
            f"/businesses/{self.business.id}/tickets",
            {"customer_id": str(self.bobs.id), "subject": subject, "body": "Please help."},
        )
        assert response.status_code == 201, response.body
        return response.body

    def shown(self, ticket: Any) -> Any:
        return self.owner.get(f"/tickets/{ticket['id']}").body

    def certify_bob(self, as_bob: ApiClient) -> None:
        assert pass_assessment(as_bob, self.track_id)["certification_status"] == "passed"
        approved = self.owner.post(f"{self.certification_path}/approve")
        assert approved.status_code == 200, approved.content
        assert approved.body["status"] == "certified"

    def told_staff(self) -> list[Notification]:
        return list(
            Notification.objects.filter(kind="support_access_restricted").order_by("user__email")
        )


@pytest.fixture
def world(
    test_clock: Any, as_alice: ApiClient, as_bob: ApiClient, bob: User, business_a: Business
) -> World:
    track_id = security_track(as_alice, business_a)
    assert as_bob.post(f"/businesses/{business_a.id}/support-access/request").status_code == 201
    certify(business_a, bob, expires_in=timedelta(days=400))
    w = World(business_a, as_alice, bob, track_id)
    test_clock(APPROVED_AT)
    w.certify_bob(as_bob)
    return w


def test_a_minute_after_expiry_the_agent_gets_no_tickets_and_no_customers(
    test_clock: Any, world: World, alice: User
) -> None:
    test_clock(EXPIRY - timedelta(minutes=1))
    before = world.ticket("Before expiry")
    assert before["assigned_agent_id"] == str(world.bob.id)
    world.assign(new_customer(world.business, "Initech"), world.bob, expect=200)

    test_clock(EXPIRY + timedelta(minutes=1))
    after = world.ticket("After expiry")
    assert after["assigned_agent_id"] == str(world.erin.id)
    refused = world.assign(new_customer(world.business, "Globex"), world.bob, expect=409)
    assert_problem(refused, 409, "agent_not_eligible")
    assert refused.body["reasons"] == ["security_certification_lapsed"]
    assert "restricted until renewed" in refused.body["detail"]
    # His current customers stay his (PRODUCT.md §5: an expiry keeps current customers).
    history = world.owner.get(f"/customers/{world.bobs.id}/assignments").body
    assert [(row["agent_id"], row["ended_at"]) for row in history] == [(str(world.bob.id), None)]

    # The expiry sweep (every 15 minutes) re-routes what he holds and tells the staff.
    test_clock(NEXT_SWEEP)
    moved = world.shown(before)
    assert moved["assigned_agent_id"] == str(world.erin.id)
    assert moved["routing"]["reason"].startswith(
        "Bob Agent's Security & Compliance certification expired: support restricted until "
        "renewed; re-routed: "
    )
    assert RoutingDecision.objects.filter(ticket_id=before["id"]).count() == 2
    assert Notification.objects.filter(user=world.erin, kind="ticket_rerouted").count() == 1

    told = world.told_staff()
    assert [n.user for n in told] == [alice, world.manager]
    assert told[0].text == (
        "Bob Agent's Security & Compliance certification expired: no new tickets or customers "
        "until it is renewed; 1 open ticket was re-routed."
    )
    assert told[0].link == f"/b/{world.business.id}/agents/{world.bob.id}/"
    event = OutboxEvent.objects.get(type="support_access.restricted")
    data = {k: v for k, v in event.data.items() if k not in _COMMON}
    assert data == {
        "agent_name": "Bob Agent",
        "track_name": "Security & Compliance",
        "cause": "expired",
        "tickets_rerouted": 1,
        "business_name": world.business.name,
    }
    assert not UUID.search(told[0].text)


_COMMON = {"business_id", "kind", "text", "link", "url", "recipient_ids"}


def test_renewal_lifts_the_restriction(test_clock: Any, world: World, as_bob: ApiClient) -> None:
    page = Client()
    page.force_login(world.bob)
    access_page = f"/b/{world.business.id}/certification/support-access/"
    assert RESTRICTED not in page.get(access_page).content.decode()
    test_clock(EXPIRY + timedelta(days=20))
    assert world.ticket()["assigned_agent_id"] == str(world.erin.id)
    assert RESTRICTED in page.get(access_page).content.decode()

    world.certify_bob(as_bob)
    assert world.ticket()["assigned_agent_id"] == str(world.bob.id)
    world.assign(new_customer(world.business, "Globex"), world.bob, expect=200)
    assert RESTRICTED not in page.get(access_page).content.decode()


RESTRICTED = "you get no new tickets and no new customers until you renew it"


def test_revocation_restricts_at_once_and_certifying_again_lifts_it(
    test_clock: Any, world: World, as_bob: ApiClient
) -> None:
    test_clock(APPROVED_AT + timedelta(days=30))
    held = world.ticket("Held by Bob")
    assert held["assigned_agent_id"] == str(world.bob.id)

    revoked = world.owner.post(
        f"{world.certification_path}/revoke", {"reason": "Shared a customer's password"}
    )
    assert revoked.status_code == 200, revoked.content
    assert world.shown(held)["assigned_agent_id"] == str(world.erin.id)
    assert world.ticket()["assigned_agent_id"] == str(world.erin.id)
    refused = world.assign(new_customer(world.business, "Globex"), world.bob, expect=409)
    assert refused.body["reasons"] == ["security_certification_lapsed"]
    [told, _] = world.told_staff()
    assert told.text == (
        "Bob Agent's Security & Compliance certification revoked: no new tickets or customers "
        "until it is renewed; 1 open ticket was re-routed."
    )

    # Certified again (reopened by the business, then passed and approved): restriction lifted.
    reopened = world.owner.post(f"{world.certification_path}/reopen")
    assert reopened.status_code == 200, reopened.content
    world.certify_bob(as_bob)
    assert world.ticket()["assigned_agent_id"] == str(world.bob.id)


def test_an_expired_track_that_is_not_security_critical_restricts_nothing_new(
    test_clock: Any, world: World
) -> None:
    Track.objects.filter(pk=world.track_id).update(security_critical=False)
    test_clock(NEXT_SWEEP)
    assert world.ticket()["assigned_agent_id"] == str(world.bob.id)
    assert world.told_staff() == []
