"""The issue's "done when": an agent goes from ``not_started`` to ``certified`` through the API
alone, and the attempt errors that come from the certification rules reach the client."""

from datetime import timedelta
from typing import Any

import pytest

from refairn.assessments.models import Question
from refairn.core import clock
from tests.support import T0, assert_problem

pytestmark = pytest.mark.django_db


def question(track_id: str, business_id: str, n: int) -> None:
    Question.objects.create(
        business_id=business_id,
        track_id=track_id,
        type="multiple_choice",
        prompt=f"Question {n}",
        choices=[
            {"id": "a", "text": "Right", "correct": True},
            {"id": "b", "text": "Wrong", "correct": False},
        ],
    )


def new_track(client: Any, business: Any, name: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "requirement": "required",
        "passing_score": 80,
        "recertification_months": 12,
        "assessment": {"mode": "fixed", "question_count": 2, "time_limit_minutes": 20},
        **fields,
    }
    created = client.post(f"/businesses/{business.id}/tracks", body).body
    for n in range(2):
        question(created["id"], str(business.id), n)
    return created


def take(client: Any, track_id: str, *, right: bool) -> Any:
    started = client.post(f"/tracks/{track_id}/attempts")
    assert started.status_code == 201, started.content
    attempt = started.body
    for item in attempt["questions"]:
        wanted = "Right" if right else "Wrong"
        choice = next(c["id"] for c in item["choices"] if c["text"] == wanted)
        client.put(f"/attempts/{attempt['id']}/answers/{item['id']}", {"choice_ids": [choice]})
    return client.post(f"/attempts/{attempt['id']}/submit")


def my_status(client: Any, business: Any, name: str) -> dict[str, Any]:
    rows = client.get(f"/businesses/{business.id}/certifications/me").body
    return next(r for r in rows if r["track_name"] == name)


def test_from_not_started_to_certified_through_the_api(
    as_alice: Any, as_bob: Any, bob: Any, business_a: Any
) -> None:
    track = new_track(as_alice, business_a, "Fundamentals")
    assert my_status(as_bob, business_a, "Fundamentals")["blocked_reason"] == "no_training_access"
    assert_problem(as_bob.post(f"/tracks/{track['id']}/attempts"), 403, "no_training_access")

    assert as_bob.post(f"/businesses/{business_a.id}/support-access/request").status_code == 201
    assert my_status(as_bob, business_a, "Fundamentals")["assessment_available"] is True
    submitted = take(as_bob, track["id"], right=True)
    assert submitted.status_code == 200, submitted.content
    assert submitted.body["certification_status"] == "passed"

    url = f"/businesses/{business_a.id}/agents/{bob.id}/certifications/{track['id']}"
    assert as_alice.post(f"{url}/approve").body["status"] == "certified"
    mine = my_status(as_bob, business_a, "Fundamentals")
    assert (mine["status"], mine["expires_at"]) == ("certified", "2027-11-02T09:00:00Z")
    access = as_alice.get(f"/businesses/{business_a.id}/agents").body[0]["support_access"]
    assert access == "active"


def test_attempt_errors_from_the_certification_rules(
    as_alice: Any, as_bob: Any, business_a: Any
) -> None:
    as_alice.patch(
        f"/businesses/{business_a.id}/settings",
        {"training_access": "automatic", "max_attempts": 2, "retry_period_days": 7},
    )
    base = new_track(as_alice, business_a, "Fundamentals")
    advanced = new_track(as_alice, business_a, "Advanced", prerequisite_ids=[base["id"]])
    assert_problem(as_bob.post(f"/tracks/{advanced['id']}/attempts"), 409, "prerequisite_missing")

    assert take(as_bob, base["id"], right=False).body["certification_status"] == "failed"
    retry = as_bob.post(f"/tracks/{base['id']}/attempts")
    assert_problem(retry, 409, "retry_period_active")
    assert retry.body["next_attempt_at"] == (T0 + timedelta(days=7)).isoformat()

    with clock.frozen(T0 + timedelta(days=7)):
        assert take(as_bob, base["id"], right=False).body["certification_status"] == "failed"
    with clock.frozen(T0 + timedelta(days=14)):
        assert_problem(as_bob.post(f"/tracks/{base['id']}/attempts"), 409, "max_attempts_reached")
        row = my_status(as_bob, business_a, "Fundamentals")
        assert (row["attempts_used"], row["max_attempts"]) == (2, 2)
