"""The assessment pages as issue 12 item 8 asks: radio buttons for single-answer questions, a
confirm step before the final submit, the short answer's hint saying how it is graded, and a
link to the assessment once training is complete."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Attempt
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import actor_for
from refairn.training.services import module_download
from refairn.training.tests.pathway import Pathway, build_pathway, complete_training
from tests.support import make_user, set_support_access

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pathway(alice: User, bob: User, business_a: Business) -> Pathway:
    pathway = build_pathway(alice, business_a)
    set_support_access(bob, "requested", business=business_a)
    complete_training(bob, business_a, pathway)
    return pathway


def start(client: Client, business: Business, pathway: Pathway) -> Attempt:
    url = f"/b/{business.id}/tracks/{pathway.track.id}/assessment/start/"
    assert client.post(url).status_code == 302
    return Attempt.objects.get()


def attempt_url(attempt: Attempt, action: str = "") -> str:
    return f"/b/{attempt.business_id}/attempts/{attempt.id}/{action + '/' if action else ''}"


def test_a_single_answer_question_uses_radio_buttons_and_a_multi_answer_one_checkboxes(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    multi = pathway.questions[1]
    multi.choices = [{**c, "correct": True} if i < 2 else c for i, c in enumerate(multi.choices)]
    multi.save(update_fields=["choices"])
    client = client_for(bob)
    attempt = start(client, business_a, pathway)
    questions = {q["id"]: q for q in client.get(attempt_url(attempt)).context["questions"]}
    assert questions[pathway.questions[0].id]["single_answer"] is True
    assert questions[multi.id]["single_answer"] is False
    html = client.get(attempt_url(attempt)).content.decode()
    assert html.count('type="radio" name="choice_ids"') == len(pathway.questions[0].choices)
    assert html.count('type="checkbox" name="choice_ids"') == len(multi.choices)
    assert "Select one answer." in html and "Select every correct answer." in html
    assert '"correct"' not in html  # still no answer key on the page


def test_the_short_answer_hint_says_it_is_not_graded_automatically(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    client = client_for(bob)
    attempt = start(client, business_a, pathway)
    html = client.get(attempt_url(attempt)).content.decode()
    assert "Not graded automatically: a reviewer grades it" in html


def test_submitting_asks_first_and_names_the_unanswered_questions(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    client = client_for(bob)
    attempt = start(client, business_a, pathway)
    take = client.get(attempt_url(attempt)).content.decode()
    assert f'href="{attempt_url(attempt, "submit")}"' in take
    confirm = client.get(attempt_url(attempt, "submit"))
    assert confirm.status_code == 200
    assert len(confirm.context["unanswered"]) == len(pathway.questions)
    assert "3 of 3 questions are unanswered" in confirm.content.decode()
    assert "<script>" not in confirm.content.decode()
    assert Attempt.objects.get().state == Attempt.State.IN_PROGRESS
    assert client.post(attempt_url(attempt, "submit")).status_code == 302
    assert Attempt.objects.get().state != Attempt.State.IN_PROGRESS
    # A handed-in attempt has nothing left to confirm: its result.
    again = client.get(attempt_url(attempt, "submit"))
    assert again["Location"] == attempt_url(attempt, "result")


def test_another_agent_cannot_open_the_confirm_step(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    attempt = start(client_for(bob), business_a, pathway)
    other = make_user("ann@a.test")
    Agent.objects.create(business=business_a, user=other, status="approved")
    assert client_for(other).get(attempt_url(attempt, "submit")).status_code == 404


def test_completing_training_links_to_the_assessment(alice: User, business_a: Business) -> None:
    pathway = build_pathway(alice, business_a)
    agent = make_user("ann@a.test")
    Agent.objects.create(business=business_a, user=agent, status="approved")
    set_support_access(agent, "requested", business=business_a)
    client = client_for(agent)
    module_url = f"/b/{business_a.id}/training/modules/{pathway.pdf.id}/"
    module_download(actor=actor_for(agent, business_a.id), module=pathway.pdf)
    page: Any = client.get(module_url)
    assert page.status_code == 200, page.content
    assert "take the assessment" not in page.content.decode()
    complete_training(agent, business_a, pathway)
    html = client.get(module_url).content.decode()
    assert "Training for this track is complete" in html
    assert f'href="/b/{business_a.id}/certification/">take the assessment' in html
