"""Routing fixtures on top of the shared ones (alice owns A, bob is an approved agent of A,
charlie owns B).

Business A gets the ``support-standard`` tracks through the API, with Product Fundamentals as
its only support track: every Certified Support Agent holds Fundamentals, and the other tracks
are the specialisations the seed's rules route on. Agents are certified directly in the
database; the certification journey is certification's to test.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.certification.models import Certification
from refairn.core import clock
from refairn.programs.models import Agent, Business, Customer
from refairn.routing.models import RoutingDecision
from refairn.support.models import Ticket, Unavailability
from refairn.support.tests.conftest import assign, new_customer, staff
from tests.support import ApiClient, api_as, make_user, set_support_access

# Short names for the template's tracks.
TRACKS = {
    "fund": "Product Fundamentals",
    "adv": "Advanced Troubleshooting",
    "bill": "Billing & Accounts",
    "sec": "Security & Compliance",
    "cs": "Customer Success",
    "deesc": "De-escalation & Conflict Resolution",
}


class Program:
    """Business A with the ``support-standard`` tracks, and helpers to staff it."""

    def __init__(self, business: Business, track_ids: dict[str, str]) -> None:
        self.business = business
        self.track_ids = track_ids
        self._emails = 0

    def agent(
        self, *tracks: str, name: str = "", eligible: bool = True, user: User | None = None
    ) -> User:
        """An approved agent certified (unexpired) in ``tracks`` (short names); ``eligible``
        False suspends their support access."""
        if user is None:
            self._emails += 1
            user = make_user(f"agent{self._emails}@a.test", name or f"Agent {self._emails}")
            Agent.objects.create(business=self.business, user=user, status="approved")
        for short in tracks:
            Certification.objects.create(
                business=self.business,
                track_id=self.track_ids[short],
                agent=user,
                status="certified",
                certified_at=clock.now() - timedelta(days=10),
                expires_at=clock.now() + timedelta(days=120),
            )
        set_support_access(user, "active" if eligible else "suspended", business=self.business)
        return user

    def customer(self, *, tier: str = "standard", agent: User | None = None) -> Customer:
        customer = new_customer(
            self.business, f"Customer {Customer.objects.count() + 1}", tier=tier
        )
        if agent is not None:
            assign(customer, agent)
        return customer

    def away(self, agent: User) -> None:
        Unavailability.objects.create(
            business=self.business,
            agent=agent,
            starts_at=clock.now() - timedelta(hours=1),
            ends_at=clock.now() + timedelta(days=3),
        )

    def busy(self, agent: User, *, tickets: int = 1, routed_ago: timedelta | None = None) -> None:
        """Give ``agent`` open tickets, the last routed to them ``routed_ago``."""
        customer = self.customer()
        for _ in range(tickets):
            at = clock.now() - (routed_ago or timedelta(hours=1))
            ticket = Ticket.objects.create(
                business=self.business,
                customer=customer,
                subject="Earlier ticket",
                body="...",
                assigned_agent=agent,
                created_at=at,
                first_response_due_at=at + timedelta(days=1),
                resolution_due_at=at + timedelta(days=3),
            )
            RoutingDecision.objects.create(
                ticket_id=ticket.id,
                subject=ticket.subject,
                business=self.business,
                rule_name=None,
                pool_size=1,
                by_certification=False,
                agent=agent,
                reason="earlier",
                at=at,
            )


@pytest.fixture
def program(as_alice: ApiClient, business_a: Business) -> Program:
    response = as_alice.post(
        f"/businesses/{business_a.id}/tracks/template", {"template": "support-standard"}
    )
    assert response.status_code == 201, response.body
    by_name = {track["name"]: track["id"] for track in response.body}
    track_ids = {short: by_name[name] for short, name in TRACKS.items()}
    response = as_alice.patch(
        f"/businesses/{business_a.id}/settings", {"support_track_ids": [track_ids["fund"]]}
    )
    assert response.status_code == 200, response.body
    business_a.refresh_from_db()
    return Program(business_a, track_ids)


@pytest.fixture
def standard_rules(as_alice: ApiClient, program: Program) -> list[dict[str, Any]]:
    response = as_alice.post(
        f"/businesses/{program.business.id}/routing-rules/template",
        {"template": "support-standard"},
    )
    assert response.status_code == 200, response.body
    return response.body


@pytest.fixture
def manager(business_a: Business) -> User:
    return staff(business_a, "mona@a.test", "manager")


@pytest.fixture
def as_manager(manager: User) -> ApiClient:
    return api_as(manager)


@pytest.fixture
def reviewer(business_a: Business) -> User:
    return staff(business_a, "rita@a.test", "reviewer")


@pytest.fixture
def as_reviewer(reviewer: User) -> ApiClient:
    return api_as(reviewer)


@pytest.fixture
def security_officer(business_a: Business) -> User:
    return staff(business_a, "sam@a.test", "security")
