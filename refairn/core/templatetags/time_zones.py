"""Times as the viewer reads them (issue 12 item 7): in the time zone they chose, UTC unless
they chose one. Stored and API times stay UTC; only the pages convert."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template

register = template.Library()


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@register.filter
def viewer_time(at: datetime | None, user: object) -> str:
    """``at`` in ``user``'s time zone with the zone's abbreviation ("Mon 2 Nov 2026, 10:00
    CET"); anonymous visitors read UTC."""
    if at is None:
        return ""
    local = at.astimezone(_zone(getattr(user, "time_zone", "") or "UTC"))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"
