"""What one SLA sweep writes when many agents cross the thresholds together (issue 17): the
warnings, reviews, notifications and outbox events of each agent, exactly, in a number of
statements that does not grow with the number of agents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.accounts.models import User
from refairn.notifications.models import Notification, OutboxEvent
from refairn.programs.models import Business, Customer
from refairn.support.models import AgentWarning, PerformanceReview, Ticket
from refairn.support.services import overdue_flags_raise
from refairn.support.tests.conftest import approved_agent
from tests.support import T0

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
# Each agent's five tickets miss their resolution deadlines an hour apart, the day before the
# sweep: the third warns, the fifth opens a review (the default policy: 3 and 5 in 30 days).
MISSED = [T0 - timedelta(days=1) + n * HOUR for n in range(5)]


def agents_missing_deadlines(
    business: Business, customer: Customer, count: int, *, first: int = 0
) -> list[User]:
    agents = [
        approved_agent(business, f"agent{n}@a.test", f"Agent {n}")
        for n in range(first, first + count)
    ]
    # Every third agent has no name: notifications then name them by their e-mail.
    User.objects.filter(pk__in=[agent.pk for agent in agents[::3]]).update(name="")
    for agent in agents:
        agent.refresh_from_db()
    created = T0 - timedelta(days=2)
    Ticket.objects.bulk_create(
        Ticket(
            business=business,
            customer=customer,
            subject="Cannot sign in",
            body="The sign-in page says my password is wrong.",
            assigned_agent=agent,
            created_at=created,
            first_response_due_at=created + HOUR,
            first_responded_at=created + timedelta(minutes=5),
            resolution_due_at=due,
        )
        for agent in agents
        for due in MISSED
    )
    return agents


def sweep_statements() -> int:
    with CaptureQueriesContext(connection) as captured:
        overdue_flags_raise()
    return len(captured.captured_queries)


def test_the_sweep_writes_each_agents_warning_review_and_notices(
    business_a: Business, alice: User, manager: User, northwind: Customer
) -> None:
    agents = agents_missing_deadlines(business_a, northwind, 3)
    overdue_flags_raise()

    link = f"/b/{business_a.id}/"
    url = settings.REFAIRN_PUBLIC_URL + link
    warned_at, reviewed_at = MISSED[2], MISSED[4]
    warning_text = (
        "3 of your tickets at Business A went past their SLA deadlines in the last 30 days. "
        "Answer on time, or tell the business in advance when you are unavailable."
    )
    opened_text = (
        "Business A opened a support performance review after 5 overdue tickets in 30 days."
    )
    reviews = {
        review.agent_id: review for review in PerformanceReview.objects.filter(business=business_a)
    }
    assert sorted(
        AgentWarning.objects.values_list("business_id", "agent_id", "kind", "message", "at", "by")
    ) == sorted(
        (business_a.id, agent.id, "automatic", warning_text, warned_at, None) for agent in agents
    )
    assert sorted(
        (r.agent_id, r.status, r.opened_at, r.trigger, r.decided_at) for r in reviews.values()
    ) == sorted(
        (agent.id, "open", reviewed_at, "5 overdue flags in 30 days", None) for agent in agents
    )

    def name(agent: User) -> str:
        return agent.name or agent.email

    expected_notifications = []
    expected_events = []
    for agent in agents:
        review_data = {
            "agent_id": str(agent.id),
            "agent_name": name(agent),
            "review_id": str(reviews[agent.id].id),
            "trigger": "5 overdue flags in 30 days",
        }
        decide_text = f"A support performance review of {name(agent)} is waiting for your decision."
        admins = sorted([str(alice.id), str(manager.id)])
        for kind, text, at, users in (
            ("sla_warning", warning_text, warned_at, [agent.id]),
            ("performance_review_opened", opened_text, reviewed_at, [agent.id]),
            ("performance_review_to_decide", decide_text, reviewed_at, [alice.id, manager.id]),
        ):
            expected_notifications += [
                (user, business_a.id, kind, text, link, at) for user in users
            ]
        common = {
            "business_id": str(business_a.id),
            "business_name": "Business A",
            "link": link,
            "url": url,
        }
        for event, kind, text, at, data, recipients in (
            (
                "sla.warning",
                "sla_warning",
                warning_text,
                warned_at,
                {
                    "agent_id": str(agent.id),
                    "agent_name": name(agent),
                    "overdue_flags": 3,
                    "window_days": 30,
                },
                [str(agent.id)],
            ),
            (
                "performance_review.opened",
                "performance_review_opened",
                opened_text,
                reviewed_at,
                review_data,
                [str(agent.id)],
            ),
            (
                "performance_review.to_decide",
                "performance_review_to_decide",
                decide_text,
                reviewed_at,
                review_data,
                admins,
            ),
        ):
            payload = {**data, **common, "kind": kind, "text": text, "recipient_ids": recipients}
            expected_events.append(
                (event, kind, business_a.id, text, link, payload, recipients, at, T0)
            )

    notifications = Notification.objects.exclude(kind="ticket_opened")
    assert sorted(
        notifications.values_list("user_id", "business_id", "kind", "text", "link", "created_at"),
        key=repr,
    ) == sorted(expected_notifications, key=repr)
    assert not notifications.filter(dedupe_key__isnull=False).exists()
    events = []
    for row in OutboxEvent.objects.all():
        data = dict(row.data, recipient_ids=sorted(row.data["recipient_ids"]))
        events.append(
            (
                row.type,
                row.kind,
                row.business_id,
                row.text,
                row.link,
                data,
                sorted(row.recipient_ids),
                row.occurred_at,
                row.created_at,
            )
        )
        assert row.family == "support"
    assert sorted(events, key=repr) == sorted(expected_events, key=repr)


def test_the_sweep_sends_as_many_statements_for_ten_times_the_agents_crossing_thresholds(
    business_a: Business, alice: User, manager: User, northwind: Customer
) -> None:
    """Issue 17: warnings, reviews and their notices are written together, whatever the
    number of agents crossing a threshold in one sweep (2, then 20: within one insert per
    table on SQLite too, whose limit on parameters splits a hundred-odd rows)."""
    agents_missing_deadlines(business_a, northwind, 2)
    few = sweep_statements()
    assert AgentWarning.objects.count() == PerformanceReview.objects.count() == 2
    AgentWarning.objects.all().delete()
    PerformanceReview.objects.all().delete()
    Ticket.objects.all().delete()
    agents = agents_missing_deadlines(business_a, northwind, 20, first=2)
    many = sweep_statements()
    assert AgentWarning.objects.count() == PerformanceReview.objects.count() == 20
    assert {w.agent_id for w in AgentWarning.objects.all()} == {a.id for a in agents}
    assert many == few
