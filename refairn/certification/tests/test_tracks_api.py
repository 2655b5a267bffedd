from decimal import Decimal
from typing import Any

import pytest

from refairn.certification.tests.journeys import make_track
from refairn.training.models import Track
from tests.support import api_as, assert_problem

pytestmark = pytest.mark.django_db


def body(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Advanced Troubleshooting",
        "description": "APIs, SSO, data and performance.",
        "requirement": "required",
        "prerequisite_ids": [],
        "passing_score": 80,
        "recertification_months": 12,
        "security_critical": False,
        "badge": {"name": "Advanced Troubleshooting", "icon": "🔧"},
        "assessment": {"mode": "fixed", "question_count": 45, "time_limit_minutes": 90},
        "min_level": "L2",
        "estimated_days": 21,
    }
    data.update(overrides)
    return data


def test_owner_creates_a_track_with_every_field(as_alice: Any, business_a: Any, track: Any) -> None:
    response = as_alice.post(
        f"/businesses/{business_a.id}/tracks", body(prerequisite_ids=[str(track.id)])
    )
    assert response.status_code == 201, response.content
    created = response.body
    assert created["name"] == "Advanced Troubleshooting"
    assert created["requirement"] == "required"
    assert created["min_level"] == "L2"
    assert created["prerequisite_ids"] == [str(track.id)]
    assert created["passing_score"] == 80
    assert created["recertification_months"] == 12
    assert created["badge"] == {"name": "Advanced Troubleshooting", "icon": "🔧"}
    assert created["assessment"] == {
        "mode": "fixed",
        "question_count": 45,
        "time_limit_minutes": 90,
        "composition": [],
    }
    assert created["estimated_days"] == 21
    assert created["position"] == track.position + 1
    stored = Track.objects.get(pk=created["id"])
    assert stored.business == business_a
    assert list(stored.prerequisites.all()) == [track]


def test_a_manager_creates_tracks_and_the_badge_defaults_to_the_name(
    manager: Any, business_a: Any
) -> None:
    response = api_as(manager).post(
        f"/businesses/{business_a.id}/tracks",
        {
            "name": "Billing",
            "requirement": "optional",
            "passing_score": "85.5",
            "recertification_months": 6,
        },
    )
    assert response.status_code == 201, response.content
    assert response.body["badge"] == {"name": "Billing", "icon": ""}
    assert response.body["passing_score"] == 85.5
    assert response.body["min_level"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"passing_score": 101}, "passing_score"),
        ({"passing_score": -1}, "passing_score"),
        ({"recertification_months": 0}, "recertification_months"),
        ({"requirement": "mandatory"}, "requirement"),
        (
            {"assessment": {"mode": "fixed", "question_count": 0, "time_limit_minutes": 30}},
            "assessment.question_count",
        ),
        (
            {"assessment": {"mode": "fixed", "question_count": 5, "time_limit_minutes": 0}},
            "assessment.time_limit_minutes",
        ),
        (
            {"assessment": {"mode": "random", "question_count": 5, "time_limit_minutes": 5}},
            "assessment.mode",
        ),
        ({"badge": {"name": "", "icon": "x"}}, "badge.name"),
        ({"name": ""}, "name"),
        ({"min_level": "L4"}, "min_level"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_tracks_are_422_and_nothing_is_written(
    as_alice: Any, business_a: Any, overrides: dict[str, Any], field: str
) -> None:
    response = as_alice.post(f"/businesses/{business_a.id}/tracks", body(**overrides))
    assert_problem(response, 422, "validation_error")
    assert field in {e["field"] for e in response.body["errors"]}
    assert not Track.objects.exists()


def test_a_blank_name_is_422(as_alice: Any, business_a: Any) -> None:
    response = as_alice.post(f"/businesses/{business_a.id}/tracks", body(name="   "))
    assert_problem(response, 422, "validation_error")
    assert not Track.objects.exists()


def test_prerequisites_must_be_tracks_of_the_same_business(
    as_alice: Any, business_a: Any, business_b: Any, charlie: Any
) -> None:
    foreign = make_track(business_b, charlie, "Theirs")
    response = as_alice.post(
        f"/businesses/{business_a.id}/tracks", body(prerequisite_ids=[str(foreign.id)])
    )
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "prerequisite_ids"
    assert not Track.objects.filter(business=business_a).exists()


def test_track_names_are_unique_per_business(as_alice: Any, business_a: Any, track: Any) -> None:
    response = as_alice.post(f"/businesses/{business_a.id}/tracks", body(name="fundamentals"))
    assert_problem(response, 409, "track_name_taken")
    assert Track.objects.count() == 1


@pytest.mark.parametrize("who", ["bob", "reviewer"])
def test_agents_and_reviewers_cannot_create_tracks(request: Any, business_a: Any, who: str) -> None:
    user = request.getfixturevalue(who)
    response = api_as(user).post(f"/businesses/{business_a.id}/tracks", body())
    assert_problem(response, 403, "forbidden")
    assert not Track.objects.exists()


def test_another_tenant_cannot_create_tracks(as_charlie: Any, business_a: Any) -> None:
    assert_problem(as_charlie.post(f"/businesses/{business_a.id}/tracks", body()), 404, "not_found")
    assert not Track.objects.exists()


def test_members_list_tracks_in_order(as_bob: Any, business_a: Any, alice: Any, track: Any) -> None:
    second = make_track(business_a, alice, "Security", prerequisite_ids=[track.id])
    rows = as_bob.get(f"/businesses/{business_a.id}/tracks").body
    assert [r["id"] for r in rows] == [str(track.id), str(second.id)]
    assert rows[1]["prerequisite_ids"] == [str(track.id)]


def test_other_tenants_do_not_list_tracks(as_charlie: Any, business_a: Any, track: Any) -> None:
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/tracks"), 404, "not_found")


def test_listing_tracks_is_bounded(
    as_alice: Any, business_a: Any, alice: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        make_track(business_a, alice, f"Track {n}")
    with django_assert_max_num_queries(8):
        assert len(as_alice.get(f"/businesses/{business_a.id}/tracks").body) == 6


def test_a_member_reads_one_track(as_bob: Any, track: Any) -> None:
    response = as_bob.get(f"/tracks/{track.id}")
    assert response.status_code == 200
    assert response.body["name"] == "Fundamentals"


def test_a_track_of_another_business_is_404(as_charlie: Any, track: Any) -> None:
    assert_problem(as_charlie.get(f"/tracks/{track.id}"), 404, "not_found")
    assert_problem(as_charlie.get("/tracks/not-an-id"), 404, "not_found")


def test_owner_patches_only_what_is_sent(as_alice: Any, track: Any) -> None:
    response = as_alice.patch(
        f"/tracks/{track.id}",
        {
            "passing_score": 90,
            "badge": {"icon": "🔒"},
            "assessment": {"time_limit_minutes": 45},
            "min_level": "L1",
        },
    )
    assert response.status_code == 200, response.content
    track.refresh_from_db()
    assert track.passing_score == Decimal(90)
    assert (track.badge_name, track.badge_icon) == ("Fundamentals", "🔒")
    assert (track.question_count, track.time_limit_minutes) == (10, 45)
    assert track.min_level == "L1"
    cleared = as_alice.patch(f"/tracks/{track.id}", {"min_level": None}).body
    assert cleared["min_level"] is None


def test_patching_a_prerequisite_cycle_is_422_and_changes_nothing(
    as_alice: Any, business_a: Any, alice: Any, track: Any
) -> None:
    second = make_track(business_a, alice, "Advanced", prerequisite_ids=[track.id])
    third = make_track(business_a, alice, "Expert", prerequisite_ids=[second.id])
    response = as_alice.patch(
        f"/tracks/{track.id}", {"prerequisite_ids": [str(third.id)], "name": "Renamed"}
    )
    assert_problem(response, 422, "prerequisite_cycle")
    track.refresh_from_db()
    assert track.name == "Fundamentals"
    assert not track.prerequisites.exists()
    itself = as_alice.patch(f"/tracks/{track.id}", {"prerequisite_ids": [str(track.id)]})
    assert_problem(itself, 422, "prerequisite_cycle")


@pytest.mark.parametrize(
    "patch",
    [
        {"name": None},
        {"passing_score": 100.5},
        {"recertification_months": 0},
        {"badge": None},
        {"assessment": {"question_count": 0}},
        {"unknown": 1},
    ],
)
def test_invalid_patches_are_422(as_alice: Any, track: Any, patch: dict[str, Any]) -> None:
    assert_problem(as_alice.patch(f"/tracks/{track.id}", patch), 422, "validation_error")
    track.refresh_from_db()
    assert (track.name, track.passing_score, track.recertification_months) == (
        "Fundamentals",
        Decimal(80),
        12,
    )


def test_renaming_onto_another_track_is_409(
    as_alice: Any, business_a: Any, alice: Any, track: Any
) -> None:
    make_track(business_a, alice, "Security")
    assert_problem(
        as_alice.patch(f"/tracks/{track.id}", {"name": "SECURITY"}), 409, "track_name_taken"
    )


def test_agents_cannot_patch_tracks(as_bob: Any, track: Any) -> None:
    assert_problem(as_bob.patch(f"/tracks/{track.id}", {"name": "Mine"}), 403, "forbidden")
    track.refresh_from_db()
    assert track.name == "Fundamentals"


def test_another_tenant_cannot_patch_tracks(as_charlie: Any, track: Any) -> None:
    assert_problem(as_charlie.patch(f"/tracks/{track.id}", {"name": "Mine"}), 404, "not_found")
    track.refresh_from_db()
    assert track.name == "Fundamentals"
