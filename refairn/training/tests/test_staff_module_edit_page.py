"""Issue 12: a module's content is edited on a page, published or not, through the service of
``PATCH /modules/{m}``: its refusals come back on the field, and a refused edit writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business
from refairn.training.models import Module, Track
from tests.support import make_staff

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(module: Module) -> str:
    return f"/b/{module.business_id}/tracks/{module.track_id}/modules/{module.id}/edit/"


@pytest.fixture
def video(create_module: Any) -> Module:
    module: Module = create_module("video", description="Old words", estimated_hours="1.5")
    assert module.status == "published"
    return module


VIDEO_EDIT = {
    "title": "Welcome, again",
    "description": "New words",
    "required": "",
    "estimated_hours": "",
    "duration_seconds": "240",
    "video_url": "https://videos.example/welcome",
}


def test_the_track_page_links_to_each_module_s_edit_page(
    alice: User, track_a: Track, video: Module
) -> None:
    html = client_for(alice).get(f"/b/{track_a.business_id}/tracks/{track_a.id}/").content
    assert edit_url(video) in html.decode()


def test_a_published_video_module_is_edited_on_its_page(alice: User, video: Module) -> None:
    client = client_for(alice)
    page = client.get(edit_url(video))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Welcome"' in html and "Old words" in html
    assert "Duration (seconds)" in html and 'value="100"' in html

    response = client.post(edit_url(video), VIDEO_EDIT, follow=True)
    assert response.status_code == 200
    assert "Module “Welcome, again” saved." in response.content.decode()
    video.refresh_from_db()
    assert (video.title, video.description, video.required) == (
        "Welcome, again",
        "New words",
        False,
    )
    assert video.estimated_hours is None  # an empty estimate clears it, as a PATCH null does
    assert (video.duration_seconds, video.video_url) == (240, "https://videos.example/welcome")
    assert video.status == "published"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "This field is required."),
        ("title", "x" * 201, "at most 200 characters"),
        ("estimated_hours", "-1", "greater than or equal to 0"),
        ("estimated_hours", "12345", "no more than 4 digits before the decimal point"),
        ("duration_seconds", "0", "greater than or equal to 1"),
        # Only the service knows the schemes it takes: its word, on the field.
        ("video_url", "ftp://videos.example/x", "must be an http(s) URL"),
        ("video_url", "https://v.example/" + "x" * 200, "at most 200 characters"),
    ],
)
def test_a_refused_edit_is_shown_on_its_field_and_writes_nothing(
    alice: User, video: Module, field: str, value: str, message: str
) -> None:
    before = Module.objects.filter(pk=video.pk).values().get()
    response = client_for(alice).post(edit_url(video), {**VIDEO_EDIT, field: value})
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {field}, form.errors
    assert message in " ".join(form.errors[field])
    assert 'class="errors" role="alert"' in response.content.decode()
    assert Module.objects.filter(pk=video.pk).values().get() == before


def test_other_formats_show_no_video_fields(alice: User, create_module: Any) -> None:
    faq = create_module("faq")
    client = client_for(alice)
    html = client.get(edit_url(faq)).content.decode()
    assert "Duration (seconds)" not in html and "Video address" not in html
    response = client.post(
        edit_url(faq),
        {"title": "FAQ, revised", "required": "on", "estimated_hours": "0.5"},
        follow=True,
    )
    assert response.status_code == 200
    faq.refresh_from_db()
    assert (faq.title, faq.estimated_hours, faq.required) == ("FAQ, revised", Decimal("0.5"), True)


def test_only_owners_and_managers_edit(business_a: Business, video: Module, bob: User) -> None:
    reviewer = make_staff(business_a, "rita@a.test", "reviewer")
    assert client_for(reviewer).get(edit_url(video)).status_code == 403
    assert client_for(reviewer).post(edit_url(video), VIDEO_EDIT).status_code == 403
    video.refresh_from_db()
    assert video.title == "Welcome"


def test_a_module_of_another_track_is_not_found(
    alice: User, business_a: Business, video: Module
) -> None:
    other = Track.objects.create(
        business=business_a,
        name="Other",
        requirement="required",
        passing_score=80,
        recertification_months=12,
        badge_name="Other",
        question_count=10,
        time_limit_minutes=30,
    )
    url = f"/b/{business_a.id}/tracks/{other.id}/modules/{video.id}/edit/"
    assert client_for(alice).get(url).status_code == 404
