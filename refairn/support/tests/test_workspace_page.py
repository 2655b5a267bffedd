"""The agent's support workspace and unavailability notice pages (PRODUCT.md §6)."""

import copy
from datetime import timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.support.models import (
    AgentWarning,
    OverdueFlag,
    PerformanceReview,
    Ticket,
    Unavailability,
)
from refairn.support.tests.pages import browser, text, ticket_for
from tests.support import T0

pytestmark = pytest.mark.django_db


def workspace(business: Any) -> str:
    return f"/b/{business.id}/support/"


def notice_page(business: Any) -> str:
    return f"/b/{business.id}/support/unavailability/"


@pytest.fixture
def tickets(bobs_customer: Any, dana: Any, certified_bob: Any) -> dict[str, Ticket]:
    """One ticket of each kind for bob: open, overdue (flagged) and closed."""
    fresh = ticket_for(bobs_customer, dana, subject="Where is the export button?")
    late = ticket_for(bobs_customer, dana, subject="Login page is slow")
    OverdueFlag.objects.create(
        business_id=late.business_id,
        ticket=late,
        agent=certified_bob,
        kind="first_response",
        at=late.first_response_due_at,
    )
    done = ticket_for(bobs_customer, dana, subject="Thanks for the onboarding")
    Ticket.objects.filter(pk=done.pk).update(status="closed", resolved_at=T0)
    return {"open": fresh, "overdue": late, "closed": done}


def test_the_agent_sees_customers_and_tickets_with_deadlines(
    certified_bob: Any, business_a: Any, tickets: Any, bobs_customer: Any
) -> None:
    response = browser(certified_bob).get(workspace(business_a))
    assert response.status_code == 200
    page = text(response)
    assert "Northwind" in page and "active" in page and "40 days" in page
    # Never the customer's billing (PRODUCT.md §1).
    assert "99.00" not in page
    lists = response.context["workspace"]
    assert [t["subject"] for t in lists.overdue_tickets] == ["Login page is slow"]
    assert [t["subject"] for t in lists.open_tickets] == ["Where is the export button?"]
    assert [t["subject"] for t in lists.closed_tickets] == ["Thanks for the onboarding"]
    assert lists.next_cursor is None and 'rel="next"' not in response.content.decode()
    assert 'class="overdue"' in page and "Overdue" in page
    assert "First reply by" in page and "Tue 3 Nov 2026, 09:00 UTC" in page
    assert f'href="/tickets/{tickets["open"].id}/"' in page


def test_the_sla_record_shows_flags_warnings_and_reviews(
    certified_bob: Any, business_a: Any, tickets: Any
) -> None:
    AgentWarning.objects.create(
        business=business_a, agent=certified_bob, kind="manual", message="Reply faster.", at=T0
    )
    PerformanceReview.objects.create(
        business=business_a, agent=certified_bob, opened_at=T0, trigger="5 overdue flags"
    )
    with_flag_due = tickets["overdue"].first_response_due_at + timedelta(hours=1)
    with clock.frozen(with_flag_due):
        response = browser(certified_bob).get(workspace(business_a))
    assert response.context["record"]["overdue_flags_30d"] == 1
    page = text(response)
    assert "Reply faster." in page
    assert "awaiting the business's decision" in page


def test_staff_who_are_not_agents_are_refused(alice: Any, business_a: Any) -> None:
    assert browser(alice).get(workspace(business_a)).status_code == 403


def test_another_tenant_gets_404(charlie: Any, business_a: Any, business_b: Any) -> None:
    assert browser(charlie).get(workspace(business_a)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(business_a: Any) -> None:
    response = browser(None).get(workspace(business_a))
    assert response.status_code == 302 and "/login/" in response["Location"]


# Unavailability notices


def notice(**changes: str) -> dict[str, str]:
    return {
        "starts_at": "2026-11-10T09:00",
        "ends_at": "2026-11-17T09:00",
        "reason": "Travel",
        **changes,
    }


def test_the_agent_gives_notice_of_unavailability(certified_bob: Any, business_a: Any) -> None:
    client = browser(certified_bob)
    assert client.get(notice_page(business_a)).status_code == 200
    response = client.post(notice_page(business_a), notice())
    assert response.status_code == 302
    assert response["Location"] == workspace(business_a)
    saved = Unavailability.objects.get()
    assert (saved.agent_id, saved.starts_at, saved.reason) == (
        certified_bob.id,
        T0 + timedelta(days=8),
        "Travel",
    )
    assert "Travel" in text(client.get(workspace(business_a)))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2026-11-09T09:00"}, "ends_at", "must be after starts_at"),
        ({"starts_at": "2026-10-01T09:00"}, "starts_at", "at most 7 days in the past"),
        ({"starts_at": "next week"}, "starts_at", "Enter a valid date/time."),
    ],
)
def test_a_bad_notice_is_shown_at_its_field_and_nothing_written(
    certified_bob: Any, business_a: Any, changes: Any, field: str, message: str
) -> None:
    response = browser(certified_bob).post(notice_page(business_a), notice(**changes))
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    assert not Unavailability.objects.exists()


def test_only_agents_give_notice(alice: Any, business_a: Any) -> None:
    assert browser(alice).get(notice_page(business_a)).status_code == 403
    response = browser(alice).post(notice_page(business_a), notice())
    assert response.status_code == 403
    assert not Unavailability.objects.exists()


def test_another_tenant_cannot_give_notice(charlie: Any, business_a: Any, business_b: Any) -> None:
    assert browser(charlie).post(notice_page(business_a), notice()).status_code == 404
    assert not Unavailability.objects.exists()


def test_the_workspace_reads_a_fixed_number_of_queries(
    certified_bob: Any,
    business_a: Any,
    bobs_customer: Any,
    dana: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(12):
        ticket_for(bobs_customer, dana, subject=f"Question {n}")
    client = browser(certified_bob)
    with django_assert_max_num_queries(15):  # 15 for 1 ticket as for 12
        assert client.get(workspace(business_a)).status_code == 200


def test_a_long_workspace_goes_on_on_the_next_page(
    certified_bob: Any, business_a: Any, bobs_customer: Any, dana: Any
) -> None:
    """Up to 100 rows of each list (issue 17: no list comes whole); "Next" reads on where a
    list has more, and a cursor not of this page is a clear error."""
    first_one = ticket_for(bobs_customer, dana, subject="Question 000")
    copies = []
    for n in range(1, 101):
        later = copy.copy(first_one)
        later.pk, later.subject = None, f"Question {n:03}"
        later.created_at = first_one.created_at + timedelta(seconds=n)
        copies.append(later)
    Ticket.objects.bulk_create(copies)
    client = browser(certified_bob)
    first = client.get(workspace(business_a))
    assert first.status_code == 200
    listed = first.context["workspace"].open_tickets
    assert len(listed) == 100 and ">100+<" in first.content.decode()
    cursor = first.context["workspace"].next_cursor
    assert f'href="?cursor={cursor}" rel="next"' in first.content.decode()
    second = client.get(workspace(business_a), {"cursor": cursor})
    rest = second.context["workspace"].open_tickets
    assert [t["subject"] for t in listed + rest] == [f"Question {n:03}" for n in range(101)]
    assert second.context["workspace"].next_cursor is None
    # The lists page 1 held whole are not "empty" on page 2, and page 2 leads back.
    later = text(second)
    assert "No more closed tickets." in later and "No closed tickets yet." not in later
    assert 'href="?">← First page</a>' in later and 'rel="next"' not in later
    assert client.get(workspace(business_a), {"cursor": "x"}).status_code == 422
