"""The review queue page: rubric, answer, the platform's suggestion, grading and the decision
(PRODUCT.md §4–§5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.tests.factories import answer_all, essay, mc, submit
from refairn.certification.models import Certification
from refairn.programs.models import Business

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(as_bob: Any, track: Any, start: Any) -> dict[str, Any]:
    """Bob's attempt of two multiple choice questions and a 2-point scenario, awaiting review."""
    mc(track, "First")
    mc(track, "Second")
    essay(track, "A customer disputes a charge.")
    track.question_count = 3
    track.save(update_fields=["question_count"])
    attempt = start()
    answer_all(as_bob, attempt)
    assert submit(as_bob, attempt).body["status"] == "awaiting_manual_review"
    return attempt


def scenario_id(attempt: dict[str, Any]) -> str:
    return next(q["id"] for q in attempt["questions"] if q["type"] == "scenario")


def queue(business: Business) -> str:
    return f"/b/{business.id}/reviews/"


def test_the_queue_shows_answer_rubric_and_a_labelled_suggestion(
    diana: User, business_a: Business, submitted: Any
) -> None:
    response = client_for(diana).get(queue(business_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "I would escalate it to the billing team at once." in body
    assert "SECRET-RUBRIC" in body
    assert "Platform suggestion, not a grade:" in body
    assert "Bob Agent" in body and "Product Fundamentals" in body
    assert 'name="g-' in body and "decision" in body


def test_grading_and_passing(diana: User, business_a: Business, submitted: Any) -> None:
    prefix = f"g-{submitted['id']}"
    qid = scenario_id(submitted)
    data = {
        f"{prefix}-points_{qid}": "2",
        f"{prefix}-feedback_{qid}": "Well escalated.",
        f"{prefix}-decision": "pass",
    }
    response = client_for(diana).post(f"{queue(business_a)}{submitted['id']}/grade/", data)
    assert response.status_code == 302
    item = AttemptQuestion.objects.get(attempt_id=submitted["id"], question_id=qid)
    assert (item.points_awarded, item.feedback) == (2, "Well escalated.")
    assert Certification.objects.get().status == "passed"


def test_points_above_the_maximum_are_refused_and_nothing_saved(
    diana: User, business_a: Business, submitted: Any
) -> None:
    prefix = f"g-{submitted['id']}"
    qid = scenario_id(submitted)
    response = client_for(diana).post(
        f"{queue(business_a)}{submitted['id']}/grade/", {f"{prefix}-points_{qid}": "3"}
    )
    assert response.status_code == 422
    [row] = response.context["reviews"]
    assert f"points_{qid}" in row["form"].errors
    assert AttemptQuestion.objects.get(question_id=qid).points_awarded is None


def test_deciding_before_grading_is_a_form_error(
    diana: User, business_a: Business, submitted: Any
) -> None:
    prefix = f"g-{submitted['id']}"
    response = client_for(diana).post(
        f"{queue(business_a)}{submitted['id']}/grade/", {f"{prefix}-decision": "fail"}
    )
    assert response.status_code == 409
    [row] = response.context["reviews"]
    assert "Grade every" in row["form"].non_field_errors()[0]
    assert Attempt.objects.get(pk=submitted["id"]).outcome == "awaiting_manual_review"


def test_the_full_attempt_page(diana: User, business_a: Business, submitted: Any) -> None:
    response = client_for(diana).get(f"{queue(business_a)}{submitted['id']}/")
    assert response.status_code == 200
    assert "(correct)" in response.content.decode()


def test_agents_may_not_open_the_queue(bob: User, business_a: Business, submitted: Any) -> None:
    client = client_for(bob)
    assert client.get(queue(business_a)).status_code == 403
    response = client.post(f"{queue(business_a)}{submitted['id']}/grade/", {})
    assert response.status_code == 403


def test_other_tenants_get_404(
    charlie: User, business_b: Business, business_a: Business, submitted: Any
) -> None:
    client = client_for(charlie)
    assert client.get(queue(business_a)).status_code == 404
    prefix = f"g-{submitted['id']}"
    qid = scenario_id(submitted)
    response = client.post(
        f"{queue(business_b)}{submitted['id']}/grade/", {f"{prefix}-points_{qid}": "2"}
    )
    assert response.status_code == 404
    assert AttemptQuestion.objects.get(question_id=qid).points_awarded is None
