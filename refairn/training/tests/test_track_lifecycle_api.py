"""Issue 12 item 5: tracks and modules are drafts until published, stay editable, can be
reordered and archived; agents never see drafts and the dashboard never counts them."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.certification.tests.journeys import certify
from refairn.training.models import Module, Track
from refairn.training.tests.modules import BODIES, PDF, put_pdf
from tests.support import ApiClient, api_as, assert_problem, set_support_access

pytestmark = pytest.mark.django_db

TRACK = {
    "name": "Returns Handling",
    "requirement": "required",
    "passing_score": 80,
    "recertification_months": 12,
}


def dashboard(client: ApiClient, business: Any) -> dict[str, Any]:
    response = client.get(f"/businesses/{business.id}/reports/certification-dashboard")
    assert response.status_code == 200, response.body
    return response.body


@pytest.fixture
def draft(as_alice: ApiClient, business_a: Any, open_training: Any) -> dict[str, Any]:
    response = as_alice.post(f"/businesses/{business_a.id}/tracks", {**TRACK, "status": "draft"})
    assert response.status_code == 201, response.body
    assert response.body["status"] == "draft"
    return response.body


def test_a_track_created_over_the_api_is_published_unless_asked_for_a_draft(
    as_alice: ApiClient, business_a: Any
) -> None:
    response = as_alice.post(f"/businesses/{business_a.id}/tracks", TRACK)
    assert response.body["status"] == "published"
    bad = as_alice.post(
        f"/businesses/{business_a.id}/tracks", {**TRACK, "name": "X", "status": "archived"}
    )
    assert_problem(bad, 422, "validation_error")


def test_agents_never_see_a_draft_track(
    as_alice: ApiClient, as_bob: ApiClient, business_a: Any, draft: dict[str, Any]
) -> None:
    module = as_alice.post(f"/tracks/{draft['id']}/modules", BODIES["video"]).body
    tracks = f"/businesses/{business_a.id}/tracks"
    assert draft["id"] in [t["id"] for t in as_alice.get(tracks).body]
    assert draft["id"] not in [t["id"] for t in as_bob.get(tracks).body]
    assert_problem(as_bob.get(f"/tracks/{draft['id']}"), 404, "not_found")
    assert_problem(as_bob.get(f"/tracks/{draft['id']}/modules"), 404, "not_found")
    assert_problem(as_bob.post(f"/modules/{module['id']}/open", {}), 404, "not_found")
    assert_problem(as_bob.post(f"/tracks/{draft['id']}/attempts", {}), 404, "not_found")
    mine = as_bob.get(f"/businesses/{business_a.id}/certifications/me").body
    assert draft["id"] not in [row["track_id"] for row in mine]


def test_draft_published_edited_archived_with_the_dashboard_unchanged_by_drafts(
    as_alice: ApiClient,
    as_bob: ApiClient,
    alice: Any,
    bob: Any,
    business_a: Any,
    draft: dict[str, Any],
) -> None:
    # Bob holds the one published required track: fully certified.
    fundamentals = as_alice.post(
        f"/businesses/{business_a.id}/tracks", {**TRACK, "name": "Fundamentals"}
    ).body
    certify(Track.objects.get(pk=fundamentals["id"]), bob, alice)
    before = dashboard(as_alice, business_a)["overview"]
    assert before["fully_certified"]["part"] == 1
    # The empty required draft does not drop it to 0.
    assert dashboard(as_alice, business_a)["overview"] == before

    published = as_alice.post(f"/tracks/{draft['id']}/publish", {})
    assert published.status_code == 200, published.body
    assert published.body["status"] == "published"
    assert draft["id"] in [t["id"] for t in as_bob.get(f"/businesses/{business_a.id}/tracks").body]
    assert dashboard(as_alice, business_a)["overview"]["fully_certified"]["part"] == 0
    assert_problem(as_alice.post(f"/tracks/{draft['id']}/publish", {}), 409, "invalid_transition")

    edited = as_alice.patch(f"/tracks/{draft['id']}", {"description": "Now with examples."})
    assert edited.body["description"] == "Now with examples."
    assert edited.body["status"] == "published"

    archived = as_alice.post(f"/tracks/{draft['id']}/archive", {})
    assert archived.body["status"] == "archived"
    assert_problem(as_alice.post(f"/tracks/{draft['id']}/archive", {}), 409, "invalid_transition")
    assert_problem(as_bob.get(f"/tracks/{draft['id']}"), 404, "not_found")
    assert dashboard(as_alice, business_a)["overview"] == before
    # Archived tracks may come back.
    assert as_alice.post(f"/tracks/{draft['id']}/publish", {}).body["status"] == "published"


def test_only_owners_and_managers_move_a_track(
    as_bob: ApiClient, reviewer: Any, manager: Any, as_charlie: ApiClient, draft: dict[str, Any]
) -> None:
    path = f"/tracks/{draft['id']}/publish"
    assert_problem(api_as(reviewer).post(path, {}), 403, "forbidden")
    assert_problem(as_bob.post(path, {}), 404, "not_found")
    assert_problem(as_charlie.post(path, {}), 404, "not_found")
    assert Track.objects.get(pk=draft["id"]).status == "draft"
    assert api_as(manager).post(path, {}).status_code == 200


def test_a_draft_module_is_hidden_from_agents_and_not_required(
    as_alice: ApiClient, as_bob: ApiClient, bob: Any, track_a: Track, open_training: Any
) -> None:
    live = as_alice.post(f"/tracks/{track_a.id}/modules", BODIES["faq"]).body
    hidden = as_alice.post(
        f"/tracks/{track_a.id}/modules", {**BODIES["video"], "status": "draft"}
    ).body
    assert hidden["status"] == "draft"
    assert [m["id"] for m in as_alice.get(f"/tracks/{track_a.id}/modules").body] == [
        live["id"],
        hidden["id"],
    ]
    assert [m["id"] for m in as_bob.get(f"/tracks/{track_a.id}/modules").body] == [live["id"]]
    assert_problem(as_bob.post(f"/modules/{hidden['id']}/open", {}), 404, "not_found")
    # Completing the published FAQ is all the assessment needs.
    items = [i["id"] for i in live["items"]]
    as_bob.post(f"/modules/{live['id']}/progress", {"reviewed_item_ids": items})
    mine = as_bob.get(f"/businesses/{track_a.business_id}/certifications/me").body
    row = next(r for r in mine if r["track_id"] == str(track_a.id))
    assert [m["id"] for m in row["modules"]] == [live["id"]]
    assert row["assessment_available"] is True

    assert as_alice.post(f"/modules/{hidden['id']}/publish", {}).body["status"] == "published"
    assert_problem(as_alice.post(f"/modules/{hidden['id']}/publish", {}), 409, "invalid_transition")
    assert len(as_bob.get(f"/tracks/{track_a.id}/modules").body) == 2
    assert as_alice.post(f"/modules/{hidden['id']}/archive", {}).body["status"] == "archived"
    assert len(as_bob.get(f"/tracks/{track_a.id}/modules").body) == 1


def test_a_pdf_guide_is_published_only_with_its_file(as_alice: ApiClient, track_a: Track) -> None:
    guide = as_alice.post(
        f"/tracks/{track_a.id}/modules", {**BODIES["pdf"], "status": "draft"}
    ).body
    assert_problem(as_alice.post(f"/modules/{guide['id']}/publish", {}), 409, "file_missing")
    put_pdf(as_alice, guide["id"], PDF)
    assert as_alice.post(f"/modules/{guide['id']}/publish", {}).body["status"] == "published"


def test_a_published_module_is_edited_and_reordered(
    as_alice: ApiClient, as_bob: ApiClient, track_a: Track, reviewer: Any
) -> None:
    first = as_alice.post(f"/tracks/{track_a.id}/modules", BODIES["video"]).body
    second = as_alice.post(f"/tracks/{track_a.id}/modules", BODIES["faq"]).body
    response = as_alice.patch(
        f"/modules/{second['id']}",
        {"title": "Questions customers ask", "position": 0, "estimated_hours": "1.5"},
    )
    assert response.status_code == 200, response.body
    assert response.body["title"] == "Questions customers ask"
    as_alice.patch(f"/modules/{first['id']}", {"position": 1, "duration_seconds": 120})
    rows = as_alice.get(f"/tracks/{track_a.id}/modules").body
    assert [m["id"] for m in rows] == [second["id"], first["id"]]
    assert rows[1]["duration_seconds"] == 120
    assert Module.objects.get(pk=second["id"]).estimated_hours == 1.5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"duration_seconds": 50}, "duration_seconds"),  # the FAQ is no video
        ({"format": "video"}, "format"),
    ],
)
def test_bad_module_edits_are_refused(
    as_alice: ApiClient, track_a: Track, body: dict[str, Any], field: str
) -> None:
    faq = as_alice.post(f"/tracks/{track_a.id}/modules", BODIES["faq"]).body
    response = as_alice.patch(f"/modules/{faq['id']}", body)
    assert response.status_code == 422, response.body
    assert response["Content-Type"] == "application/problem+json"
    assert field in str(response.body)
    assert Module.objects.get(pk=faq["id"]).title == BODIES["faq"]["title"]


def test_only_owners_and_managers_edit_a_module(
    as_alice: ApiClient, as_bob: ApiClient, reviewer: Any, as_charlie: ApiClient, track_a: Track
) -> None:
    faq = as_alice.post(f"/tracks/{track_a.id}/modules", BODIES["faq"]).body
    path = f"/modules/{faq['id']}"
    assert_problem(api_as(reviewer).patch(path, {"title": "X"}), 403, "forbidden")
    assert_problem(as_bob.patch(path, {"title": "X"}), 403, "forbidden")
    assert_problem(as_charlie.patch(path, {"title": "X"}), 404, "not_found")
    assert_problem(as_bob.post(f"{path}/archive", {}), 403, "forbidden")


def test_a_draft_required_track_makes_no_one_ineligible_for_support(
    as_alice: ApiClient, alice: Any, bob: Any, business_a: Any, draft: dict[str, Any]
) -> None:
    fundamentals = as_alice.post(
        f"/businesses/{business_a.id}/tracks", {**TRACK, "name": "Fundamentals"}
    ).body
    certify(Track.objects.get(pk=fundamentals["id"]), bob, alice)
    set_support_access(bob, "active", business=business_a)
    profile = f"/agents/{bob.id}/profile"
    assert api_as(None).get(profile).body["certified_support_partner"] == [str(business_a.id)]
    as_alice.post(f"/tracks/{draft['id']}/publish", {})
    assert api_as(None).get(profile).body["certified_support_partner"] == []
