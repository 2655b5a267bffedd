"""Issue 11 item 4: once its deadline passes, an attempt reads as submitted on every read and
action (auto-submitted as of its deadline with what was saved), without waiting for the
five-minute sweep; answering after it is 409 ``attempt_closed``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Attempt
from refairn.assessments.tests.factories import essay, right_choice
from refairn.core import clock
from refairn.training.models import Track
from tests.support import T0, ApiClient, assert_problem

pytestmark = pytest.mark.django_db

DEADLINE = T0 + timedelta(minutes=30)
MINUTE_AFTER = DEADLINE + timedelta(minutes=1)


def answer_first(client: ApiClient, attempt: Any) -> Any:
    question = attempt["questions"][0]
    body = {"choice_ids": right_choice(question["id"], attempt["id"])}
    return client.put(f"/attempts/{attempt['id']}/answers/{question['id']}", body)


def test_at_the_deadline_minute_the_attempt_is_still_open(
    as_bob: ApiClient, bank: Any, start: Any
) -> None:
    attempt = start()

    with clock.frozen(DEADLINE):
        saved = answer_first(as_bob, attempt)
        view = as_bob.get(f"/attempts/{attempt['id']}").body

    assert saved.status_code == 200, saved.body
    assert (view["status"], view["submitted_at"]) == ("in_progress", None)


def test_the_minute_after_it_reads_as_auto_submitted_with_what_was_saved(
    as_bob: ApiClient, bank: Any, start: Any
) -> None:
    attempt = start()
    answer_first(as_bob, attempt)

    with clock.frozen(MINUTE_AFTER):
        view = as_bob.get(f"/attempts/{attempt['id']}").body

    assert view["status"] == "failed"
    assert view["auto_submitted"] is True
    assert view["submitted_at"] == "2026-11-02T09:30:00Z"
    assert view["score"] == 25.0
    assert view["certification_status"] == "failed"


def test_answering_the_minute_after_is_closed_and_hands_the_attempt_in(
    as_bob: ApiClient, bank: Any, start: Any
) -> None:
    attempt = start()

    with clock.frozen(MINUTE_AFTER):
        response = answer_first(as_bob, attempt)

    assert_problem(response, 409, "attempt_closed")
    stored = Attempt.objects.get(pk=attempt["id"])
    assert (stored.state, stored.auto_submitted, stored.submitted_at) == (
        "graded",
        True,
        DEADLINE,
    )


def test_the_agents_certifications_read_the_result_at_once(
    as_bob: ApiClient, bank: Any, start: Any, business_a: Any
) -> None:
    start()

    with clock.frozen(MINUTE_AFTER):
        rows = as_bob.get(f"/businesses/{business_a.id}/certifications/me").body

    assert [r["status"] for r in rows] == ["failed"]


def test_the_review_queue_lists_an_overdue_attempt_at_once(
    as_bob: ApiClient, as_alice: ApiClient, track: Track, start: Any, business_a: Any
) -> None:
    essay(track, "A customer disputes a charge. What do you do?")
    track.question_count = 1
    track.save(update_fields=["question_count"])
    attempt = start()

    with clock.frozen(DEADLINE):
        assert as_alice.get(f"/businesses/{business_a.id}/reviews").body == []
    with clock.frozen(MINUTE_AFTER):
        queue = as_alice.get(f"/businesses/{business_a.id}/reviews").body

    assert [(r["attempt_id"], r["auto_submitted"]) for r in queue] == [(attempt["id"], True)]


def test_the_attempt_page_the_minute_after_shows_the_result(
    bob: User, bank: Any, start: Any, business_a: Any
) -> None:
    attempt = start()
    client = Client()
    client.force_login(bob)
    page = f"/b/{business_a.id}/attempts/{attempt['id']}/"

    with clock.frozen(DEADLINE):
        assert client.get(page).status_code == 200
    with clock.frozen(MINUTE_AFTER):
        response = client.get(page)
        result = client.get(f"{page}result/")

    assert response.status_code == 302
    assert response["Location"] == f"{page}result/"
    assert result.status_code == 200
    assert Attempt.objects.get(pk=attempt["id"]).auto_submitted is True
