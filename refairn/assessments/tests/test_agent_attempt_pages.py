"""The agent's assessment pages: start from the certification page, answer under the server's
deadline, submit, read the result."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.services import GradeSpec
from refairn.assessments.tests.factories import right_choice
from refairn.certification.models import Certification
from refairn.certification.services import attempt_grade
from refairn.core import clock
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import actor_for
from refairn.training.tests.pathway import (
    Pathway,
    build_pathway,
    complete_training,
    right_choice_ids,
)
from tests.support import T0, make_user, set_support_access

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pathway(alice: User, bob: User, business_a: Business) -> Pathway:
    """Bob has requested support access and finished the training."""
    pathway = build_pathway(alice, business_a, time_limit_minutes=15)
    set_support_access(bob, "requested", business=business_a)
    complete_training(bob, business_a, pathway)
    return pathway


@pytest.fixture
def bob_client(bob: User) -> Client:
    return client_for(bob)


def start_url(business: Business, pathway: Pathway) -> str:
    return f"/b/{business.id}/tracks/{pathway.track.id}/assessment/start/"


def attempt_url(attempt: Attempt, action: str = "") -> str:
    return f"/b/{attempt.business_id}/attempts/{attempt.id}/{action + '/' if action else ''}"


def started(client: Client, business: Business, pathway: Pathway) -> Attempt:
    response = client.post(start_url(business, pathway))
    assert response.status_code == 302, response.content
    attempt = Attempt.objects.get()
    assert response["Location"] == attempt_url(attempt)
    return attempt


def answer(client: Client, attempt: Attempt, question: Any, **data: Any) -> Any:
    return client.post(attempt_url(attempt, f"answers/{question.id}"), data, HTTP_HX_REQUEST="true")


def answer_all_right(client: Client, attempt: Attempt, pathway: Pathway) -> None:
    for question in pathway.questions:
        if question.type == "multiple_choice":
            answer(client, attempt, question, choice_ids=right_choice(str(question.id), attempt.id))
        else:
            answer(client, attempt, question, text="I escalate it to the billing team.")


def test_take_assessment_starts_an_attempt_and_opens_its_page(
    bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    response = bob_client.get(attempt_url(attempt))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Assessment: Product Fundamentals" in html
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in html
    assert f'data-now="{T0.isoformat()}"' in html
    assert 'role="timer">15:00<' in html
    for question in pathway.questions:
        assert question.prompt in html
    assert 'type="radio" name="choice_ids"' in html  # one correct choice each
    assert '<textarea id="text-' in html
    # Never answers, feedback or rubrics (PRODUCT.md §4).
    assert "billing team" not in html
    assert '"correct"' not in html


def test_starting_again_returns_to_the_open_attempt(
    bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    response = bob_client.post(start_url(business_a, pathway))
    assert response.status_code == 302
    assert response["Location"] == attempt_url(attempt)
    assert Attempt.objects.count() == 1


def test_a_refused_start_goes_back_with_the_reason_and_creates_nothing(
    alice: User, business_a: Business
) -> None:
    pathway = build_pathway(alice, business_a)
    agent = make_user("ann@a.test")
    Agent.objects.create(business=business_a, user=agent, status="approved")
    set_support_access(agent, "requested", business=business_a)
    response = client_for(agent).post(start_url(business_a, pathway), follow=True)
    assert response.redirect_chain[-1][0] == f"/b/{business_a.id}/certification/"
    assert "Complete every required module of the track first." in response.content.decode()
    assert not Attempt.objects.exists()


def test_staff_and_other_businesses_cannot_start(
    alice: User, charlie: User, business_a: Business, business_b: Business, pathway: Pathway
) -> None:
    assert client_for(alice).post(start_url(business_a, pathway)).status_code == 403
    assert client_for(charlie).post(start_url(business_a, pathway)).status_code == 404
    assert not Attempt.objects.exists()


def test_answers_are_saved_one_by_one(
    bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    question = pathway.questions[0]
    response = answer(
        bob_client, attempt, question, choice_ids=right_choice(str(question.id), attempt.id)
    )
    assert response.status_code == 200
    assert "✓ Saved at 09:00:00 UTC" in response.content.decode()
    item = AttemptQuestion.objects.get(attempt=attempt, question=question)
    assert item.answer_choice_ids == right_choice_ids(question)
    written = pathway.questions[2]
    answer(bob_client, attempt, written, text="The billing team.")
    assert AttemptQuestion.objects.get(attempt=attempt, question=written).answer_text == (
        "The billing team."
    )
    # The page shows what was saved after a reload.
    html = bob_client.get(attempt_url(attempt)).content.decode()
    assert "The billing team.</textarea>" in html
    assert " checked" in html


def test_an_invalid_answer_is_refused_and_nothing_saved(
    bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    question = pathway.questions[0]
    response = answer(bob_client, attempt, question, choice_ids=["zz"])
    assert response.status_code == 422
    assert "unknown choice ids: zz" in response.content.decode()
    response = answer(bob_client, attempt, question, text="Enterprise")
    assert response.status_code == 422
    assert AttemptQuestion.objects.get(attempt=attempt, question=question).answered_at is None


def test_after_the_deadline_answers_are_refused_and_the_page_says_time_is_over(
    bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    question = pathway.questions[0]
    with clock.frozen(attempt.deadline + timedelta(seconds=1)):
        response = answer(
            bob_client, attempt, question, choice_ids=right_choice(str(question.id), attempt.id)
        )
        assert response.status_code == 409
        assert "Time is over: this answer was not saved." in response.content.decode()
        assert response["HX-Trigger"] == "attempt-closed"
        page = bob_client.get(attempt_url(attempt))
    assert AttemptQuestion.objects.get(attempt=attempt, question=question).answered_at is None
    # Past its deadline the attempt is handed in at once: its page is the result.
    assert page.status_code == 302
    assert page["Location"] == attempt_url(attempt, "result")
    assert Attempt.objects.get(pk=attempt.pk).auto_submitted is True


def test_without_htmx_an_answer_returns_to_the_question(
    bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    question = pathway.questions[1]
    response = bob_client.post(
        attempt_url(attempt, f"answers/{question.id}"),
        {"choice_ids": right_choice(str(question.id), attempt.id)},
    )
    assert response.status_code == 302
    assert response["Location"] == attempt_url(attempt) + f"#q-{question.id}"


def test_submitting_a_multiple_choice_attempt_shows_the_result_at_once(
    alice: User, bob: User, business_a: Business
) -> None:
    pathway = build_pathway(alice, business_a, with_written_question=False)
    set_support_access(bob, "requested", business=business_a)
    complete_training(bob, business_a, pathway)
    client = client_for(bob)
    attempt = started(client, business_a, pathway)
    first, second = pathway.questions
    answer(client, attempt, first, choice_ids=right_choice(str(first.id), attempt.id))
    answer(client, attempt, second, choice_ids=right_choice(str(second.id), attempt.id))
    response = client.post(attempt_url(attempt, "submit"))
    assert response["Location"] == attempt_url(attempt, "result")
    html = client.get(attempt_url(attempt, "result")).content.decode()
    assert "Passed" in html
    assert "100%" in html
    assert html.count("✓ Correct") == 2
    assert "You passed; the business will confirm your certification." in html
    # The attempt's page now leads to the result.
    assert client.get(attempt_url(attempt))["Location"] == attempt_url(attempt, "result")


def test_a_written_answer_waits_for_review_then_shows_feedback(
    alice: User, bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    answer_all_right(bob_client, attempt, pathway)
    bob_client.post(attempt_url(attempt, "submit"))
    html = bob_client.get(attempt_url(attempt, "result")).content.decode()
    assert "Awaiting manual review" in html
    assert "Awaiting review: a reviewer grades the written answers" in html
    assert "✓ Correct" not in html
    attempt_grade(
        actor=actor_for(alice, business_a.id),
        attempt=attempt,
        grades=[GradeSpec(pathway.questions[2].id, Decimal(1), "Spot on.")],
        decision=None,
    )
    html = bob_client.get(attempt_url(attempt, "result")).content.decode()
    assert "Passed" in html
    assert "Feedback:</strong> Spot on." in html
    assert Certification.objects.get(agent__email="bob@a.test").status == "passed"


def test_submitting_twice_explains_and_keeps_the_result(
    bob_client: Client, business_a: Business, pathway: Pathway
) -> None:
    attempt = started(bob_client, business_a, pathway)
    bob_client.post(attempt_url(attempt, "submit"))
    submitted_at = Attempt.objects.get().submitted_at
    response = bob_client.post(attempt_url(attempt, "submit"), follow=True)
    assert "The attempt is closed" in response.content.decode()
    assert Attempt.objects.get().submitted_at == submitted_at


def test_another_agent_or_business_cannot_see_the_attempt(
    alice: User,
    charlie: User,
    bob_client: Client,
    business_a: Business,
    business_b: Business,
    pathway: Pathway,
) -> None:
    attempt = started(bob_client, business_a, pathway)
    other = make_user("olga@a.test")
    Agent.objects.create(business=business_a, user=other, status="approved")
    question = pathway.questions[0]
    for client, expected in ((client_for(other), 404), (client_for(charlie), 404)):
        assert client.get(attempt_url(attempt)).status_code == expected
        assert client.get(attempt_url(attempt, "result")).status_code == expected
        assert client.post(attempt_url(attempt, "submit")).status_code == expected
        response = answer(
            client, attempt, question, choice_ids=right_choice(str(question.id), attempt.id)
        )
        assert response.status_code == expected
    # Staff review attempts on their own pages, not through the agent's.
    assert client_for(alice).get(attempt_url(attempt)).status_code == 403
    assert Attempt.objects.get().state == Attempt.State.IN_PROGRESS
    assert AttemptQuestion.objects.filter(answered_at__isnull=False).count() == 0


def test_the_deadline_and_saves_read_in_the_agents_zone(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    """Issue 12 item 7: the visible times follow the agent's zone; the countdown keeps the
    instants (ISO 8601 with their offset), which no zone changes."""
    bob.time_zone = "America/New_York"
    bob.save(update_fields=["time_zone"])
    client = client_for(bob)
    attempt = started(client, business_a, pathway)
    html = client.get(attempt_url(attempt)).content.decode()
    assert "closes this attempt at 04:15:00 EST)" in html
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in html
    assert attempt.deadline.isoformat() == "2026-11-02T09:15:00+00:00"
    question = pathway.questions[0]
    saved = answer(client, attempt, question, choice_ids=right_choice(str(question.id), attempt.id))
    assert "✓ Saved at 04:00:00 EST" in saved.content.decode()

    bob.time_zone = "Europe/Berlin"
    bob.save(update_fields=["time_zone"])
    html = client.get(attempt_url(attempt)).content.decode()
    assert "closes this attempt at 10:15:00 CET)" in html
    assert "✓ Saved at 10:00:00 CET" in html
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in html
    assert "UTC" not in html
