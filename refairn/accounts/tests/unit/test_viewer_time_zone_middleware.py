"""The viewer's time zone for each request (issue 12 item 7), no database: the middleware
activates the signed-in person's zone, UTC for anyone else or a zone nobody knows, and leaves
UTC behind for the next request."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from refairn.accounts.middleware import ViewerTimeZoneMiddleware


def _zone_seen_by_the_view(user: object) -> str:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    assert ViewerTimeZoneMiddleware(view)(request).status_code == 200
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated after the request
    return seen[0]


def signed_in(zone: str) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=True, time_zone=zone)


def test_a_signed_in_person_reads_their_own_zone() -> None:
    assert _zone_seen_by_the_view(signed_in("America/New_York")) == "America/New_York"
    assert _zone_seen_by_the_view(signed_in("Europe/Berlin")) == "Europe/Berlin"


def test_anonymous_visitors_read_utc() -> None:
    assert _zone_seen_by_the_view(AnonymousUser()) == "UTC"
    # A zone on an object that is not signed in is not theirs to choose.
    assert (
        _zone_seen_by_the_view(SimpleNamespace(is_authenticated=False, time_zone="Asia/Tokyo"))
        == "UTC"
    )


@pytest.mark.parametrize("stored", ["Mars/Olympus", "", "../etc/passwd", "America", "localtime"])
def test_a_bad_stored_zone_reads_utc(stored: str) -> None:
    assert _zone_seen_by_the_view(signed_in(stored)) == "UTC"


def test_the_zone_is_deactivated_when_the_view_fails() -> None:
    def failing(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("boom")

    request = RequestFactory().get("/")
    request.user = signed_in("Asia/Tokyo")  # type: ignore[assignment]
    with pytest.raises(RuntimeError):
        ViewerTimeZoneMiddleware(failing)(request)
    assert timezone.get_current_timezone_name() == "UTC"
