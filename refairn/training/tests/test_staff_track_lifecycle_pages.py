"""Issue 12 item 5 on the staff pages: tracks and modules made there are drafts; publish,
archive and reorder buttons; issue 11 item 6: the support level control on the agent page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Agent, Business
from refairn.training.models import Module, Track
from refairn.training.tests.modules import make_track

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(alice: User, business_a: Business) -> Client:
    return client_for(alice)


def action(client: Client, track: Track, value: str, module: Module | None = None) -> Any:
    base = f"/b/{track.business_id}/tracks/{track.id}/"
    path = f"{base}modules/{module.id}/action/" if module else f"{base}action/"
    return client.post(path, {"action": value}, follow=True)


def test_a_track_made_on_the_page_is_a_draft_until_published(
    owner: Client, business_a: Business
) -> None:
    data = {
        "name": "Billing basics",
        "requirement": "required",
        "passing_score": "80",
        "recertification_months": "12",
        "assessment_mode": "fixed",
        "question_count": "10",
        "time_limit_minutes": "30",
    }
    response = owner.post(f"/b/{business_a.id}/tracks/", data, follow=True)
    track = Track.objects.get(name="Billing basics")
    assert track.status == "draft"
    body = response.content.decode()
    assert "created as a draft" in body
    assert "Publish track" in body and "the dashboard leaves it out" in body

    body = action(owner, track, "publish").content.decode()
    track.refresh_from_db()
    assert track.status == "published"
    assert "published: agents see it" in body
    assert "Publish track" not in body and "Archive track" in body

    action(owner, track, "archive")
    track.refresh_from_db()
    assert track.status == "archived"
    # Archiving again is refused in words, never a server error.
    response = action(owner, track, "archive")
    assert response.status_code == 200
    assert "Cannot archive content that is archived." in response.content.decode()


def test_tracks_move_up_and_down_in_the_list(owner: Client, business_a: Business) -> None:
    first = make_track(business_a, "First")
    second = make_track(business_a, "Second")
    Track.objects.filter(pk=second.pk).update(position=1)
    response = action(owner, second, "up")
    assert "“Second” moved up." in response.content.decode()
    names = list(Track.objects.filter(business=business_a).values_list("name", flat=True))
    assert names == ["Second", "First"]
    assert 'aria-label="Move First up"' in response.content.decode()
    action(owner, first, "down")  # already last: nothing changes
    assert list(Track.objects.filter(business=business_a).values_list("name", flat=True)) == [
        "Second",
        "First",
    ]


def test_a_module_added_on_the_page_is_a_draft_then_published_moved_and_archived(
    owner: Client, business_a: Business
) -> None:
    track = make_track(business_a)
    url = f"/b/{business_a.id}/tracks/{track.id}/modules/new/video/"
    owner.post(url, {"video-title": "Tour", "video-required": "on", "video-duration_seconds": "60"})
    owner.post(url, {"video-title": "Deep dive", "video-duration_seconds": "90"})
    tour, deep = Module.objects.filter(track=track).order_by("position")
    assert (tour.status, deep.status) == ("draft", "draft")

    body = action(owner, track, "publish", tour).content.decode()
    tour.refresh_from_db()
    assert tour.status == "published"
    assert "“Tour” published." in body

    action(owner, track, "up", deep)
    ordered = list(Module.objects.filter(track=track).order_by("position", "created_at"))
    assert [m.title for m in ordered] == ["Deep dive", "Tour"]

    action(owner, track, "archive", tour)
    tour.refresh_from_db()
    assert tour.status == "archived"


def test_a_pdf_placeholder_cannot_be_published_without_its_file(
    owner: Client, business_a: Business
) -> None:
    track = make_track(business_a)
    guide = Module.objects.create(
        business=business_a, track=track, title="Guide", format="pdf", status="draft"
    )
    body = action(owner, track, "publish", guide).content.decode()
    assert "Upload the PDF before publishing this module." in body
    guide.refresh_from_db()
    assert guide.status == "draft"


def test_an_unknown_action_is_refused(owner: Client, business_a: Business) -> None:
    track = make_track(business_a)
    response = owner.post(f"/b/{business_a.id}/tracks/{track.id}/action/", {"action": "delete"})
    assert response.status_code == 422
    track.refresh_from_db()
    assert track.status == "published"


def test_a_reviewer_has_no_lifecycle_buttons_and_may_not_post_them(
    reviewer: User, business_a: Business
) -> None:
    track = make_track(business_a)
    client = client_for(reviewer)
    body = client.get(f"/b/{business_a.id}/tracks/{track.id}/").content.decode()
    assert "Archive track" not in body
    response = client.post(f"/b/{business_a.id}/tracks/{track.id}/action/", {"action": "archive"})
    assert response.status_code == 403
    track.refresh_from_db()
    assert track.status == "published"


# -- the agent's support level (issue 11 item 6) ---------------------------------------------


def test_the_owner_sets_the_support_level_on_the_agent_page(
    owner: Client, business_a: Business, bob: User
) -> None:
    page = f"/b/{business_a.id}/agents/{bob.id}/"
    assert "Set support level" in owner.get(page).content.decode()
    response = owner.post(f"{page}support-level/", {"support_level": "L3"}, follow=True)
    assert "Support level is now L3." in response.content.decode()
    assert Agent.objects.get(user=bob).support_level == "L3"
    bad = owner.post(f"{page}support-level/", {"support_level": "L9"})
    assert bad.status_code == 422
    assert Agent.objects.get(user=bob).support_level == "L3"


def test_a_reviewer_may_not_set_the_support_level(
    reviewer: User, business_a: Business, bob: User
) -> None:
    page = f"/b/{business_a.id}/agents/{bob.id}/"
    client = client_for(reviewer)
    assert "Set support level" not in client.get(page).content.decode()
    assert client.post(f"{page}support-level/", {"support_level": "L2"}).status_code == 403
    assert Agent.objects.get(user=bob).support_level == "L1"
