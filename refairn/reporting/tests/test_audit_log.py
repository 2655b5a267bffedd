"""Issue 18 item 9: the business audit log, over the API and as a page. Who changed what,
when and why, newest first, paged by cursor, filtered, for owners and managers only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.core import clock
from refairn.programs.models import Business
from tests.support import T0, ApiClient, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

LOG = "/businesses/{}/audit-log"


@pytest.fixture
def test_clock(settings: Any, anon: ApiClient) -> Iterator[Any]:
    """Time moves through ``PUT /test-clock`` (the stored clock is read without an override)."""
    settings.REFAIRN_TEST_CLOCK = True
    token = clock._override.set(None)

    def move(to: Any) -> None:
        assert anon.put("/test-clock", {"now": to.isoformat()}).status_code == 200

    move(T0)
    yield move
    clock._override.reset(token)


@pytest.fixture
def history(
    test_clock: Any, business_a: Business, as_alice: ApiClient, bob: User, manager: User
) -> dict[str, Any]:
    """Four changes in business A, each a minute or a day after the one before."""
    b = business_a.id
    test_clock(T0 + timedelta(minutes=1))
    r = as_alice.put(f"/businesses/{b}/support-policy", {"unavailability_policy": "pause_intake"})
    assert r.status_code == 200, r.body
    test_clock(T0 + timedelta(minutes=2))
    r = as_alice.post(f"/businesses/{b}/agents/{bob.id}/warnings", {"message": "Late replies"})
    assert r.status_code == 201, r.body
    dave = make_user("dave@x.test", "Dave Applicant")
    test_clock(T0 + timedelta(minutes=3))
    assert api_as(dave).post(f"/businesses/{b}/agents", {}).status_code == 201
    test_clock(T0 + timedelta(days=1))
    r = api_as(manager).post(
        f"/businesses/{b}/agents/{dave.id}/reject", {"reason": "No support experience"}
    )
    assert r.status_code == 200, r.body
    return {"dave": dave}


def url(business: Business, query: str = "") -> str:
    return LOG.format(business.id) + query


def test_the_log_says_who_changed_what_when_and_why_newest_first(
    history: dict[str, Any], business_a: Business, alice: User, manager: User
) -> None:
    response = api_as(manager).get(url(business_a))

    assert response.status_code == 200, response.body
    # Every API client in these tests makes its token when it is created: left out here.
    entries = [e for e in response.body if e["kind"] != "token"]
    top = [(e["kind"], e["action"], e["actor"], e["target"], e["reason"]) for e in entries[:4]]
    assert top == [
        ("agent", "application rejected", "Max Manager", "Dave Applicant", "No support experience"),
        ("agent", "applied to the program", "Dave Applicant", "Dave Applicant", ""),
        ("support_review", "manual warning", "Alice Owner", "Bob Agent", "Late replies"),
        (
            "settings",
            "unavailability policy set to pause_intake",
            "Alice Owner",
            "Support policy",
            "",
        ),
    ]
    assert entries[0]["actor_id"] == str(manager.id)
    assert entries[0]["at"].startswith((T0 + timedelta(days=1)).date().isoformat())
    times = [e["at"] for e in entries]
    assert times == sorted(times, reverse=True)
    # What happened at T0 itself: the business's staff roles and bob's membership.
    assert ("staff", "owner role granted", "Alice Owner") in {
        (e["kind"], e["action"], e["target"]) for e in entries
    }


def test_pages_walk_the_whole_log_once(
    history: dict[str, Any], business_a: Business, as_alice: ApiClient
) -> None:
    everything = [e["id"] for e in as_alice.get(url(business_a, "?limit=100")).body]
    seen: list[str] = []
    cursor = ""
    while True:
        response = as_alice.get(url(business_a, f"?limit=2{cursor}"))
        assert response.status_code == 200
        seen += [e["id"] for e in response.body]
        if "X-Next-Cursor" not in response:
            break
        cursor = f"&cursor={response['X-Next-Cursor']}"

    assert len(everything) >= 7
    assert seen == everything


def test_filters_by_kind_actor_and_days(
    history: dict[str, Any], business_a: Business, as_alice: ApiClient, alice: User
) -> None:
    by_kind = as_alice.get(url(business_a, "?kind=settings")).body
    assert [e["action"] for e in by_kind] == ["unavailability policy set to pause_intake"]

    by_alice = as_alice.get(url(business_a, f"?actor={alice.id}")).body
    assert {e["actor"] for e in by_alice} == {"Alice Owner"}
    assert [e["action"] for e in by_alice][:2] == [
        "manual warning",
        "unavailability policy set to pause_intake",
    ]

    next_day = (T0 + timedelta(days=1)).date().isoformat()
    since = as_alice.get(url(business_a, f"?since={next_day}&kind=agent")).body
    assert [e["action"] for e in since] == ["application rejected"]
    until = as_alice.get(url(business_a, f"?until={T0.date().isoformat()}&kind=agent")).body
    assert [e["action"] for e in until] == ["applied to the program", "applied to the program"]


def test_bad_filters_and_cursors_are_422(business_a: Business, as_alice: ApiClient) -> None:
    assert_problem(as_alice.get(url(business_a, "?cursor=nonsense")), 422, "invalid_cursor")
    assert_problem(
        as_alice.get(url(business_a, "?since=2026-11-03&until=2026-11-02")), 422, "invalid_date"
    )
    assert_problem(as_alice.get(url(business_a, "?since=1900-01-01")), 422, "invalid_date")
    assert as_alice.get(url(business_a, "?kind=gossip")).status_code == 422
    assert_problem(as_alice.get(url(business_a, "?limit=0")), 422, "validation_error")


def test_only_owners_and_managers_read_it(
    business_a: Business,
    bob: User,
    reviewer: User,
    security_officer: User,
    as_charlie: ApiClient,
    anon: ApiClient,
) -> None:
    for user in (reviewer, security_officer, bob):
        assert_problem(api_as(user).get(url(business_a)), 403, "forbidden")
    assert_problem(as_charlie.get(url(business_a)), 404, "not_found")
    assert anon.get(url(business_a)).status_code == 401


def test_another_business_changes_stay_out_of_the_log(
    history: dict[str, Any],
    business_a: Business,
    business_b: Business,
    as_alice: ApiClient,
    as_charlie: ApiClient,
    charlie: User,
) -> None:
    r = as_charlie.put(
        f"/businesses/{business_b.id}/support-policy", {"unavailability_policy": "pause_intake"}
    )
    assert r.status_code == 200

    a_log = as_alice.get(url(business_a, "?limit=100")).body
    assert all(e["actor_id"] != str(charlie.id) for e in a_log)
    assert all(e["target"] != "Charlie Other" for e in a_log)
    b_log = as_charlie.get(url(business_b, "?limit=100")).body
    assert {e["target"] for e in b_log} == {"Support policy", "Charlie Other", "API token"}


def _page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_the_log_for_owners_linked_from_the_navigation(
    history: dict[str, Any], business_a: Business, alice: User, reviewer: User
) -> None:
    page = f"/b/{business_a.id}/audit-log/"
    owner = _page_client(alice)

    response = owner.get(page)
    assert response.status_code == 200
    text = response.content.decode()
    assert "No support experience" in text and "Late replies" in text
    assert f'href="{page}"' in owner.get(f"/b/{business_a.id}/dashboard/").content.decode()

    filtered = owner.get(page, {"kind": "settings"}).content.decode()
    assert "pause_intake" in filtered and "Late replies" not in filtered
    assert owner.get(page, {"since": "1900-01-01"}).status_code == 422
    assert owner.get(page, {"cursor": "nonsense"}).status_code == 422

    assert _page_client(reviewer).get(page).status_code == 403
    assert f'href="{page}"' not in (
        _page_client(reviewer).get(f"/b/{business_a.id}/dashboard/").content.decode()
    )


def test_the_page_reads_in_the_viewers_zone(
    history: dict[str, Any], business_a: Business, alice: User
) -> None:
    """Issue 12 item 7: an owner in New York reads the log's times in New York."""
    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])
    text = _page_client(alice).get(f"/b/{business_a.id}/audit-log/").content.decode()
    assert "Mon 2 Nov 2026, 04:01 EST" in text
    assert "2026-11-02 09:01" not in text


def test_the_pages_days_are_the_viewers_calendar_days(
    history: dict[str, Any], business_a: Business, alice: User, as_alice: ApiClient
) -> None:
    """Issue 12 item 7: 09:01 UTC on 2 November is 22:01 on 1 November in Pago Pago (UTC-11):
    the page files it under the viewer's 1 November; the API keeps UTC days."""
    alice.time_zone = "Pacific/Pago_Pago"
    alice.save(update_fields=["time_zone"])
    page = f"/b/{business_a.id}/audit-log/"
    owner = _page_client(alice)
    first_day = owner.get(page, {"until": "2026-11-01"}).content.decode()
    assert "pause_intake" in first_day and "No support experience" not in first_day
    assert "Times and days are in your time zone, Pacific/Pago_Pago." in first_day
    second_day = owner.get(page, {"since": "2026-11-02"}).content.decode()
    assert "pause_intake" not in second_day and "No support experience" in second_day
    api = as_alice.get(url(business_a, "?until=2026-11-01"))
    assert api.status_code == 200, api.body
    assert not [e for e in api.body if "pause_intake" in e["action"]]
