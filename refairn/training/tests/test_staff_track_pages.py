"""The business's track pages: the list, a new track, the template, and one track's modules
(PRODUCT.md §3)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business
from refairn.training.models import FaqItem, Module, TextSection, Track
from refairn.training.tests.modules import make_track

pytestmark = pytest.mark.django_db


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


def tracks_url(business: Business) -> str:
    return f"/b/{business.id}/tracks/"


def track_url(track: Track, rest: str = "") -> str:
    return f"/b/{track.business_id}/tracks/{track.id}/{rest}"


def track_form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Billing basics",
        "description": "Invoices and refunds.",
        "requirement": "required",
        "passing_score": "80",
        "recertification_months": "12",
        "assessment_mode": "fixed",
        "question_count": "10",
        "time_limit_minutes": "30",
    }
    data.update(changes)
    return data


# -- the track list --------------------------------------------------------------------------


def test_the_owner_sees_the_tracks_and_the_forms(owner: Client, track: Track) -> None:
    response = owner.get(tracks_url(track.business))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fundamentals" in body
    assert "Create the support-standard tracks" in body
    assert "Create track" in body


def test_optional_fields_say_so_and_required_ones_are_required(owner: Client, track: Track) -> None:
    body = owner.get(tracks_url(track.business)).content.decode()
    assert re.search(r'<label for="id_description">Description <span class="optional">', body)
    assert re.search(r'<label for="id_name">Name</label>', body)
    assert re.search(r'<input type="text" name="name"[^>]* required', body)


def test_a_reviewer_sees_the_tracks_without_the_forms(reviewer: User, track: Track) -> None:
    response = client_for(reviewer).get(tracks_url(track.business))
    assert response.status_code == 200
    assert b"Fundamentals" in response.content
    assert b"Create track" not in response.content


def test_agents_may_not_open_the_staff_track_list(bob: User, business_a: Business) -> None:
    assert client_for(bob).get(tracks_url(business_a)).status_code == 403


def test_another_business_gets_404(charlie: User, business_b: Business, track: Track) -> None:
    client = client_for(charlie)
    assert client.get(tracks_url(track.business)).status_code == 404
    assert client.get(track_url(track)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(business_a: Business) -> None:
    response = Client().get(tracks_url(business_a))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_creating_a_track_opens_its_page(owner: Client, business_a: Business) -> None:
    response = owner.post(tracks_url(business_a), track_form(badge_icon="💳"))
    track = Track.objects.get(business=business_a, name="Billing basics")
    assert response.status_code == 302
    assert response["Location"] == track_url(track)
    assert (track.badge_name, track.badge_icon, track.question_count) == (
        "Billing basics",
        "💳",
        10,
    )


def test_a_track_with_its_prerequisite(owner: Client, track: Track) -> None:
    owner.post(tracks_url(track.business), track_form(prerequisite_ids=[str(track.id)]))
    created = Track.objects.get(name="Billing basics")
    assert list(created.prerequisites.all()) == [track]


def test_an_invalid_track_is_shown_at_its_fields_and_not_created(
    owner: Client, business_a: Business
) -> None:
    response = owner.post(
        tracks_url(business_a), track_form(passing_score="150", recertification_months="0")
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"passing_score", "recertification_months"} <= errors.keys()
    assert not Track.objects.filter(business=business_a).exists()


def test_a_taken_name_is_shown_at_the_name(owner: Client, track: Track) -> None:
    response = owner.post(tracks_url(track.business), track_form(name="support fundamentals"))
    assert response.status_code == 409
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Track.objects.filter(business=track.business).count() == 1


def test_a_reviewer_may_not_create_a_track(reviewer: User, business_a: Business) -> None:
    response = client_for(reviewer).post(tracks_url(business_a), track_form())
    assert response.status_code == 403
    assert not Track.objects.exists()


def test_the_template_creates_the_six_tracks_once(owner: Client, business_a: Business) -> None:
    url = f"/b/{business_a.id}/tracks-template/"
    response = owner.post(url, follow=True)
    assert Track.objects.filter(business=business_a).count() == 6
    assert b"6 support-standard tracks created" in response.content
    again = owner.post(url, follow=True)
    assert b"already has" in again.content
    assert Track.objects.filter(business=business_a).count() == 6


# -- one track: modules --------------------------------------------------------------------


def module_data(fmt: str, **fields: Any) -> dict[str, Any]:
    return {f"{fmt}-{key}": value for key, value in fields.items()}


def rows(prefix: str, entries: list[dict[str, str]], total: int = 3) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }
    for index, entry in enumerate(entries):
        data |= {f"{prefix}-{index}-{key}": value for key, value in entry.items()}
    return data


def test_the_track_page_shows_modules_every_module_form_and_the_bank_link(
    owner: Client, track: Track
) -> None:
    response = owner.get(track_url(track))
    assert response.status_code == 200
    body = response.content.decode()
    for label in ("Video", "PDF document", "Text lesson", "Demo script", "FAQ"):
        assert f"<summary>{label}</summary>" in body
    assert f'href="/b/{track.business_id}/tracks/{track.id}/questions/"' in body


def test_a_video_module(owner: Client, track: Track) -> None:
    data = module_data(
        "video", title="Tour", required="on", duration_seconds="600", video_url="https://v.test/1"
    )
    response = owner.post(track_url(track, "modules/new/video/"), data)
    assert response.status_code == 302
    module = Module.objects.get(track=track)
    assert (module.format, module.duration_seconds, module.required) == ("video", 600, True)


def test_a_text_module_with_a_quiz_skips_blank_sections(owner: Client, track: Track) -> None:
    data = module_data("text", title="Basics") | rows(
        "text-sections",
        [
            {"title": "Hello", "body": "Say hello."},
            {
                "title": "Refunds",
                "body": "Escalate refunds.",
                "quiz_prompt": "Who handles refunds?",
                "quiz_choices": "The agent\n* The business",
            },
        ],
    )
    response = owner.post(track_url(track, "modules/new/text/"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    sections = list(TextSection.objects.filter(module__track=track))
    assert [s.title for s in sections] == ["Hello", "Refunds"]
    assert sections[1].quiz_choices == [
        {"text": "The agent", "correct": False},
        {"text": "The business", "correct": True},
    ]
    assert Module.objects.get(track=track).required is False  # the box was not ticked


def test_a_quiz_needs_exactly_one_correct_choice(owner: Client, track: Track) -> None:
    data = module_data("text", title="Basics") | rows(
        "text-sections",
        [{"title": "A", "body": "B", "quiz_prompt": "Q?", "quiz_choices": "*x\n*y"}],
    )
    response = owner.post(track_url(track, "modules/new/text/"), data)
    assert response.status_code == 422
    row = response.context["module_forms"][2][2].rows.forms[0]
    assert "exactly one correct" in row.errors["quiz_choices"][0]
    assert not Module.objects.exists()


def test_a_faq_module_and_a_demo_script(owner: Client, track: Track) -> None:
    faq = module_data("faq", title="FAQ") | rows(
        "faq-items", [{"question": "Hours?", "answer": "9 to 5."}]
    )
    assert owner.post(track_url(track, "modules/new/faq/"), faq).status_code == 302
    demo = module_data("demo_script", title="Demo", script="Say hi.", practice_runs_required="2")
    assert owner.post(track_url(track, "modules/new/demo_script/"), demo).status_code == 302
    assert FaqItem.objects.get(module__track=track).question == "Hours?"
    assert Module.objects.get(format="demo_script").practice_runs_required == 2


def test_a_pdf_module_with_its_file(owner: Client, track: Track) -> None:
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide", content_type="application/pdf")
    data = module_data("pdf", title="Guide") | {"pdf-file": upload}
    response = owner.post(track_url(track, "modules/new/pdf/"), data)
    assert response.status_code == 302
    module = Module.objects.get(track=track)
    assert module.file.read() == b"%PDF-1.4 guide"
    download = owner.get(track_url(track, f"modules/{module.id}/download/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 guide"  # type: ignore[attr-defined]


def test_a_file_that_is_no_pdf_leaves_no_module(owner: Client, track: Track) -> None:
    upload = SimpleUploadedFile("guide.pdf", b"hello", content_type="application/pdf")
    data = module_data("pdf", title="Guide") | {"pdf-file": upload}
    response = owner.post(track_url(track, "modules/new/pdf/"), data)
    assert response.status_code == 422
    assert "not a PDF" in response.content.decode()
    assert not Module.objects.exists()


def test_replacing_a_pdf(owner: Client, track: Track) -> None:
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1 old", content_type="application/pdf")
    owner.post(
        track_url(track, "modules/new/pdf/"), module_data("pdf", title="G") | {"pdf-file": upload}
    )
    module = Module.objects.get(track=track)
    new = SimpleUploadedFile("b.pdf", b"%PDF-1 new", content_type="application/pdf")
    url = track_url(track, f"modules/{module.id}/file/")
    assert owner.post(url, {f"file-{module.id}-file": new}).status_code == 302
    module.refresh_from_db()
    assert module.file.read() == b"%PDF-1 new"


def test_a_module_form_error_is_shown_and_nothing_written(owner: Client, track: Track) -> None:
    response = owner.post(track_url(track, "modules/new/video/"), module_data("video", title=""))
    assert response.status_code == 422
    assert response.context["open_format"] == "video"
    assert not Module.objects.exists()


def test_a_reviewer_may_not_add_modules(reviewer: User, track: Track) -> None:
    data = module_data("video", title="Tour", duration_seconds="60")
    response = client_for(reviewer).post(track_url(track, "modules/new/video/"), data)
    assert response.status_code == 403
    assert not Module.objects.exists()


def test_a_track_of_another_business_is_not_found(
    owner: Client, business_a: Business, charlie: User, business_b: Business
) -> None:
    theirs = make_track(business_b, name="Theirs")
    assert owner.get(f"/b/{business_a.id}/tracks/{theirs.id}/").status_code == 404
    data = module_data("video", title="Tour", duration_seconds="60")
    response = owner.post(f"/b/{business_a.id}/tracks/{theirs.id}/modules/new/video/", data)
    assert response.status_code == 404
    assert not Module.objects.exists()
