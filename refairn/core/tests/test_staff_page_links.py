"""Issue 18 item 4: the staff pages that show growing lists show them a page at a time, with
"previous" and "next" links (server-side, core/_pager.html), and ``core.pagination``'s
``keyset_window`` reads the same pages backwards as forwards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from refairn.accounts.models import User
from refairn.assessments.models import Attempt, Question
from refairn.core.pagination import DEFAULT_PAGE, keyset_window
from refairn.programs.models import Business, Customer
from refairn.programs.services import business_create
from refairn.support.models import Ticket
from refairn.support.staff_views import TICKET_PAGE
from refairn.training.models import Track
from refairn.webhooks.models import WebhookDelivery, WebhookEndpoint
from refairn.webhooks.selectors import DELIVERY_PAGE
from tests.support import T0, make_user

ORDER = ("created_at", "id")


class TestWindow(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        minutes=st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=10),
        limit=st.integers(min_value=1, max_value=4),
    )
    def test_back_from_the_last_page_gives_the_forward_pages(
        self, minutes: list[int], limit: int
    ) -> None:
        business = business_create(user=make_user("o@b.test"), name="B")
        for n, minute in enumerate(minutes):
            Customer.objects.create(
                business=business,
                name=f"C{n}",
                monthly_value="1.00",
                subscribed_at=T0,
                created_at=T0 + timedelta(minutes=minute),
            )
        rows = Customer.objects.all()
        forward = [keyset_window(rows, order=ORDER, limit=limit, cursor=None)]
        while forward[-1].next_cursor:
            cursor = forward[-1].next_cursor
            forward.append(keyset_window(rows, order=ORDER, limit=limit, cursor=cursor))
        backward = [forward[-1]]
        while backward[-1].previous_cursor:
            before = backward[-1].previous_cursor
            backward.append(
                keyset_window(rows, order=ORDER, limit=limit, cursor=None, before=before)
            )
        assert [p.items for p in backward[::-1]] == [p.items for p in forward]
        assert forward[0].previous_cursor is None


# -- the pages ----------------------------------------------------------------------------


def _track(business: Business) -> Track:
    return Track.objects.create(
        business=business,
        name="Track",
        requirement="optional",
        passing_score=80,
        recertification_months=12,
        badge_name="Badge",
        question_count=1,
        time_limit_minutes=30,
    )


def _customers(business: Business, agent: User, n: int) -> dict[str, Any]:
    Customer.objects.bulk_create(
        Customer(business=business, name=f"C{i}", monthly_value="1.00", subscribed_at=T0)
        for i in range(n)
    )
    return {}


def _tickets(business: Business, agent: User, n: int) -> dict[str, Any]:
    customer = Customer.objects.create(
        business=business, name="C", monthly_value="1.00", subscribed_at=T0
    )
    Ticket.objects.bulk_create(
        Ticket(
            business=business,
            customer=customer,
            subject=f"T{i}",
            body="b",
            first_response_due_at=T0,
            resolution_due_at=T0,
        )
        for i in range(n)
    )
    return {}


def _questions(business: Business, agent: User, n: int) -> dict[str, Any]:
    track = _track(business)
    Question.objects.bulk_create(
        Question(business=business, track=track, type="short_answer", prompt=f"Q{i}")
        for i in range(n)
    )
    return {"track_id": track.id}


def _reviews(business: Business, agent: User, n: int) -> dict[str, Any]:
    track = _track(business)
    Attempt.objects.bulk_create(
        Attempt(
            business=business,
            track=track,
            agent=agent,
            state=Attempt.State.SUBMITTED,
            outcome="awaiting_manual_review",  # queued: it waits on a reviewer
            cycle=1,
            number=i + 1,
            deadline=T0,
            submitted_at=T0,
        )
        for i in range(n)
    )
    return {}


def _deliveries(business: Business, agent: User, n: int) -> dict[str, Any]:
    endpoint = WebhookEndpoint.objects.create(business=business, url="https://h.test/", secret="s")
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            business=business,
            endpoint=endpoint,
            webhook_id=f"msg_{i}",
            event_type="ping",
            body="{}",
            next_attempt_at=T0,
        )
        for i in range(n)
    )
    return {}


def _ids(key: str, field: Callable[[Any], Any]) -> Callable[[Any], list[str]]:
    return lambda response: [str(field(row)) for row in response.context[key]]


PAGES = [
    ("support:customers", _customers, DEFAULT_PAGE, _ids("customers", lambda r: r["customer"].id)),
    ("support:tickets", _tickets, TICKET_PAGE, _ids("tickets", lambda r: r["ticket"].id)),
    ("assessments:bank", _questions, DEFAULT_PAGE, _ids("questions", lambda q: q.id)),
    ("certification:reviews", _reviews, DEFAULT_PAGE, _ids("reviews", lambda r: r["attempt_id"])),
    ("webhooks:log", _deliveries, DELIVERY_PAGE, _ids("deliveries", lambda d: d.id)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "seed", "size", "ids"), PAGES)
def test_a_staff_list_page_links_next_and_previous(
    alice: User,
    business_a: Business,
    bob: User,
    name: str,
    seed: Callable[[Business, User, int], dict[str, Any]],
    size: int,
    ids: Callable[[Any], list[str]],
) -> None:
    url = reverse(name, kwargs={"business_id": business_a.id, **seed(business_a, bob, size + 1)})
    client = Client()
    client.force_login(alice)

    first = client.get(url)
    assert first.status_code == 200
    assert len(ids(first)) == size
    assert first.context["pager"]["previous"] is None
    assert 'rel="next"' in first.content.decode()

    second = client.get(f"{url}?{first.context['pager']['next']}")
    assert len(ids(second)) == 1
    assert set(ids(second)).isdisjoint(ids(first))
    assert second.context["pager"]["next"] is None

    back = client.get(f"{url}?{second.context['pager']['previous']}")
    assert ids(back) == ids(first)
    assert back.context["pager"]["previous"] is None
    assert back.context["pager"]["next"] == first.context["pager"]["next"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "seed", "size", "ids"), PAGES)
def test_a_forged_page_link_is_refused_not_a_500(
    alice: User,
    business_a: Business,
    bob: User,
    name: str,
    seed: Callable[[Business, User, int], dict[str, Any]],
    size: int,
    ids: Callable[[Any], list[str]],
) -> None:
    url = reverse(name, kwargs={"business_id": business_a.id, **seed(business_a, bob, 1)})
    client = Client()
    client.force_login(alice)
    assert client.get(url, {"cursor": "x"}).status_code == 422
    assert client.get(url, {"before": "x"}).status_code == 422
