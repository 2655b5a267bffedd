"""The business's agent pages: the status matrix, applications, and one agent (support access,
warnings, performance reviews) (PRODUCT.md §5–§6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from refairn.accounts.models import User
from refairn.certification.tests.journeys import certify, make_track
from refairn.core import clock
from refairn.programs.models import Agent, Business
from refairn.support.models import AgentWarning, PerformanceReview, SupportAccessEvent
from refairn.training.models import Track
from tests.support import make_user, set_support_access, support_access_of

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(alice: User, business_a: Business) -> Client:
    return client_for(alice)


def agent_url(business: Business, agent: User, rest: str = "") -> str:
    return f"/b/{business.id}/agents/{agent.id}/{rest}"


@pytest.fixture
def track(business_a: Business, alice: User) -> Track:
    return make_track(business_a, alice)


@pytest.fixture
def applicant(business_a: Business) -> User:
    user = make_user("pat@a.test", "Pat Pending")
    Agent.objects.create(business=business_a, user=user)
    return user


# -- the status matrix -----------------------------------------------------------------------


def test_the_matrix_marks_certified_tracks(
    owner: Client, alice: User, bob: User, track: Track
) -> None:
    second = make_track(track.business, alice, name="Security")
    certify(track, bob, alice)
    response = owner.get(f"/b/{track.business_id}/agents/")
    assert response.status_code == 200
    [row] = response.context["approved"]
    assert [(c["track_id"], c["certified"]) for c in row["cells"]] == [
        (track.id, True),
        (second.id, False),
    ]
    assert row["level_label"] == "Strong"
    body = response.content.decode()
    assert "✓" in body and "✗" in body and "Bob Agent" in body
    # Issue 12 item 11: on a phone the track columns hide; the agent's link, level and
    # support access stay.
    assert body.count('class="track col-optional"') == 2
    assert body.count('<td class="cell col-optional') == 2
    assert '<th scope="col">Level</th><th scope="col">Support access</th>' in body


def test_agents_and_other_tenants_cannot_see_the_matrix(
    bob: User, charlie: User, business_a: Business, business_b: Business
) -> None:
    assert client_for(bob).get(f"/b/{business_a.id}/agents/").status_code == 403
    assert client_for(charlie).get(f"/b/{business_a.id}/agents/").status_code == 404


def test_approving_an_application(owner: Client, applicant: User, business_a: Business) -> None:
    prefix = f"a-{applicant.id}"
    response = owner.post(
        agent_url(business_a, applicant, "application/"), {f"{prefix}-decision": "approve"}
    )
    assert response.status_code == 302
    assert Agent.objects.get(user=applicant).status == "approved"


def test_rejecting_needs_a_reason(owner: Client, applicant: User, business_a: Business) -> None:
    prefix = f"a-{applicant.id}"
    response = owner.post(
        agent_url(business_a, applicant, "application/"), {f"{prefix}-decision": "reject"}
    )
    assert response.status_code == 422
    [row] = response.context["pending"]
    assert "reason is required" in row["form"].errors["reason"][0]
    assert Agent.objects.get(user=applicant).status == "pending"


def test_a_reviewer_may_not_decide_applications(
    reviewer: User, applicant: User, business_a: Business
) -> None:
    prefix = f"a-{applicant.id}"
    response = client_for(reviewer).post(
        agent_url(business_a, applicant, "application/"), {f"{prefix}-decision": "approve"}
    )
    assert response.status_code == 403
    assert Agent.objects.get(user=applicant).status == "pending"


# -- one agent -----------------------------------------------------------------------------


def activate_support(business: Business, agent: User) -> None:
    set_support_access(agent, "active", business=business)


def test_the_agent_page_shows_certifications_and_access(
    owner: Client, alice: User, bob: User, track: Track
) -> None:
    certify(track, bob, alice)
    response = owner.get(agent_url(track.business, bob))
    assert response.status_code == 200
    assert response.context["certifications"][0]["certified"] is True
    assert "Fundamentals" in response.content.decode()


def test_an_agent_of_another_business_is_not_found(
    owner: Client, business_a: Business, charlie: User, business_b: Business
) -> None:
    outsider = make_user("olga@b.test")
    Agent.objects.create(business=business_b, user=outsider, status="approved")
    assert owner.get(agent_url(business_a, outsider)).status_code == 404


def test_suspending_support_access_needs_a_reason(
    owner: Client, bob: User, business_a: Business
) -> None:
    activate_support(business_a, bob)
    url = agent_url(business_a, bob, "support-access/")
    response = owner.post(url, {"action": "suspend", "reason": " "})
    assert response.status_code == 422
    assert "reason is required" in response.context["access_form"].errors["reason"][0]
    assert support_access_of(bob) == "active"
    assert not SupportAccessEvent.objects.exists()


def test_suspending_and_reinstating(owner: Client, bob: User, business_a: Business) -> None:
    activate_support(business_a, bob)
    url = agent_url(business_a, bob, "support-access/")
    assert owner.post(url, {"action": "suspend", "reason": "Too many overdue"}).status_code == 302
    assert support_access_of(bob) == "suspended"
    page = owner.get(agent_url(business_a, bob))
    assert page.context["access_actions"] == ["reinstate", "remove"]
    assert "Too many overdue" in page.content.decode()
    owner.post(url, {"action": "reinstate", "reason": ""})
    assert support_access_of(bob) == "active"


def test_an_action_the_state_does_not_allow_is_a_form_error(
    owner: Client, bob: User, business_a: Business
) -> None:
    response = owner.post(
        agent_url(business_a, bob, "support-access/"), {"action": "suspend", "reason": "x"}
    )
    assert response.status_code == 422  # "none" offers no action at all
    assert "action" in response.context["access_form"].errors
    assert support_access_of(bob) == "none"


def test_a_reviewer_may_not_change_support_access(
    reviewer: User, bob: User, business_a: Business
) -> None:
    activate_support(business_a, bob)
    response = client_for(reviewer).post(
        agent_url(business_a, bob, "support-access/"), {"action": "suspend", "reason": "x"}
    )
    assert response.status_code == 403
    assert support_access_of(bob) == "active"


def test_sending_a_warning(owner: Client, bob: User, business_a: Business) -> None:
    url = agent_url(business_a, bob, "warnings/")
    assert owner.post(url, {"message": "Answer faster, please."}).status_code == 302
    assert AgentWarning.objects.get(agent=bob).message == "Answer faster, please."
    response = owner.post(url, {"message": ""})
    assert response.status_code == 422
    assert AgentWarning.objects.count() == 1


def test_deciding_a_performance_review(owner: Client, bob: User, business_a: Business) -> None:
    activate_support(business_a, bob)
    review = PerformanceReview.objects.create(
        business=business_a, agent=bob, opened_at=clock.now(), trigger="5 overdue flags"
    )
    url = agent_url(business_a, bob, f"reviews/{review.id}/decide/")
    prefix = f"r-{review.id}"
    response = owner.post(url, {f"{prefix}-outcome": "remove_support", f"{prefix}-reason": ""})
    assert response.status_code == 422
    review.refresh_from_db()
    assert review.status == "open"
    owner.post(url, {f"{prefix}-outcome": "keep", f"{prefix}-reason": "Improving."})
    review.refresh_from_db()
    assert review.status == "kept"


def test_the_matrix_costs_the_same_queries_for_more_agents(
    owner: Client,
    alice: User,
    business_a: Business,
    track: Track,
    django_assert_max_num_queries: Any,
) -> None:
    def add_agents(first: int, count: int) -> None:
        for n in range(first, first + count):
            user = make_user(f"agent{n}@a.test")
            Agent.objects.create(business=business_a, user=user, status="approved")
            certify(track, user, alice)

    add_agents(0, 2)
    with CaptureQueriesContext(connection) as few:
        owner.get(f"/b/{business_a.id}/agents/")
    add_agents(2, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = owner.get(f"/b/{business_a.id}/agents/")
    assert len(response.context["approved"]) == 8
