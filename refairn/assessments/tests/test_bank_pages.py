"""A track's question bank page: writing, importing, exporting and retiring questions
(PRODUCT.md §4)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from refairn.accounts.models import User
from refairn.assessments.models import Question
from refairn.programs.models import Business
from refairn.training.models import Track
from refairn.training.tests.modules import make_track

pytestmark = pytest.mark.django_db

GIFT = """::Greeting::How do you greet a customer? {
=Hello, how can I help?
~Yo
}

What does SLA stand for? {=service level agreement =service-level agreement}
"""


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(alice: User, business_a: Business) -> Client:
    return client_for(alice)


@pytest.fixture
def track(business_a: Business) -> Track:
    return make_track(business_a)


def track_url(track: Track, rest: str = "") -> str:
    return f"/b/{track.business_id}/tracks/{track.id}/{rest}"


def test_the_bank_page_shows_the_questions_and_every_form(owner: Client, track: Track) -> None:
    owner.post(track_url(track, "questions/import/"), {"text": GIFT})
    response = owner.get(track_url(track, "questions/"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "How do you greet a customer?" in body
    assert "Import questions (Moodle GIFT)" in body
    assert "Download the bank as GIFT" in body


def test_a_bank_smaller_than_an_attempt_says_agents_cannot_start(
    owner: Client, track: Track
) -> None:
    track.question_count = 3
    track.save(update_fields=["question_count"])
    owner.post(track_url(track, "questions/import/"), {"text": GIFT})  # two questions
    body = owner.get(track_url(track, "questions/")).content.decode()
    assert "Agents cannot start the assessment yet: add 1 more question," in body

    track.question_count = 2
    track.save(update_fields=["question_count"])
    assert "cannot start" not in owner.get(track_url(track, "questions/")).content.decode()


def test_security_staff_may_not_open_the_bank(security_officer: User, track: Track) -> None:
    response = client_for(security_officer).get(track_url(track, "questions/"))
    assert response.status_code == 403


def test_another_business_gets_404(charlie: User, business_b: Business, track: Track) -> None:
    response = client_for(charlie).get(track_url(track, "questions/"))
    assert response.status_code == 404


def test_a_multiple_choice_question(owner: Client, track: Track) -> None:
    data = {
        "type": "multiple_choice",
        "prompt": "Who handles refunds?",
        "choices": "The agent || No: refunds must be escalated\n* The business",
        "points": "2",
        "critical": "on",
        "topic": "Escalation",
    }
    response = owner.post(track_url(track, "questions/"), data)
    assert response.status_code == 302
    question = Question.objects.get(track=track)
    assert question.critical and question.points == 2
    assert question.choices == [
        {
            "id": "a",
            "text": "The agent",
            "correct": False,
            "feedback": "No: refunds must be escalated",
        },
        {"id": "b", "text": "The business", "correct": True, "feedback": ""},
    ]


def test_a_short_answer_lists_its_accepted_answers(owner: Client, track: Track) -> None:
    data = {"type": "short_answer", "prompt": "SLA means?", "choices": "service level agreement"}
    owner.post(track_url(track, "questions/"), data | {"points": "1"})
    assert Question.objects.get().choices[0]["correct"] is True


def test_a_question_without_a_correct_choice_is_refused(owner: Client, track: Track) -> None:
    data = {"type": "multiple_choice", "prompt": "Q?", "choices": "a\nb", "points": "1"}
    response = owner.post(track_url(track, "questions/"), data)
    assert response.status_code == 422
    assert "at least one correct" in response.context["question_form"].errors["choices"][0]
    assert not Question.objects.exists()


def test_importing_gift_text(owner: Client, track: Track) -> None:
    response = owner.post(track_url(track, "questions/import/"), {"text": GIFT}, follow=True)
    assert b"2 questions imported" in response.content
    assert Question.objects.filter(track=track).count() == 2


def test_importing_a_gift_file(owner: Client, track: Track) -> None:
    upload = SimpleUploadedFile("bank.gift", GIFT.encode(), content_type="text/plain")
    owner.post(track_url(track, "questions/import/"), {"file": upload})
    assert Question.objects.filter(track=track).count() == 2


def test_a_gift_error_names_its_line_and_imports_nothing(owner: Client, track: Track) -> None:
    broken = GIFT + "\nWhat is broken? {=yes\n"
    response = owner.post(track_url(track, "questions/import/"), {"text": broken})
    assert response.status_code == 422
    message = response.context["import_form"].errors["text"][0]
    assert message.startswith("line 8")
    assert not Question.objects.exists()


def test_an_empty_import_form_says_what_is_missing(owner: Client, track: Track) -> None:
    response = owner.post(track_url(track, "questions/import/"), {"text": ""})
    assert response.status_code == 422
    assert "Paste GIFT text" in response.content.decode()


def test_exporting_the_bank_as_gift(owner: Client, track: Track) -> None:
    owner.post(track_url(track, "questions/import/"), {"text": GIFT})
    response = owner.get(track_url(track, "questions/export/"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    assert "::Greeting::" in response.content.decode()


def test_retiring_a_question(owner: Client, track: Track) -> None:
    owner.post(track_url(track, "questions/import/"), {"text": GIFT})
    question = Question.objects.first()
    assert question is not None
    owner.post(track_url(track, f"questions/{question.id}/retire/"))
    question.refresh_from_db()
    assert question.active is False


def test_a_reviewer_sees_the_bank_but_may_not_change_it(reviewer: User, track: Track) -> None:
    client = client_for(reviewer)
    page = client.get(track_url(track, "questions/"))
    assert page.status_code == 200
    assert page.context["questions"] == []
    response = client.post(track_url(track, "questions/import/"), {"text": GIFT})
    assert response.status_code == 403
    assert not Question.objects.exists()
