"""Overdue flags raised by the periodic sweep, driven through the test clock, and the warning and
review thresholds they feed (PRODUCT.md §2, §6)."""

from datetime import datetime, timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.notifications.models import Notification
from refairn.support.models import AgentWarning, OverdueFlag, PerformanceReview
from refairn.support.services import overdue_flags_raise
from refairn.support.services import sla as sla_service
from refairn.support.tests.conftest import open_ticket
from tests.support import T0, ApiClient, assert_problem

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def miss_first_response(
    move: Any, at: datetime, as_dana: ApiClient, as_bob: ApiClient, customer: Any
) -> str:
    """Open a ticket at ``at``, let its 24h first-response deadline pass (the sweep flags it),
    then resolve it before its resolution deadline: exactly one flag, dated ``at`` + 24h."""
    move(at)
    ticket = open_ticket(as_dana, customer)
    move(at + timedelta(hours=25))
    assert as_bob.post(f"/tickets/{ticket['id']}/resolve").status_code == 200
    return str(ticket["id"])


def sla(client: ApiClient, business: Any, agent: Any) -> dict[str, Any]:
    response = client.get(f"/businesses/{business.id}/agents/{agent.id}/sla")
    assert response.status_code == 200, response.body
    return response.body


def test_a_missed_first_response_is_flagged_at_the_deadline(
    test_clock: Any, as_dana: Any, as_bob: Any, bobs_customer: Any, certified_bob: Any
) -> None:
    test_clock(T0)
    ticket = open_ticket(as_dana, bobs_customer)
    test_clock(T0 + timedelta(hours=23, minutes=59))
    assert not OverdueFlag.objects.exists()
    test_clock(T0 + timedelta(hours=30))
    flag = OverdueFlag.objects.get()
    assert (flag.kind, flag.at, flag.agent_id) == (
        "first_response",
        T0 + DAY,
        certified_bob.id,
    )
    assert str(flag.ticket_id) == ticket["id"]
    assert as_dana.get(f"/tickets/{ticket['id']}").body["overdue"] is True


def test_a_ticket_counts_once_per_breach_kind(
    test_clock: Any, as_dana: Any, bobs_customer: Any
) -> None:
    open_ticket(as_dana, bobs_customer)
    test_clock(T0 + 4 * DAY)
    test_clock(T0 + 5 * DAY)
    overdue_flags_raise()
    assert sorted(OverdueFlag.objects.values_list("kind", flat=True)) == [
        "first_response",
        "resolution",
    ]


def test_third_flag_in_30_days_warns_and_fifth_opens_a_review(
    test_clock: Any,
    as_dana: Any,
    as_bob: Any,
    as_alice: Any,
    bobs_customer: Any,
    business_a: Any,
    certified_bob: Any,
    alice: Any,
) -> None:
    # Tickets two days apart: each misses its first response a day after it opens.
    for day in (0, 2):
        miss_first_response(test_clock, T0 + day * DAY, as_dana, as_bob, bobs_customer)
    assert sla(as_alice, business_a, certified_bob)["warnings"] == []

    miss_first_response(test_clock, T0 + 4 * DAY, as_dana, as_bob, bobs_customer)
    record = sla(as_alice, business_a, certified_bob)
    assert record["overdue_flags_30d"] == 3
    assert [(w["kind"], w["at"]) for w in record["warnings"]] == [
        ("automatic", "2026-11-07T09:00:00Z")
    ]
    assert Notification.objects.filter(user=certified_bob, kind="sla_warning").count() == 1

    miss_first_response(test_clock, T0 + 6 * DAY, as_dana, as_bob, bobs_customer)
    assert sla(as_alice, business_a, certified_bob)["reviews"] == []
    assert AgentWarning.objects.count() == 1  # the fourth flag does not warn again

    miss_first_response(test_clock, T0 + 8 * DAY, as_dana, as_bob, bobs_customer)
    record = sla(as_alice, business_a, certified_bob)
    assert record["overdue_flags_30d"] == 5
    assert [(r["status"], r["opened_at"]) for r in record["reviews"]] == [
        ("open", "2026-11-11T09:00:00Z")
    ]
    assert Notification.objects.filter(
        user=certified_bob, kind="performance_review_opened"
    ).exists()
    assert Notification.objects.filter(user=alice, kind="performance_review_to_decide").exists()


def test_a_flag_31_days_old_no_longer_counts(
    test_clock: Any,
    as_dana: Any,
    as_bob: Any,
    as_alice: Any,
    bobs_customer: Any,
    business_a: Any,
    certified_bob: Any,
) -> None:
    miss_first_response(test_clock, T0, as_dana, as_bob, bobs_customer)  # flag at day 1
    miss_first_response(test_clock, T0 + 4 * DAY, as_dana, as_bob, bobs_customer)  # day 5
    # Flag at day 32: the first is 31 days old by then, so only two count.
    miss_first_response(test_clock, T0 + 31 * DAY, as_dana, as_bob, bobs_customer)
    record = sla(as_alice, business_a, certified_bob)
    assert record["overdue_flags_30d"] == 2
    assert record["warnings"] == []
    # Flag at day 34: days 5, 32 and 34 are three within 30 days.
    miss_first_response(test_clock, T0 + 33 * DAY, as_dana, as_bob, bobs_customer)
    assert [w["kind"] for w in sla(as_alice, business_a, certified_bob)["warnings"]] == [
        "automatic"
    ]


def test_a_late_sweep_judges_each_flag_at_its_deadline(
    test_clock: Any, as_dana: Any, bobs_customer: Any, business_a: Any, certified_bob: Any
) -> None:
    for hour in range(3):
        test_clock(T0 + timedelta(hours=hour))
        open_ticket(as_dana, bobs_customer)
    test_clock(T0 + 10 * DAY)  # one catch-up sweep sees six missed deadlines
    flags = list(OverdueFlag.objects.values_list("kind", "at"))
    assert len(flags) == 6
    warning = AgentWarning.objects.get()
    assert warning.at == T0 + DAY + timedelta(hours=2)  # the third deadline
    review = PerformanceReview.objects.get()
    assert review.opened_at == T0 + 3 * DAY + timedelta(hours=1)  # the fifth deadline


def test_escalated_tickets_leave_the_agents_sla(
    test_clock: Any, as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    on_time = open_ticket(as_dana, bobs_customer, subject="Refund", body="money back please")
    late = open_ticket(as_dana, bobs_customer)
    test_clock(T0 + timedelta(hours=2))
    as_bob.post(f"/tickets/{on_time['id']}/escalate", {"category": "refund"})
    test_clock(T0 + timedelta(hours=26))
    as_bob.post(f"/tickets/{late['id']}/escalate", {"category": "platform_defect"})
    test_clock(T0 + 10 * DAY)
    # Escalated in time: nothing. Escalated after missing the first response: that flag only.
    flags = [(str(t), k) for t, k in OverdueFlag.objects.values_list("ticket_id", "kind")]
    assert flags == [(late["id"], "first_response")]


def test_queue_tickets_are_flagged_without_an_agent(
    test_clock: Any, as_dana: Any, northwind: Any
) -> None:
    open_ticket(as_dana, northwind)
    test_clock(T0 + 2 * DAY)
    flag = OverdueFlag.objects.get()
    assert flag.agent_id is None
    assert not AgentWarning.objects.exists()


def test_staff_filter_overdue_tickets(
    test_clock: Any, as_alice: Any, as_dana: Any, bobs_customer: Any, business_a: Any
) -> None:
    overdue = open_ticket(as_dana, bobs_customer)
    test_clock(T0 + timedelta(hours=30))
    fresh = open_ticket(as_dana, bobs_customer)
    path = f"/businesses/{business_a.id}/tickets"
    assert [t["id"] for t in as_alice.get(f"{path}?overdue=true").body] == [overdue["id"]]
    assert [t["id"] for t in as_alice.get(f"{path}?overdue=false").body] == [fresh["id"]]


# The SLA record endpoint


def test_the_agent_sees_their_own_record_but_not_another_agents(
    as_bob: Any, as_erin: Any, business_a: Any, certified_bob: Any, erin: Any
) -> None:
    assert sla(as_bob, business_a, certified_bob)["overdue_flags_30d"] == 0
    assert_problem(
        as_erin.get(f"/businesses/{business_a.id}/agents/{certified_bob.id}/sla"), 404, "not_found"
    )
    assert sla(as_erin, business_a, erin)["flags"] == []


def test_customers_cannot_read_sla_records_and_other_tenants_get_404(
    as_dana: Any, as_charlie: Any, business_a: Any, certified_bob: Any
) -> None:
    path = f"/businesses/{business_a.id}/agents/{certified_bob.id}/sla"
    assert_problem(as_dana.get(path), 403, "forbidden")
    assert_problem(as_charlie.get(path), 404, "not_found")


# Manual warnings


def warn(client: ApiClient, business: Any, agent: Any, body: Any) -> Any:
    return client.post(f"/businesses/{business.id}/agents/{agent.id}/warnings", body)


def test_the_business_warns_an_agent_by_hand(
    as_alice: Any, as_bob: Any, business_a: Any, certified_bob: Any, alice: Any
) -> None:
    response = warn(as_alice, business_a, certified_bob, {"message": "Reply faster, please."})
    assert response.status_code == 201, response.body
    assert response.body["kind"] == "manual"
    assert response.body["by"] == str(alice.id)
    assert sla(as_bob, business_a, certified_bob)["warnings"][0]["message"] == (
        "Reply faster, please."
    )
    assert Notification.objects.filter(user=certified_bob, kind="support_warning").exists()


@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": "   "}, {"message": 3}])
def test_a_warning_needs_a_message(
    as_alice: Any, business_a: Any, certified_bob: Any, body: Any
) -> None:
    assert warn(as_alice, business_a, certified_bob, body).status_code == 422
    assert not AgentWarning.objects.exists()


def test_only_owners_and_managers_warn(
    as_reviewer: Any, as_bob: Any, as_charlie: Any, business_a: Any, certified_bob: Any
) -> None:
    assert_problem(warn(as_reviewer, business_a, certified_bob, {"message": "x"}), 403, "forbidden")
    assert_problem(warn(as_bob, business_a, certified_bob, {"message": "x"}), 403, "forbidden")
    assert_problem(warn(as_charlie, business_a, certified_bob, {"message": "x"}), 404, "not_found")
    assert not AgentWarning.objects.exists()


# Review decisions


@pytest.fixture
def review(business_a: Any, certified_bob: Any) -> PerformanceReview:
    return PerformanceReview.objects.create(
        business=business_a, agent=certified_bob, opened_at=T0, trigger="5 overdue flags"
    )


def decide(client: ApiClient, business: Any, review: Any, body: Any) -> Any:
    return client.post(f"/businesses/{business.id}/performance-reviews/{review.id}/decide", body)


def test_keep_closes_the_review(
    as_alice: Any, business_a: Any, review: Any, certified_bob: Any
) -> None:
    response = decide(as_alice, business_a, review, {"outcome": "keep", "reason": "improving"})
    assert response.status_code == 200, response.body
    assert response.body["status"] == "kept"
    assert Notification.objects.filter(
        user=certified_bob, kind="performance_review_decided"
    ).exists()
    assert_problem(decide(as_alice, business_a, review, {"outcome": "keep"}), 409, "review_decided")


def test_remove_support_uses_the_removal(
    as_alice: Any, business_a: Any, review: Any, certified_bob: Any, bobs_customer: Any
) -> None:
    response = decide(
        as_alice, business_a, review, {"outcome": "remove_support", "reason": "SLA failures"}
    )
    assert response.body["status"] == "support_removed"
    assert sla(as_alice, business_a, certified_bob)["reviews"][0]["status"] == "support_removed"
    access = as_alice.get(f"/businesses/{business_a.id}/agents").body
    assert [a["support_access"] for a in access if a["agent_id"] == str(certified_bob.id)] == [
        "removed"
    ]
    assignment = bobs_customer.assignments.get()
    assert assignment.end_reason == "support access removed: SLA failures"


@pytest.mark.parametrize(
    "body", [{"outcome": "fire"}, {"outcome": "remove_support", "reason": ""}, {}]
)
def test_bad_decisions_change_nothing(
    as_alice: Any, business_a: Any, review: Any, body: Any
) -> None:
    assert decide(as_alice, business_a, review, body).status_code == 422
    review.refresh_from_db()
    assert review.status == "open"


def test_only_owners_and_managers_decide(
    as_reviewer: Any, as_bob: Any, as_charlie: Any, business_a: Any, review: Any
) -> None:
    body = {"outcome": "keep"}
    assert_problem(decide(as_reviewer, business_a, review, body), 403, "forbidden")
    assert_problem(decide(as_bob, business_a, review, body), 403, "forbidden")
    assert_problem(decide(as_charlie, business_a, review, body), 404, "not_found")
    review.refresh_from_db()
    assert review.status == "open"


def test_a_review_of_another_business_is_not_found(
    as_charlie: Any, business_b: Any, review: Any
) -> None:
    assert_problem(decide(as_charlie, business_b, review, {"outcome": "keep"}), 404, "not_found")


def test_a_ticket_reads_overdue_the_minute_after_its_deadline_before_any_sweep(
    as_dana: Any, as_bob: Any, as_alice: Any, business_a: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    path = f"/tickets/{ticket['id']}"
    listed = f"/businesses/{business_a.id}/tickets"
    workspace = f"/businesses/{business_a.id}/support/workspace"
    with clock.frozen(T0 + DAY):  # answering at the deadline itself is in time
        assert as_dana.get(path).body["overdue"] is False
        assert as_alice.get(f"{listed}?overdue=true").body == []
    with clock.frozen(T0 + DAY + timedelta(minutes=1)):
        assert as_dana.get(path).body["overdue"] is True
        assert [t["id"] for t in as_alice.get(f"{listed}?overdue=true").body] == [ticket["id"]]
        assert as_alice.get(f"{listed}?overdue=false").body == []
        body = as_bob.get(workspace).body
        assert [t["id"] for t in body["overdue_tickets"]] == [ticket["id"]]
        assert body["open_tickets"] == []
    assert not OverdueFlag.objects.exists()  # the sweep's side effects are still to come


def test_an_escalation_before_the_deadline_never_reads_overdue(
    as_dana: Any, as_bob: Any, bobs_customer: Any
) -> None:
    ticket = open_ticket(as_dana, bobs_customer)
    with clock.frozen(T0 + DAY):
        as_bob.post(f"/tickets/{ticket['id']}/escalate", {"category": "refund", "note": ""})
    with clock.frozen(T0 + 30 * DAY):
        assert as_dana.get(f"/tickets/{ticket['id']}").body["overdue"] is False


@pytest.mark.parametrize("crash", [False, True])
def test_a_sweep_killed_half_way_is_completed_by_the_next(
    monkeypatch: Any, crash: bool, as_dana: Any, bobs_customer: Any, certified_bob: Any
) -> None:
    """Issue 18 item 3: the rerun after a crash opens the warnings and reviews a clean sweep
    opens, at the same times (three tickets, six missed deadlines, as above)."""
    for hour in range(3):
        with clock.frozen(T0 + timedelta(hours=hour)):
            open_ticket(as_dana, bobs_customer)
    with clock.frozen(T0 + 10 * DAY):
        if crash:
            # Killed after raising every flag, while judging them: nothing of that commits.
            warn = sla_service._warn_automatically

            def killed(*args: Any, **kwargs: Any) -> Any:
                raise RuntimeError("worker killed")

            monkeypatch.setattr(sla_service, "_warn_automatically", killed)
            with pytest.raises(RuntimeError):
                overdue_flags_raise()
            monkeypatch.setattr(sla_service, "_warn_automatically", warn)
            assert OverdueFlag.objects.count() == 6
            assert not AgentWarning.objects.exists()
            assert not PerformanceReview.objects.exists()
        overdue_flags_raise()
        overdue_flags_raise()
    assert OverdueFlag.objects.count() == 6
    assert list(AgentWarning.objects.values_list("agent_id", "at")) == [
        (certified_bob.id, T0 + DAY + timedelta(hours=2))
    ]
    assert list(PerformanceReview.objects.values_list("agent_id", "opened_at")) == [
        (certified_bob.id, T0 + 3 * DAY + timedelta(hours=1))
    ]
    kinds = Notification.objects.filter(user=certified_bob).values_list("kind", flat=True)
    assert sorted(k for k in kinds if k != "ticket_opened") == [
        "performance_review_opened",
        "sla_warning",
    ]
