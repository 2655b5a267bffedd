"""Issue 11 item 5: an assessment keeps its mix ("40 questions + 5 practical exercises"):
``assessment.composition`` sums to the question count, the bank holds enough of each type, and
every attempt draws exactly that mix."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Question
from refairn.assessments.tests.factories import essay, mc
from refairn.programs.models import Agent, Business
from refairn.training.models import Track
from tests.support import ApiClient, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

MIX = [{"type": "multiple_choice", "count": 3}, {"type": "practical", "count": 1}]


@pytest.fixture
def mixed_bank(track: Track) -> list[Question]:
    questions = [mc(track, f"Choice {n}") for n in range(6)]
    questions += [essay(track, f"Exercise {n}", type="practical") for n in range(2)]
    return questions


def set_mix(client: ApiClient, track: Track, composition: Any, **assessment: Any) -> Any:
    body = {"assessment": {"composition": composition, **assessment}}
    return client.patch(f"/tracks/{track.id}", body)


def test_every_attempt_draws_exactly_the_mix(
    as_alice: ApiClient, track: Track, mixed_bank: Any, business_a: Business
) -> None:
    response = set_mix(as_alice, track, MIX)
    assert response.status_code == 200, response.body
    assert response.body["assessment"]["composition"] == MIX
    assert as_alice.get(f"/tracks/{track.id}").body["assessment"]["composition"] == MIX

    for n in range(8):
        user = make_user(f"agent{n}@a.test")
        Agent.objects.create(business=business_a, user=user, status="approved")
        attempt = api_as(user).post(f"/tracks/{track.id}/attempts").body
        drawn = Counter(q["type"] for q in attempt["questions"])
        assert drawn == {"multiple_choice": 3, "practical": 1}


def test_counts_must_sum_to_the_question_count(
    as_alice: ApiClient, track: Track, mixed_bank: Any
) -> None:
    response = set_mix(as_alice, track, [{"type": "multiple_choice", "count": 3}])

    assert_problem(response, 422, "invalid_composition")
    assert "sum to 3, not to question_count (4)" in response.body["detail"]
    assert Track.objects.get(pk=track.pk).composition == []


def test_a_question_count_that_breaks_the_mix_is_refused(
    as_alice: ApiClient, track: Track, mixed_bank: Any
) -> None:
    set_mix(as_alice, track, MIX)

    response = as_alice.patch(f"/tracks/{track.id}", {"assessment": {"question_count": 5}})

    assert_problem(response, 422, "invalid_composition")
    assert Track.objects.get(pk=track.pk).question_count == 4


def test_count_and_mix_change_together(as_alice: ApiClient, track: Track, mixed_bank: Any) -> None:
    mix = [{"type": "multiple_choice", "count": 4}, {"type": "practical", "count": 2}]

    response = set_mix(as_alice, track, mix, question_count=6)

    assert response.status_code == 200, response.body
    assert response.body["assessment"]["question_count"] == 6


def test_a_bank_short_of_a_type_is_refused_naming_it(
    as_alice: ApiClient, track: Track, mixed_bank: Any
) -> None:
    mix = [{"type": "multiple_choice", "count": 1}, {"type": "practical", "count": 3}]

    response = set_mix(as_alice, track, mix)

    assert_problem(response, 422, "question_bank_too_small")
    (error,) = response.body["errors"]
    assert error["field"] == "assessment.composition"
    assert "2 active practical questions" in error["message"]
    assert Track.objects.get(pk=track.pk).composition == []


def test_a_retired_question_leaves_the_attempt_unable_to_start_naming_the_type(
    as_alice: ApiClient, as_bob: ApiClient, track: Track, mixed_bank: Any
) -> None:
    mix = [{"type": "multiple_choice", "count": 2}, {"type": "practical", "count": 2}]
    assert set_mix(as_alice, track, mix).status_code == 200
    as_alice.delete(f"/questions/{mixed_bank[-1].id}")

    response = as_bob.post(f"/tracks/{track.id}/attempts")

    assert_problem(response, 409, "question_bank_too_small")
    assert (response.body["question_type"], response.body["available"]) == ("practical", 1)


@pytest.mark.parametrize(
    "composition",
    [
        [{"type": "essay", "count": 4}],
        [{"type": "multiple_choice", "count": 2}, {"type": "multiple_choice", "count": 2}],
    ],
)
def test_unknown_or_repeated_types_are_refused(
    as_alice: ApiClient, track: Track, mixed_bank: Any, composition: Any
) -> None:
    assert_problem(set_mix(as_alice, track, composition), 422, "invalid_composition")


def test_a_new_track_with_a_mix_needs_the_bank_first(
    as_alice: ApiClient, business_a: Business
) -> None:
    body = {
        "name": "Security",
        "requirement": "required",
        "passing_score": 80,
        "recertification_months": 12,
        "assessment": {
            "question_count": 2,
            "time_limit_minutes": 20,
            "composition": [{"type": "multiple_choice", "count": 2}],
        },
    }

    response = as_alice.post(f"/businesses/{business_a.id}/tracks", body)

    assert_problem(response, 422, "question_bank_too_small")
    assert not Track.objects.filter(name="Security").exists()


def test_only_the_programs_admins_set_the_mix(
    as_bob: ApiClient,
    as_charlie: ApiClient,
    reviewer: User,
    track: Track,
    mixed_bank: Any,
) -> None:
    assert_problem(set_mix(api_as(reviewer), track, MIX), 403, "forbidden")
    assert_problem(set_mix(as_bob, track, MIX), 403, "forbidden")
    assert_problem(set_mix(as_charlie, track, MIX), 404, "not_found")


# -- the staff track page ---------------------------------------------------------------------


def page(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def composition_url(track: Track) -> str:
    return f"/b/{track.business_id}/tracks/{track.id}/composition/"


def test_the_owner_sets_the_mix_on_the_track_page(
    alice: User, track: Track, mixed_bank: Any
) -> None:
    client = page(alice)

    response = client.post(
        composition_url(track), {"composition": "Multiple choice: 3\npractical: 1"}
    )

    assert response.status_code == 302
    assert Track.objects.get(pk=track.pk).composition == MIX
    html = client.get(f"/b/{track.business_id}/tracks/{track.id}/").content.decode()
    # Issue 12 item 9: the mix is read and written in words.
    assert "Every attempt draws exactly this mix: 3 multiple choice, 1 practical." in html
    assert "multiple choice: 3\npractical: 1</textarea>" in html


def test_the_track_page_names_the_type_the_bank_lacks(
    alice: User, track: Track, mixed_bank: Any
) -> None:
    response = page(alice).post(
        composition_url(track), {"composition": "multiple_choice: 1, practical: 3"}
    )

    assert response.status_code == 422
    assert "2 active practical questions" in response.content.decode()
    assert Track.objects.get(pk=track.pk).composition == []


def test_a_reviewer_may_not_set_the_mix_on_the_page(
    reviewer: User, track: Track, mixed_bank: Any
) -> None:
    response = page(reviewer).post(composition_url(track), {"composition": "practical: 4"})

    assert response.status_code == 403
    assert Track.objects.get(pk=track.pk).composition == []
