"""Every page in the viewer's time zone (issue 12 item 7): stored and API times stay UTC; the
zone a signed-in person chose is activated for the request, so Django's ``|date``, the rendering
of datetimes and the date/time inputs of forms all read and write in it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

UTC_ZONE = ZoneInfo("UTC")


@cache
def _zone(name: str) -> tzinfo:
    # "localtime" is the server's own zone, never a person's; a stored name the host's zone
    # database no longer knows (or a hand-edited row) reads as UTC rather than failing the page.
    if name == "localtime":
        return UTC_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC_ZONE


def viewer_zone(user: object) -> tzinfo:
    """The zone ``user`` reads times in: their chosen one, UTC for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return UTC_ZONE
    return _zone(getattr(user, "time_zone", "") or "UTC")


class ViewerTimeZoneMiddleware:
    """Activates the viewer's zone for the request and restores the default after it, so a
    thread that serves another person next starts from UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(viewer_zone(getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
