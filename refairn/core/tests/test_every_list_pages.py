"""Issue 18 item 4 / issue 17 item 2: every list of the API accepts ``limit`` and ``cursor``.

The first test walks the OpenAPI document, so a list added later without paging fails here;
the others page through the lists with ``limit=2`` and get every row exactly once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.api import api
from refairn.assessments.models import Attempt, Question
from refairn.core.pagination import MAX_PAGE
from refairn.notifications.models import Notification
from refairn.programs.models import Agent, Business, Customer
from refairn.support.models import Assignment, Unavailability
from refairn.training.models import Module, Track
from refairn.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.support import T0, ApiClient, assert_problem, make_user

# Lists answered whole, each bounded by the product or by a limit the services enforce.
BOUNDED = {
    # At most webhooks.services.MAX_ENDPOINTS (20) endpoints per business.
    "/api/v1/businesses/{b}/webhooks",
    # One document of at most routing.domain.MAX_RULES (100) rules, replaced whole by PUT.
    "/api/v1/businesses/{b}/routing-rules",
}

# Objects that hold a list of records beside other fields. Paging them would split one answer
# into several, so each is bounded instead; the reason is the bound.
BOUNDED_INSIDE = {
    # One membership per business the user belongs to.
    "/api/v1/me": "memberships",
    # The renewal history of one agent on one track: a few events per certification cycle.
    "/api/v1/businesses/{b}/agents/{a}/certifications/{t}": "history",
    # The business's signing keys: the current key and the retired ones still verifying.
    "/api/v1/businesses/{b}/jwks.json": "keys",
    # One ticket's conversation; a closed ticket takes no more messages.
    "/api/v1/tickets/{t}": "messages",
    # One badge per track and one partnership per business.
    "/api/v1/agents/{a}/profile": "badges",
    # Flags of the trailing 30-day window; warnings and reviews of one agent.
    "/api/v1/businesses/{b}/agents/{a}/sla": "flags warnings reviews",
    # The six escalation categories (support.domain.escalation.Category).
    "/api/v1/businesses/{b}/escalation-topics": "categories",
    # Reports: one row per track, per agent and track, or per question of a track, computed
    # as one answer at a point in time.
    "/api/v1/businesses/{b}/reports/certification-dashboard": "tracks completion matrix",
    "/api/v1/businesses/{b}/reports/quarterly": "recommendations",
    "/api/v1/businesses/{b}/reports/assessment-analytics": "tracks questions",
    # The tries of one delivery: bounded by the retry schedule.
    "/api/v1/businesses/{b}/webhooks/{w}/deliveries/{d}": "tries",
}


def _paged_operations() -> list[str]:
    """Every GET of the API that takes ``limit`` (its path under ``/api/v1``)."""
    document = api.get_openapi_schema()
    return sorted(
        path.removeprefix("/api/v1")
        for path, operations in document["paths"].items()
        if "limit" in {p["name"] for p in operations.get("get", {}).get("parameters", [])}
    )


def _schema(ref_or_schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in ref_or_schema:
        return components[ref_or_schema["$ref"].rsplit("/", 1)[-1]]
    return ref_or_schema


def _lists_of_records(schema: dict[str, Any], components: dict[str, Any]) -> set[str]:
    """The properties of an object schema that are arrays of objects (not of ids or names)."""
    found = set()
    for name, prop in schema.get("properties", {}).items():
        prop = _schema(prop, components)
        if prop.get("type") == "array" and (
            "$ref" in prop.get("items", {}) or prop.get("items", {}).get("type") == "object"
        ):
            found.add(name)
    return found


def test_every_list_operation_declares_limit_and_cursor() -> None:
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    unpaged, unexplained = [], []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        content = get and get["responses"].get("200", {}).get("content", {})
        if not content or "application/json" not in content:
            continue
        answer = _schema(content["application/json"]["schema"], components)
        params = {p["name"] for p in get.get("parameters", [])}
        paged = {"limit", "cursor"} <= params
        if answer.get("type") == "array":
            if not paged and path not in BOUNDED:
                unpaged.append(path)
        elif not paged:
            inside = _lists_of_records(answer, components)
            if inside - set(BOUNDED_INSIDE.get(path, "").split()):
                unexplained.append((path, sorted(inside)))
    assert unpaged == []
    assert unexplained == []
    # An entry outliving its operation would let a new one of that path through unseen.
    assert set(BOUNDED) | set(BOUNDED_INSIDE) <= set(document["paths"])


# -- walking the lists ------------------------------------------------------------------------


def _walk(client: ApiClient, path: str) -> list[str]:
    """Every id of a list read two at a time (each page names its ``X-Next-Cursor``)."""
    ids: list[str] = []
    joiner = "&" if "?" in path else "?"
    cursor = ""
    for _ in range(50):
        answer = client.get(f"{path}{joiner}limit=2{cursor}")
        assert answer.status_code == 200, answer.body
        assert len(answer.body) <= 2
        ids += [_row_id(row) for row in answer.body]
        if "X-Next-Cursor" not in answer:
            return ids
        cursor = f"&cursor={answer['X-Next-Cursor']}"
    raise AssertionError(f"{path} never ended")


def _row_id(row: dict[str, Any]) -> str:
    for key in ("id", "attempt_id", "agent_id", "track_id"):
        if key in row:
            return str(row[key])
    raise AssertionError(row)


def _track(business: Business, n: int) -> Track:
    return Track.objects.create(
        business=business,
        name=f"Track {n}",
        requirement="optional",
        passing_score=80,
        recertification_months=12,
        badge_name=f"Badge {n}",
        question_count=1,
        time_limit_minutes=30,
    )


ROWS = 5  # three pages of two; every row below shares its instant with the others


@pytest.fixture
def lists(business_a: Business, bob: User) -> dict[str, Any]:
    """Five rows in each list, all created in the same instant so the id breaks every tie."""
    tracks = [_track(business_a, n) for n in range(ROWS)]
    customer = Customer.objects.create(
        business=business_a, name="C", monthly_value="1.00", subscribed_at=T0
    )
    endpoint = WebhookEndpoint.objects.create(
        business=business_a, url="https://h.test/", secret="s"
    )
    for n in range(ROWS):
        Agent.objects.create(business=business_a, user=make_user(f"agent{n}@a.test"))
        Notification.objects.create(user=bob, kind="k", text=f"n{n}")
        Module.objects.create(business=business_a, track=tracks[0], title=f"M{n}", format="text")
        Question.objects.create(
            business=business_a, track=tracks[0], type="short_answer", prompt=f"Q{n}"
        )
        Assignment.objects.create(
            business=business_a, customer=customer, agent=bob, ended_at=T0 + timedelta(hours=1)
        )
        Unavailability.objects.create(
            business=business_a, agent=bob, starts_at=T0, ends_at=T0 + timedelta(days=1)
        )
        WebhookDelivery.objects.create(
            business=business_a,
            endpoint=endpoint,
            webhook_id=f"msg_{n}",
            event_type="ping",
            body="{}",
            next_attempt_at=T0,
        )
        Attempt.objects.create(
            business=business_a,
            track=tracks[1],
            agent=bob,
            state=Attempt.State.SUBMITTED,
            outcome="awaiting_manual_review",  # queued: it waits on a reviewer
            cycle=1,
            number=n + 1,
            deadline=T0,
            submitted_at=T0,
        )
    return {"b": business_a.id, "t": tracks[0].id, "c": customer.id, "w": endpoint.id}


STAFF_LISTS = [
    ("/businesses/{b}/agents", ROWS + 1),  # bob too
    ("/businesses/{b}/tracks", ROWS),
    ("/tracks/{t}/modules", ROWS),
    ("/tracks/{t}/questions", ROWS),
    ("/customers/{c}/assignments", ROWS),
    ("/businesses/{b}/unavailability", ROWS),
    ("/businesses/{b}/webhooks/{w}/deliveries", ROWS),
    ("/businesses/{b}/reviews", ROWS),
]
AGENT_LISTS = [
    ("/me/notifications", ROWS),
    ("/businesses/{b}/certifications/me", ROWS),
    ("/businesses/{b}/unavailability", ROWS),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "rows"), STAFF_LISTS)
def test_a_staff_list_pages_every_row_once(
    as_alice: ApiClient, lists: dict[str, Any], path: str, rows: int
) -> None:
    _every_row_once(as_alice, path.format(**lists), rows)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "rows"), AGENT_LISTS)
def test_an_agent_list_pages_every_row_once(
    as_bob: ApiClient, lists: dict[str, Any], path: str, rows: int
) -> None:
    _every_row_once(as_bob, path.format(**lists), rows)


def _every_row_once(client: ApiClient, path: str, rows: int) -> None:
    paged = _walk(client, path)
    whole = [_row_id(row) for row in client.get(path).body]
    assert len(paged) == rows
    assert paged == whole  # the same order, each row once


@pytest.mark.django_db
def test_the_token_list_pages(alice: User, as_alice: ApiClient) -> None:
    for n in range(ROWS):
        assert as_alice.post("/me/tokens", {"name": f"t{n}"}).status_code == 201
    paged = _walk(as_alice, "/me/tokens")
    assert len(set(paged)) == len(paged) == ROWS + 1  # and the token the client signs with


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "rows"), STAFF_LISTS)
@pytest.mark.parametrize(
    ("query", "code"),
    [("limit=0", "validation_error"), ("limit=101", "validation_error"), ("cursor=x", None)],
)
def test_a_bad_page_is_422(
    as_alice: ApiClient, lists: dict[str, Any], path: str, rows: int, query: str, code: str | None
) -> None:
    assert_problem(as_alice.get(f"{path.format(**lists)}?{query}"), 422, code or "invalid_cursor")


@pytest.mark.django_db
@pytest.mark.parametrize("path", _paged_operations())
def test_every_list_answers_at_most_100_rows(
    as_alice: ApiClient, as_bob: ApiClient, lists: dict[str, Any], path: str
) -> None:
    """Issue 17: a page holds at most 100 rows on every list; ``limit=101`` is refused with the
    same problem everywhere rather than shortened on some lists and not others. Each list is
    asked by whoever may read it (the owner, or the agent for an agent's own list)."""
    assert MAX_PAGE == 100
    target = path.format(**lists)
    readers = [c for c in (as_alice, as_bob) if c.get(f"{target}?limit=100").status_code == 200]
    assert readers, f"{path}: nobody reads it with limit=100"
    answer = readers[0].get(f"{target}?limit=101")
    assert_problem(answer, 422, "validation_error")
    assert "limit" in str(answer.body)


@pytest.mark.django_db
def test_a_cursor_does_not_cross_tenants(
    as_alice: ApiClient, as_charlie: ApiClient, lists: dict[str, Any], business_b: Business
) -> None:
    """A cursor only positions a reader in their own business's list."""
    first = as_alice.get(f"/businesses/{lists['b']}/tracks?limit=2")
    cursor = first["X-Next-Cursor"]
    answer = as_charlie.get(f"/businesses/{business_b.id}/tracks?limit=2&cursor={cursor}")
    assert answer.status_code == 200
    assert answer.body == []
    assert_problem(
        as_charlie.get(f"/businesses/{lists['b']}/tracks?limit=2&cursor={cursor}"), 404, "not_found"
    )
