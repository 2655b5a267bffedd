from typing import Any

import pytest

from refairn.notifications.models import Notification
from refairn.programs.models import Agent, StaffMembership
from tests.support import api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(business_a: Any) -> Any:
    return make_user("dana@x.test", "Dana Applicant")


def test_any_user_applies_and_admins_are_told(dana: Any, business_a: Any, alice: Any) -> None:
    response = api_as(dana).post(f"/businesses/{business_a.id}/agents")
    assert response.status_code == 201
    assert response.body == {"agent_id": str(dana.id), "status": "pending"}
    notice = Notification.objects.get(user=alice)
    assert notice.kind == "agent_applied"
    assert "Dana Applicant" in notice.text


def test_applying_twice_is_409(dana: Any, business_a: Any) -> None:
    client = api_as(dana)
    client.post(f"/businesses/{business_a.id}/agents")
    assert_problem(client.post(f"/businesses/{business_a.id}/agents"), 409, "already_applied")
    assert Agent.objects.filter(user=dana).count() == 1


def test_applying_to_an_unknown_business_is_404(dana: Any) -> None:
    response = api_as(dana).post("/businesses/00000000-0000-0000-0000-000000000001/agents")
    assert_problem(response, 404, "not_found")


def test_applying_needs_a_token(anon: Any, business_a: Any) -> None:
    assert_problem(anon.post(f"/businesses/{business_a.id}/agents"), 401, "not_authenticated")


def test_an_applicant_sees_the_business_but_holds_no_role(dana: Any, business_a: Any) -> None:
    client = api_as(dana)
    client.post(f"/businesses/{business_a.id}/agents")
    assert client.get(f"/businesses/{business_a.id}").status_code == 200
    assert_problem(client.get(f"/businesses/{business_a.id}/agents"), 403, "forbidden")


def test_owner_approves_and_the_agent_is_told(as_alice: Any, dana: Any, business_a: Any) -> None:
    api_as(dana).post(f"/businesses/{business_a.id}/agents")
    response = as_alice.post(f"/businesses/{business_a.id}/agents/{dana.id}/approve")
    assert response.body == {"agent_id": str(dana.id), "status": "approved"}
    agent = Agent.objects.get(user=dana)
    assert agent.decided_by_id == as_alice.user.id
    assert Notification.objects.get(user=dana).kind == "application_approved"


def test_approving_twice_is_409(as_alice: Any, dana: Any, business_a: Any) -> None:
    api_as(dana).post(f"/businesses/{business_a.id}/agents")
    as_alice.post(f"/businesses/{business_a.id}/agents/{dana.id}/approve")
    response = as_alice.post(f"/businesses/{business_a.id}/agents/{dana.id}/approve")
    assert_problem(response, 409, "invalid_transition")


def test_reject_needs_a_reason(as_alice: Any, dana: Any, business_a: Any) -> None:
    api_as(dana).post(f"/businesses/{business_a.id}/agents")
    response = as_alice.post(f"/businesses/{business_a.id}/agents/{dana.id}/reject", {"reason": ""})
    assert_problem(response, 422, "validation_error")
    assert Agent.objects.get(user=dana).status == "pending"
    ok = as_alice.post(
        f"/businesses/{business_a.id}/agents/{dana.id}/reject", {"reason": "Duplicate account"}
    )
    assert ok.body["status"] == "rejected"


@pytest.mark.parametrize("role", ["reviewer", "security"])
def test_only_owners_and_managers_approve(business_a: Any, dana: Any, role: str) -> None:
    api_as(dana).post(f"/businesses/{business_a.id}/agents")
    staff = make_user(f"{role}@a.test")
    StaffMembership.objects.create(business=business_a, user=staff, role=role)
    response = api_as(staff).post(f"/businesses/{business_a.id}/agents/{dana.id}/approve")
    assert_problem(response, 403, "forbidden")
    assert Agent.objects.get(user=dana).status == "pending"


def test_agents_cannot_approve_themselves(as_bob: Any, bob: Any, business_a: Any) -> None:
    response = as_bob.post(f"/businesses/{business_a.id}/agents/{bob.id}/approve")
    assert_problem(response, 403, "forbidden")


def test_other_tenant_cannot_approve(as_charlie: Any, dana: Any, business_a: Any) -> None:
    api_as(dana).post(f"/businesses/{business_a.id}/agents")
    response = as_charlie.post(f"/businesses/{business_a.id}/agents/{dana.id}/approve")
    assert_problem(response, 404, "not_found")
    assert Agent.objects.get(user=dana).status == "pending"


def test_approving_an_unknown_agent_is_404(as_alice: Any, business_a: Any) -> None:
    response = as_alice.post(f"/businesses/{business_a.id}/agents/{business_a.id}/approve")
    assert_problem(response, 404, "not_found")


def test_approve_needs_a_token(anon: Any, bob: Any, business_a: Any) -> None:
    response = anon.post(f"/businesses/{business_a.id}/agents/{bob.id}/approve")
    assert_problem(response, 401, "not_authenticated")


def test_staff_list_agents(as_alice: Any, bob: Any, business_a: Any) -> None:
    rows = as_alice.get(f"/businesses/{business_a.id}/agents").body
    assert [(r["agent_id"], r["name"], r["status"]) for r in rows] == [
        (str(bob.id), "Bob Agent", "approved")
    ]
    assert rows[0]["support_access"] == "none"


def test_agents_do_not_list_agents(as_bob: Any, business_a: Any) -> None:
    assert_problem(as_bob.get(f"/businesses/{business_a.id}/agents"), 403, "forbidden")


def test_other_tenant_cannot_list_agents(as_charlie: Any, business_a: Any) -> None:
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/agents"), 404, "not_found")


def test_listing_agents_needs_a_token(anon: Any, business_a: Any) -> None:
    assert_problem(anon.get(f"/businesses/{business_a.id}/agents"), 401, "not_authenticated")
