"""Support fixtures on top of the shared ones (alice owns A, bob is an approved agent of A,
charlie owns B).

Agents are made Certified Support Agents directly in the database (a required track, a
``certified`` certification that has not expired, active support access): the certification
journey is certification's to test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.certification.models import Certification
from refairn.core import clock
from refairn.programs.models import Agent, Business, Customer, StaffMembership
from refairn.support.models import Assignment
from refairn.training.models import Track
from tests.support import T0, ApiClient, api_as, make_user, set_support_access


def support_track(business: Business) -> Track:
    track, _ = Track.objects.get_or_create(
        business=business,
        name="Support Fundamentals",
        defaults={
            "requirement": "required",
            "passing_score": Decimal("80"),
            "recertification_months": 12,
            "badge_name": "Support Pro",
            "badge_icon": "star",
            "question_count": 10,
            "time_limit_minutes": 30,
        },
    )
    return track


def certify(business: Business, user: User, *, expires_in: timedelta = timedelta(days=365)) -> User:
    """Make ``user`` (an approved agent of ``business``) a Certified Support Agent."""
    track = support_track(business)
    Certification.objects.update_or_create(
        track=track,
        agent=user,
        defaults={
            "business": business,
            "status": "certified",
            "certified_at": clock.now() - timedelta(days=1),
            "expires_at": clock.now() + expires_in,
        },
    )
    set_support_access(user, "active", business=business)
    return user


def approved_agent(business: Business, email: str, name: str) -> User:
    user = make_user(email, name)
    Agent.objects.create(business=business, user=user, status="approved")
    return user


def staff(business: Business, email: str, role: str) -> User:
    user = make_user(email, email.split("@")[0].title())
    StaffMembership.objects.create(business=business, user=user, role=role)
    return user


def new_customer(
    business: Business,
    name: str,
    *,
    tier: str = "standard",
    user: User | None = None,
    referred_by: User | None = None,
    monthly_value: str = "99.00",
) -> Customer:
    return Customer.objects.create(
        business=business,
        user=user,
        name=name,
        email=user.email if user else "",
        tier=tier,
        monthly_value=Decimal(monthly_value),
        referred_by=referred_by,
        subscribed_at=clock.now() - timedelta(days=40),
    )


def assign(customer: Customer, agent: User) -> Assignment:
    return Assignment.objects.create(
        business_id=customer.business_id, customer=customer, agent=agent, started_at=clock.now()
    )


def open_ticket(client: ApiClient, customer: Customer, **overrides: Any) -> Any:
    body = {
        "customer_id": str(customer.id),
        "subject": "How do I export a report?",
        "body": "I cannot find the export button on the dashboard.",
        **overrides,
    }
    response = client.post(f"/businesses/{customer.business_id}/tickets", body)
    assert response.status_code == 201, response.body
    return response.body


@pytest.fixture
def certified_bob(bob: User, business_a: Business) -> User:
    return certify(business_a, bob)


@pytest.fixture
def erin(business_a: Business) -> User:
    """A second approved agent of A, certified."""
    return certify(business_a, approved_agent(business_a, "erin@a.test", "Erin Agent"))


@pytest.fixture
def as_erin(erin: User) -> ApiClient:
    return api_as(erin)


@pytest.fixture
def reviewer(business_a: Business) -> User:
    return staff(business_a, "rita@a.test", "reviewer")


@pytest.fixture
def as_reviewer(reviewer: User) -> ApiClient:
    return api_as(reviewer)


@pytest.fixture
def dana(db: Any) -> User:
    """A customer's portal user."""
    return make_user("dana@northwind.test", "Dana Customer")


@pytest.fixture
def northwind(business_a: Business, dana: User) -> Customer:
    return new_customer(business_a, "Northwind", user=dana)


@pytest.fixture
def as_dana(dana: User, northwind: Customer) -> ApiClient:
    return api_as(dana)


@pytest.fixture
def bobs_customer(northwind: Customer, certified_bob: User) -> Customer:
    assign(northwind, certified_bob)
    return northwind


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The stored test clock is read only when no in-process override is active."""
    token = clock._override.set(None)
    yield
    clock._override.reset(token)


@pytest.fixture
def test_clock(settings: Any, unfrozen: None, anon: ApiClient) -> Any:
    """Drive time through ``PUT /test-clock``, which runs the periodic jobs on the way."""
    settings.REFAIRN_TEST_CLOCK = True

    def move(to: Any) -> Any:
        response = anon.put("/test-clock", {"now": to.isoformat()})
        assert response.status_code == 200, response.body
        return response.body

    move(T0)
    return move
