"""Issue 12, loose ends of the track lifecycle: an archived track keeps the agent's history, a
track whose modules are all drafts keeps its assessment closed, and a draft track has no
certification rows in the staff's agent list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from refairn.certification.tests.journeys import certify, make_track, set_settings, to_failed
from refairn.training.models import Module, Track
from tests.support import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _open_training(business_a: Any) -> None:
    set_settings(business_a, training_access="automatic")


def rows(client: Any, business: Any) -> dict[str, dict[str, Any]]:
    response = client.get(f"/businesses/{business.id}/certifications/me")
    assert response.status_code == 200, response.content
    return {row["track_name"]: row for row in response.body}


def module(track: Track, title: str, status: str) -> Module:
    return Module.objects.create(
        business_id=track.business_id, track=track, title=title, format="faq", status=status
    )


def set_status(track: Track, status: str) -> None:
    Track.objects.filter(pk=track.pk).update(status=status)


def page_for(user: Any, business: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/b/{business.id}/certification/")
    assert response.status_code == 200
    return response.content.decode()


# -- (a) archiving keeps the agent's history ---------------------------------------------------


def test_an_archived_track_stays_on_the_path_of_an_agent_with_history_in_it(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    untouched = make_track(business_a, alice, "Billing")
    to_failed(track, bob)
    set_status(track, "archived")
    set_status(untouched, "archived")
    mine = rows(as_bob, business_a)
    # Billing was never started: nothing of the agent's to keep.
    assert set(mine) == {"Fundamentals"}
    row = mine["Fundamentals"]
    assert (row["track_status"], row["status"]) == ("archived", "failed")
    assert (row["assessment_available"], row["blocked_reason"]) == (False, "track_archived")
    html = page_for(bob, business_a)
    assert "Fundamentals" in html
    assert '<span class="badge">Archived</span>' in html
    assert "The business has retired this track; your history in it stays here." in html
    assert "Take assessment" not in html
    assert "Billing" not in html


def test_a_certification_earned_in_an_archived_track_keeps_its_credential(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    certify(track, bob, alice)
    set_status(track, "archived")
    row = rows(as_bob, business_a)["Fundamentals"]
    assert (row["track_status"], row["status"]) == ("archived", "certified")
    html = page_for(bob, business_a)
    assert "Verifiable credential" in html
    # The history includes the credential: its download still answers.
    links = [line for line in html.splitlines() if "credential" in line and "href" in line]
    href = links[0].split('href="')[1].split('"')[0]
    client = Client()
    client.force_login(bob)
    assert client.get(href).status_code == 200, href


def test_a_published_track_says_so(as_bob: Any, business_a: Any, track: Any) -> None:
    assert rows(as_bob, business_a)["Fundamentals"]["track_status"] == "published"


def test_an_archived_track_is_not_on_the_home_path(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    """The home shows what lies ahead: the retired track's history is on the certification
    page, not counted among the required tracks."""
    to_failed(track, bob)
    set_status(track, "archived")
    client = Client()
    client.force_login(bob)
    response = client.get(f"/b/{business_a.id}/")
    assert response.status_code == 200
    assert "Fundamentals" not in response.content.decode()


# -- (b) a track whose modules are all drafts ----------------------------------------------


def test_only_draft_modules_keep_the_assessment_closed(
    as_bob: Any, bob: Any, business_a: Any, track: Any
) -> None:
    draft = module(track, "Product FAQ", "draft")
    row = rows(as_bob, business_a)["Fundamentals"]
    assert row["modules"] == []
    assert (row["assessment_available"], row["blocked_reason"]) == (False, "training_not_published")
    assert_problem(as_bob.post(f"/tracks/{track.id}/attempts"), 409, "training_not_published")
    html = page_for(bob, business_a)
    assert "The business has not published this track&#x27;s training yet" in html
    assert "Take assessment" not in html

    # The page's start button (a stale page) is refused in plain words.
    client = Client()
    client.force_login(bob)
    response = client.post(f"/b/{business_a.id}/tracks/{track.id}/assessment/start/", follow=True)
    assert "The training of this track is not published yet" in response.content.decode()

    Module.objects.filter(pk=draft.pk).update(status="published")
    row = rows(as_bob, business_a)["Fundamentals"]
    assert row["blocked_reason"] == "training_incomplete"


def test_the_home_says_the_training_is_awaited(bob: Any, business_a: Any, track: Any) -> None:
    module(track, "Product FAQ", "draft")
    client = Client()
    client.force_login(bob)
    html = client.get(f"/b/{business_a.id}/").content.decode()
    assert "has not published the training of <strong>Fundamentals</strong> yet" in html
    assert "You hold every certification open to you" not in html


def test_a_track_without_modules_or_with_archived_ones_only_opens(
    as_bob: Any, business_a: Any, alice: Any, track: Any
) -> None:
    retired = make_track(business_a, alice, "Retired content")
    module(retired, "Old FAQ", "archived")
    mine = rows(as_bob, business_a)
    assert mine["Fundamentals"]["blocked_reason"] is None
    assert mine["Retired content"]["blocked_reason"] is None


# -- (c) drafts are not in the agent list ----------------------------------------------------


def test_the_agent_list_leaves_draft_tracks_out(
    as_alice: Any, alice: Any, bob: Any, business_a: Any, track: Any
) -> None:
    draft = make_track(business_a, alice, "Upcoming")
    set_status(draft, "draft")
    archived = make_track(business_a, alice, "Old")
    set_status(archived, "archived")
    agents = as_alice.get(f"/businesses/{business_a.id}/agents").body
    assert [c["track_id"] for c in agents[0]["certifications"]] == [
        str(track.id),
        str(archived.id),
    ]
    client = Client()
    client.force_login(alice)
    html = client.get(f"/b/{business_a.id}/agents/").content.decode()
    assert "Fundamentals" in html
    assert "Upcoming" not in html
    html = client.get(f"/b/{business_a.id}/agents/{bob.id}/").content.decode()
    assert "Fundamentals" in html
    assert "Upcoming" not in html
