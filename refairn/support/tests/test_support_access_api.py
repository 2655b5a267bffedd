from typing import Any

import pytest
from django.apps import apps
from django.forms.models import model_to_dict

from refairn.certification.models import Certification
from refairn.programs.models import Agent, Customer
from refairn.support.models import Assignment, SupportAccessEvent, Ticket
from refairn.support.tests.conftest import assign, new_customer, open_ticket
from tests.support import assert_problem, support_access_of

pytestmark = pytest.mark.django_db


def change(client: Any, business: Any, agent: Any, action: str, reason: str = "SLA misses") -> Any:
    return client.post(
        f"/businesses/{business.id}/agents/{agent.id}/support-access",
        {"action": action, "reason": reason},
    )


def access(business: Any, agent: Any) -> str:
    return support_access_of(agent, business=business)


def test_suspend_keeps_assignments_and_reinstate_resumes_them(
    as_alice: Any, business_a: Any, certified_bob: Any, bobs_customer: Any, alice: Any
) -> None:
    response = change(as_alice, business_a, certified_bob, "suspend")
    assert response.status_code == 200, response.body
    assert response.body == {"agent_id": str(certified_bob.id), "support_access": "suspended"}
    open_ = Assignment.objects.get(customer=bobs_customer)
    assert open_.ended_at is None

    assert change(as_alice, business_a, certified_bob, "reinstate", "").body["support_access"] == (
        "active"
    )
    assert Assignment.objects.get(customer=bobs_customer).ended_at is None
    events = list(SupportAccessEvent.objects.values_list("event", "from_status", "to_status"))
    assert events == [("suspend", "active", "suspended"), ("reinstate", "suspended", "active")]
    assert SupportAccessEvent.objects.filter(by=alice, reason="SLA misses").count() == 1


def test_suspended_agent_gets_no_new_tickets_and_open_ones_return_to_the_queue(
    as_alice: Any, business_a: Any, certified_bob: Any, bobs_customer: Any, as_dana: Any
) -> None:
    before = open_ticket(as_dana, bobs_customer)
    assert before["assigned_agent_id"] == str(certified_bob.id)
    change(as_alice, business_a, certified_bob, "suspend")
    assert Ticket.objects.get(pk=before["id"]).assigned_agent_id is None
    after = open_ticket(as_dana, bobs_customer)
    assert after["assigned_agent_id"] is None
    assert after["routing"]["fallback"] == "business_queue"


def test_remove_ends_every_assignment_with_the_reason(
    as_alice: Any, business_a: Any, certified_bob: Any, bobs_customer: Any, alice: Any
) -> None:
    other = new_customer(business_a, "Contoso")
    assign(other, certified_bob)
    response = change(as_alice, business_a, certified_bob, "remove", "conduct")
    assert response.body["support_access"] == "removed"
    ended = Assignment.objects.filter(agent=certified_bob)
    assert ended.count() == 2
    assert all(a.ended_at is not None for a in ended)
    assert {a.end_reason for a in ended} == {"support access removed: conduct"}
    assert {a.ended_by_id for a in ended} == {alice.id}


def _referral_records(business: Any) -> dict[str, Any]:
    records: dict[str, Any] = {
        "customers": [
            model_to_dict(c) for c in Customer.objects.filter(business=business).order_by("id")
        ]
    }
    if apps.is_installed("refairn.commissions"):
        for model in apps.get_app_config("commissions").get_models():
            records[model.__name__] = [
                model_to_dict(row)
                for row in model.objects.order_by("pk")  # type: ignore[attr-defined]
            ]
    return records


def test_support_removal_leaves_every_referral_record_untouched(
    as_alice: Any, business_a: Any, certified_bob: Any
) -> None:
    referred = new_customer(business_a, "Referred Co", referred_by=certified_bob)
    assign(referred, certified_bob)
    before = _referral_records(business_a)

    change(as_alice, business_a, certified_bob, "remove", "SLA")

    assert _referral_records(business_a) == before
    assert Customer.objects.get(pk=referred.pk).referred_by_id == certified_bob.id
    assert Agent.objects.get(business=business_a, user=certified_bob).status == "approved"


def test_reapprove_restores_a_removed_agent_who_is_still_certified(
    as_alice: Any, business_a: Any, certified_bob: Any
) -> None:
    change(as_alice, business_a, certified_bob, "remove")
    response = change(as_alice, business_a, certified_bob, "reapprove", "resolved")
    assert response.body["support_access"] == "active"


def test_reapprove_refuses_an_agent_no_longer_certified(
    as_alice: Any, business_a: Any, certified_bob: Any
) -> None:
    change(as_alice, business_a, certified_bob, "remove")
    Certification.objects.filter(agent=certified_bob).update(status="revoked")
    response = change(as_alice, business_a, certified_bob, "reapprove", "resolved")
    assert_problem(response, 409, "agent_not_eligible")
    assert "revoked" in response.body["detail"]
    assert response.body["reasons"] == ["certification_revoked"]
    assert access(business_a, certified_bob) == "removed"


def test_illegal_change_is_a_conflict_and_writes_nothing(
    as_alice: Any, business_a: Any, certified_bob: Any
) -> None:
    assert_problem(
        change(as_alice, business_a, certified_bob, "reinstate"), 409, "invalid_transition"
    )
    assert not SupportAccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "fire", "reason": "x"}, "action"),
        ({"action": "suspend", "reason": "   "}, "reason"),
        ({"action": "remove", "reason": ""}, "reason"),
        ({"action": "suspend", "reason": "x", "extra": 1}, "extra"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    as_alice: Any, business_a: Any, certified_bob: Any, body: dict[str, Any], field: str
) -> None:
    response = as_alice.post(
        f"/businesses/{business_a.id}/agents/{certified_bob.id}/support-access", body
    )
    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]]
    assert access(business_a, certified_bob) == "active"
    assert not SupportAccessEvent.objects.exists()


def test_agents_and_reviewers_cannot_change_support_access(
    as_bob: Any, as_reviewer: Any, business_a: Any, certified_bob: Any
) -> None:
    assert_problem(change(as_bob, business_a, certified_bob, "suspend"), 403, "forbidden")
    assert_problem(change(as_reviewer, business_a, certified_bob, "suspend"), 403, "forbidden")
    assert access(business_a, certified_bob) == "active"


def test_other_tenant_gets_404(as_charlie: Any, business_a: Any, certified_bob: Any) -> None:
    assert_problem(change(as_charlie, business_a, certified_bob, "suspend"), 404, "not_found")
    assert access(business_a, certified_bob) == "active"


def test_unknown_agent_is_404(as_alice: Any, business_a: Any, charlie: Any) -> None:
    assert_problem(change(as_alice, business_a, charlie, "suspend"), 404, "not_found")
