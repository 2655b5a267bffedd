"""The work queue on the program home and its count in the navigation (issue 12 item 3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Attempt
from refairn.certification.models import Certification
from refairn.core.tenancy import Actor
from refairn.programs.models import Agent, Business, Customer
from refairn.programs.selectors import actor_for
from refairn.reporting.selectors.work_queue import Kind, work_queue_for, work_queue_total
from refairn.support.models import PerformanceReview, SupportAccess, Ticket
from refairn.support.tests.conftest import approved_agent, new_customer, support_track
from tests.support import T0, make_user

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ticket(customer: Customer, subject: str, **fields: Any) -> Ticket:
    due = {
        "first_response_due_at": T0 + timedelta(hours=4),
        "resolution_due_at": T0 + timedelta(hours=24),
    }
    return Ticket.objects.create(
        business_id=customer.business_id,
        customer=customer,
        subject=subject,
        body="…",
        **(due | fields),
    )


def fill_queue(business: Business, n: int = 1) -> dict[str, Any]:
    """``n`` items of every kind in ``business``."""
    track = support_track(business)
    customer = new_customer(business, f"Customer {n}")
    made: dict[str, Any] = {"tickets": []}
    for i in range(n):
        applicant = make_user(f"applicant{n}-{i}-{business.id}@x.test", f"Applicant {i}")
        Agent.objects.create(business=business, user=applicant, status="pending")
        agent = approved_agent(business, f"agent{n}-{i}-{business.id}@x.test", f"Agent {i}")
        Certification.objects.create(business=business, track=track, agent=agent, status="passed")
        Attempt.objects.create(
            business=business,
            track=track,
            agent=agent,
            state="submitted",
            cycle=1,
            number=1,
            deadline=T0,
            submitted_at=T0 - timedelta(hours=1),
            outcome="awaiting_manual_review",
        )
        SupportAccess.objects.create(business=business, agent=agent, status="requested")
        PerformanceReview.objects.create(business=business, agent=agent, opened_at=T0)
        made["tickets"] += [
            _ticket(customer, f"Nobody holds it {i}"),
            _ticket(
                customer,
                f"Late {i}",
                assigned_agent=agent,
                first_response_due_at=T0 - timedelta(hours=1),
            ),
            _ticket(
                customer,
                f"Locked out {i}",
                status="escalated",
                escalated_at=T0,
                escalation_category="account_security",
            ),
        ]
    return made


def _actor(user: User, business: Business) -> Actor:
    return actor_for(user, business.id)


def counts(user: User, business: Business) -> dict[str, int]:
    return {e.kind.value: e.count for e in work_queue_for(_actor(user, business))}


def test_an_owner_sees_every_kind_counted(alice: User, business_a: Business) -> None:
    fill_queue(business_a, n=2)
    assert counts(alice, business_a) == {
        "applications": 2,
        "approvals": 2,
        "grading": 2,
        "access_requests": 2,
        "performance_reviews": 2,
        "unassigned_tickets": 2,
        # The unassigned ticket is not late yet; the late one is, and nothing else.
        "overdue_tickets": 2,
        "escalated_tickets": 2,
        # Security escalations are the security staff's, not the owner's queue.
    }


def test_a_reviewer_sees_grading_only(reviewer: User, business_a: Business) -> None:
    fill_queue(business_a)
    assert counts(reviewer, business_a) == {"grading": 1}


def test_security_staff_see_security_escalations_only(
    security_officer: User, business_a: Business
) -> None:
    made = fill_queue(business_a)
    # A billing escalation is the business's, not security's.
    other = made["tickets"][0]
    Ticket.objects.filter(pk=other.pk).update(
        status="escalated", escalation_category="billing_dispute"
    )
    assert counts(security_officer, business_a) == {"security_escalations": 1}


def test_an_agent_has_no_queue(bob: User, business_a: Business) -> None:
    fill_queue(business_a)
    assert counts(bob, business_a) == {}


def test_another_business_never_counts(
    alice: User, business_a: Business, business_b: Business
) -> None:
    fill_queue(business_b, n=3)
    assert work_queue_total(work_queue_for(_actor(alice, business_a))) == 0


def test_a_decided_item_leaves_the_queue(alice: User, business_a: Business) -> None:
    fill_queue(business_a)
    Agent.objects.filter(business=business_a, status="pending").update(status="approved")
    Certification.objects.filter(business=business_a).update(status="certified")
    PerformanceReview.objects.filter(business=business_a).update(status="kept")
    queue = counts(alice, business_a)
    assert (queue["applications"], queue["approvals"], queue["performance_reviews"]) == (0, 0, 0)


def test_the_home_lists_the_queue_with_links_where_each_is_decided(
    alice: User, business_a: Business
) -> None:
    made = fill_queue(business_a)
    response = client_for(alice).get(f"/b/{business_a.id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="work-queue"' in page
    assert f"/b/{business_a.id}/agents/#pending-heading" in page
    assert f"/b/{business_a.id}/reviews/" in page
    assert f"/b/{business_a.id}/tickets/?overdue=yes" in page
    assert f"/tickets/{made['tickets'][0].id}/" in page  # the unassigned ticket itself
    cert = Certification.objects.get(business=business_a)
    assert f"/b/{business_a.id}/agents/{cert.agent_id}/certifications/{cert.track_id}/" in page


def test_the_queue_reads_a_fixed_number_of_queries(
    alice: User, business_a: Business, django_assert_max_num_queries: Any
) -> None:
    fill_queue(business_a, n=1)
    actor = _actor(alice, business_a)
    with django_assert_max_num_queries(11):
        work_queue_for(actor)
    fill_queue(business_a, n=8)
    with django_assert_max_num_queries(11):
        entries = work_queue_for(actor)
    assert {e.kind: len(e.items) for e in entries}[Kind.APPROVALS] == 5


def test_the_navigation_badge_counts_the_queue(alice: User, business_a: Business) -> None:
    fill_queue(business_a)
    client = client_for(alice)
    page = client.get(f"/b/{business_a.id}/").content.decode()
    badge_url = f"/b/{business_a.id}/queue/count/"
    assert f'hx-get="{badge_url}"' in page
    assert ">8</span>" in client.get(badge_url).content.decode()


def test_the_badge_is_empty_when_nothing_waits(alice: User, business_a: Business) -> None:
    response = client_for(alice).get(f"/b/{business_a.id}/queue/count/")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_badge_is_staff_only_and_tenant_scoped(
    bob: User, charlie: User, business_a: Business, business_b: Business
) -> None:
    assert client_for(bob).get(f"/b/{business_a.id}/queue/count/").status_code == 403
    assert client_for(charlie).get(f"/b/{business_a.id}/queue/count/").status_code == 404
