from datetime import timedelta
from typing import Any

import pytest

from refairn.certification.models import Certification
from refairn.core import clock
from refairn.support.models import Assignment, SupportPolicy, Unavailability
from refairn.support.tests.conftest import approved_agent, certify
from tests.support import T0, api_as, assert_problem, set_support_access

pytestmark = pytest.mark.django_db


def put(client: Any, customer: Any, agent: Any) -> Any:
    return client.put(f"/customers/{customer.id}/assignment", {"agent_id": str(agent.id)})


def test_owner_assigns_a_certified_agent(
    as_alice: Any, northwind: Any, certified_bob: Any, alice: Any
) -> None:
    response = put(as_alice, northwind, certified_bob)
    assert response.status_code == 200, response.body
    body = response.body
    assert body["customer_id"] == str(northwind.id)
    assert body["agent_id"] == str(certified_bob.id)
    assert body["started_at"] == "2026-11-02T09:00:00Z"
    assert body["started_by"] == str(alice.id)
    assert body["ended_at"] is None
    assert Assignment.objects.get().agent_id == certified_bob.id


def test_assigning_the_same_agent_again_changes_nothing(
    as_alice: Any, northwind: Any, certified_bob: Any
) -> None:
    first = put(as_alice, northwind, certified_bob).body
    assert put(as_alice, northwind, certified_bob).body["id"] == first["id"]
    assert Assignment.objects.count() == 1


def test_reassigning_ends_the_previous_assignment(
    as_alice: Any, northwind: Any, certified_bob: Any, erin: Any
) -> None:
    put(as_alice, northwind, certified_bob)
    with clock.frozen(T0 + timedelta(days=3)):
        assert put(as_alice, northwind, erin).status_code == 200
    history = as_alice.get(f"/customers/{northwind.id}/assignments").body
    assert [(h["agent_id"], h["end_reason"]) for h in history] == [
        (str(certified_bob.id), "reassigned"),
        (str(erin.id), ""),
    ]
    assert history[0]["ended_at"] == "2026-11-05T09:00:00Z"


def test_unassign_ends_the_assignment(as_alice: Any, northwind: Any, certified_bob: Any) -> None:
    put(as_alice, northwind, certified_bob)
    response = as_alice.delete(f"/customers/{northwind.id}/assignment")
    assert response.status_code == 204
    assert Assignment.objects.get().end_reason == "unassigned"
    assert_problem(as_alice.delete(f"/customers/{northwind.id}/assignment"), 409, "not_assigned")


def _refused(as_alice: Any, customer: Any, agent: Any, reason: str, words: str) -> None:
    response = put(as_alice, customer, agent)
    assert_problem(response, 409, "agent_not_eligible")
    assert reason in response.body["reasons"]
    assert words in response.body["detail"]
    assert not Assignment.objects.exists()


def test_an_uncertified_agent_is_not_eligible(
    as_alice: Any, northwind: Any, bob: Any, business_a: Any
) -> None:
    set_support_access(bob, "active")
    certify(business_a, approved_agent(business_a, "zed@a.test", "Zed"))  # a support track exists
    _refused(as_alice, northwind, bob, "not_certified", "not certified")


def test_an_expired_agent_is_not_eligible(
    as_alice: Any, northwind: Any, certified_bob: Any
) -> None:
    Certification.objects.filter(agent=certified_bob).update(expires_at=T0 - timedelta(days=1))
    _refused(as_alice, northwind, certified_bob, "certification_expired", "expired")


@pytest.mark.parametrize(("access", "words"), [("suspended", "suspended"), ("removed", "removed")])
def test_a_suspended_or_removed_agent_is_not_eligible(
    as_alice: Any, northwind: Any, certified_bob: Any, access: str, words: str
) -> None:
    set_support_access(certified_bob, access)
    _refused(as_alice, northwind, certified_bob, f"support_access_{access}", words)


def test_an_unavailable_agent_is_not_eligible_under_pause_intake(
    as_alice: Any, northwind: Any, certified_bob: Any, business_a: Any
) -> None:
    Unavailability.objects.create(
        business=business_a,
        agent=certified_bob,
        starts_at=T0 - timedelta(hours=1),
        ends_at=T0 + timedelta(days=2),
    )
    _refused(as_alice, northwind, certified_bob, "unavailable", "unavailable")


def test_an_unavailable_agent_may_take_customers_under_the_reassign_policy(
    as_alice: Any, northwind: Any, certified_bob: Any, erin: Any, business_a: Any
) -> None:
    SupportPolicy.objects.create(
        business=business_a, unavailability_policy="reassign", reassign_to=erin
    )
    Unavailability.objects.create(
        business=business_a,
        agent=certified_bob,
        starts_at=T0 - timedelta(hours=1),
        ends_at=T0 + timedelta(days=2),
    )
    assert put(as_alice, northwind, certified_bob).status_code == 200


def test_a_cancelled_customer_cannot_be_assigned(
    as_alice: Any, northwind: Any, certified_bob: Any
) -> None:
    northwind.cancelled_at = T0
    northwind.save(update_fields=["cancelled_at"])
    assert_problem(put(as_alice, northwind, certified_bob), 409, "customer_cancelled")


@pytest.mark.parametrize(
    "body",
    [{}, {"agent_id": "not-a-uuid"}, {"agent_id": "00000000-0000-0000-0000-000000000000"}],
)
def test_bad_input_writes_nothing(as_alice: Any, northwind: Any, body: dict[str, Any]) -> None:
    response = as_alice.put(f"/customers/{northwind.id}/assignment", body)
    assert response.status_code == 422
    assert response.body["code"] in {"validation_error", "unknown_agent"}
    assert not Assignment.objects.exists()


def test_an_agent_of_another_business_is_unknown(
    as_alice: Any, northwind: Any, charlie: Any, business_b: Any
) -> None:
    assert_problem(put(as_alice, northwind, charlie), 422, "unknown_agent")


def test_reviewers_cannot_assign_and_agents_cannot_see_customers(
    as_reviewer: Any, as_bob: Any, northwind: Any, certified_bob: Any
) -> None:
    assert_problem(put(as_reviewer, northwind, certified_bob), 403, "forbidden")
    assert_problem(as_reviewer.delete(f"/customers/{northwind.id}/assignment"), 403, "forbidden")
    assert_problem(put(as_bob, northwind, certified_bob), 404, "not_found")
    assert not Assignment.objects.exists()


def test_history_is_for_staff(
    as_reviewer: Any, as_dana: Any, northwind: Any, bobs_customer: Any
) -> None:
    assert len(as_reviewer.get(f"/customers/{northwind.id}/assignments").body) == 1
    assert_problem(as_dana.get(f"/customers/{northwind.id}/assignments"), 403, "forbidden")


def test_other_tenant_gets_404(as_charlie: Any, northwind: Any, certified_bob: Any) -> None:
    assert_problem(put(as_charlie, northwind, certified_bob), 404, "not_found")
    assert_problem(as_charlie.delete(f"/customers/{northwind.id}/assignment"), 404, "not_found")
    assert_problem(as_charlie.get(f"/customers/{northwind.id}/assignments"), 404, "not_found")
    assert not Assignment.objects.exists()


def test_the_assigned_agent_is_told(as_alice: Any, northwind: Any, certified_bob: Any) -> None:
    put(as_alice, northwind, certified_bob)
    kinds = [n["kind"] for n in api_as(certified_bob).get("/me/notifications").body]
    assert "customer_assigned" in kinds
