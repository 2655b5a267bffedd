from datetime import timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.notifications.models import Notification
from refairn.support.models import SupportPolicy, Ticket, Unavailability
from refairn.support.tests.conftest import open_ticket
from tests.support import T0, assert_problem, set_support_access

pytestmark = pytest.mark.django_db

AWAY = {
    "starts_at": (T0 + timedelta(hours=1)).isoformat(),
    "ends_at": (T0 + timedelta(days=7)).isoformat(),
    "reason": "Travel",
}


def notice(client: Any, business: Any, **overrides: Any) -> Any:
    return client.post(f"/businesses/{business.id}/unavailability", {**AWAY, **overrides})


def policy(client: Any, business: Any, body: Any) -> Any:
    return client.put(f"/businesses/{business.id}/support-policy", body)


# Notices


def test_an_agent_gives_notice(
    as_bob: Any, as_alice: Any, business_a: Any, certified_bob: Any, alice: Any
) -> None:
    response = notice(as_bob, business_a)
    assert response.status_code == 201, response.body
    assert response.body["agent_id"] == str(certified_bob.id)
    assert response.body["starts_at"] == "2026-11-02T10:00:00Z"
    assert Notification.objects.filter(user=alice, kind="agent_unavailable").exists()
    assert len(as_alice.get(f"/businesses/{business_a.id}/unavailability").body) == 1
    assert len(as_bob.get(f"/businesses/{business_a.id}/unavailability").body) == 1


def test_agents_see_only_their_own_notices(
    as_bob: Any, as_erin: Any, business_a: Any, certified_bob: Any
) -> None:
    notice(as_bob, business_a)
    assert as_erin.get(f"/businesses/{business_a.id}/unavailability").body == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": (T0 - timedelta(days=7, minutes=1)).isoformat()}, "starts_at"),
        (
            {
                "starts_at": (T0 - timedelta(days=2)).isoformat(),
                "ends_at": (T0 - timedelta(minutes=1)).isoformat(),
            },
            "ends_at",
        ),
        ({"ends_at": (T0 + timedelta(minutes=30)).isoformat()}, "ends_at"),
        ({"ends_at": (T0 + timedelta(days=400)).isoformat()}, "ends_at"),
        ({"starts_at": "2026-11-03T09:00:00"}, "starts_at"),
        ({"ends_at": "tomorrow"}, "ends_at"),
    ],
)
def test_bad_notices_write_nothing(
    as_bob: Any, business_a: Any, overrides: dict[str, str], field: str
) -> None:
    response = notice(as_bob, business_a, **overrides)
    assert_problem(response, 422, "validation_error")
    assert field in [e["field"] for e in response.body["errors"]]
    assert not Unavailability.objects.exists()


def test_a_notice_starting_now_is_accepted(as_bob: Any, business_a: Any) -> None:
    assert notice(as_bob, business_a, starts_at=T0.isoformat()).status_code == 201


def test_illness_that_began_this_morning_takes_effect_now(
    as_bob: Any, as_dana: Any, business_a: Any, bobs_customer: Any
) -> None:
    before = open_ticket(as_dana, bobs_customer)
    assert before["assigned_agent_id"] is not None
    response = notice(as_bob, business_a, starts_at=(T0 - timedelta(hours=3)).isoformat())
    assert response.status_code == 201, response.body
    during = open_ticket(as_dana, bobs_customer)
    assert during["assigned_agent_id"] is None
    assert during["routing"]["fallback"] == "business_queue"


def test_a_notice_starting_a_week_back_is_accepted(as_bob: Any, business_a: Any) -> None:
    response = notice(as_bob, business_a, starts_at=(T0 - timedelta(days=7)).isoformat())
    assert response.status_code == 201, response.body


def test_only_agents_give_notice(
    as_alice: Any, as_dana: Any, as_charlie: Any, business_a: Any
) -> None:
    assert_problem(notice(as_alice, business_a), 403, "forbidden")
    assert_problem(notice(as_dana, business_a), 403, "forbidden")
    assert_problem(notice(as_charlie, business_a), 404, "not_found")
    assert_problem(as_dana.get(f"/businesses/{business_a.id}/unavailability"), 403, "forbidden")
    assert not Unavailability.objects.exists()


# Policy and its effect on routing


def test_policy_defaults_to_pause_intake(as_alice: Any, business_a: Any) -> None:
    body = as_alice.get(f"/businesses/{business_a.id}/support-policy").body
    assert body == {"unavailability_policy": "pause_intake", "reassign_to": None}


def test_pause_intake_sends_the_away_agents_new_tickets_to_the_queue(
    as_bob: Any, as_dana: Any, business_a: Any, bobs_customer: Any
) -> None:
    notice(as_bob, business_a)
    before = open_ticket(as_dana, bobs_customer)
    assert before["assigned_agent_id"] is not None  # the notice starts in an hour
    with clock.frozen(T0 + timedelta(hours=2)):
        during = open_ticket(as_dana, bobs_customer)
    assert during["assigned_agent_id"] is None
    assert during["routing"]["fallback"] == "business_queue"
    with clock.frozen(T0 + timedelta(days=8)):
        after = open_ticket(as_dana, bobs_customer)
    assert after["assigned_agent_id"] == before["assigned_agent_id"]


def test_reassign_sends_new_tickets_to_the_stand_in(
    as_alice: Any, as_bob: Any, as_dana: Any, business_a: Any, bobs_customer: Any, erin: Any
) -> None:
    response = policy(
        as_alice, business_a, {"unavailability_policy": "reassign", "reassign_to": str(erin.id)}
    )
    assert response.status_code == 200, response.body
    assert response.body == {"unavailability_policy": "reassign", "reassign_to": str(erin.id)}
    notice(as_bob, business_a)
    with clock.frozen(T0 + timedelta(hours=2)):
        ticket = open_ticket(as_dana, bobs_customer)
    assert ticket["assigned_agent_id"] == str(erin.id)
    assert ticket["routing"] == {"rule": None, "pool_size": 1, "fallback": None, "reason": None}
    assert Ticket.objects.get(pk=ticket["id"]).routing["reason"] == (
        "no rule matched; any eligible agent: the stand-in for the customer's "
        "unavailable agent (reassign policy), from a pool of 1"
    )


def test_an_ineligible_stand_in_leaves_tickets_in_the_queue(
    as_alice: Any, as_bob: Any, as_dana: Any, business_a: Any, bobs_customer: Any, erin: Any
) -> None:
    policy(as_alice, business_a, {"unavailability_policy": "reassign", "reassign_to": str(erin.id)})
    set_support_access(erin, "suspended", business=business_a)
    notice(as_bob, business_a)
    with clock.frozen(T0 + timedelta(hours=2)):
        assert open_ticket(as_dana, bobs_customer)["assigned_agent_id"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"unavailability_policy": "reassign"},
        {"unavailability_policy": "pause_intake", "reassign_to": "erin"},
        {"unavailability_policy": "ignore"},
        {
            "unavailability_policy": "reassign",
            "reassign_to": "00000000-0000-0000-0000-000000000000",
        },
    ],
)
def test_bad_policies_write_nothing(
    as_alice: Any, business_a: Any, erin: Any, body: dict[str, Any]
) -> None:
    if body.get("reassign_to") == "erin":
        body = {**body, "reassign_to": str(erin.id)}
    response = policy(as_alice, business_a, body)
    assert response.status_code == 422, response.body
    assert not SupportPolicy.objects.exists()


def test_only_owners_and_managers_set_the_policy(
    as_reviewer: Any, as_bob: Any, as_charlie: Any, business_a: Any
) -> None:
    body = {"unavailability_policy": "pause_intake"}
    assert_problem(policy(as_reviewer, business_a, body), 403, "forbidden")
    assert_problem(policy(as_bob, business_a, body), 403, "forbidden")
    assert_problem(as_bob.get(f"/businesses/{business_a.id}/support-policy"), 403, "forbidden")
    assert_problem(policy(as_charlie, business_a, body), 404, "not_found")
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/support-policy"), 404, "not_found")
    assert not SupportPolicy.objects.exists()
