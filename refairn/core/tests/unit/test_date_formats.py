"""The project's one way to print a time (issue 12 item 7; core/formats): Django's ``|date``
in the active zone, with the zone's abbreviation so the reader knows which zone they read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.template import engines
from django.utils import timezone

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TEMPLATE = engines["django"].from_string(
    '{{ at|date:"DATETIME_FORMAT" }}|{{ at|date:"TIME_FORMAT" }}|{{ at|date }}|{{ at }}'
)


def render(zone: str, at: object = AT) -> list[str]:
    with timezone.override(ZoneInfo(zone)):
        return TEMPLATE.render({"at": at}).split("|")


def test_times_read_in_the_active_zone_with_its_abbreviation() -> None:
    assert render("Europe/Berlin") == [
        "Mon 2 Nov 2026, 10:00 CET",
        "10:00:00 CET",
        "2 Nov 2026",
        "Mon 2 Nov 2026, 10:00 CET",  # a datetime printed bare uses the same format
    ]
    assert render("America/New_York")[0] == "Mon 2 Nov 2026, 04:00 EST"
    # 23:30 in New York is already the next day in UTC: the date follows the viewer's zone.
    late = datetime(2026, 11, 3, 4, 30, tzinfo=UTC)
    assert render("America/New_York", late)[2] == "2 Nov 2026"
    assert render("UTC", late)[2] == "3 Nov 2026"


def test_utc_reads_as_utc_and_blanks_stay_blank() -> None:
    assert render("UTC")[0] == "Mon 2 Nov 2026, 09:00 UTC"
    assert render("Europe/Berlin", None) == ["", "", "", "None"]
    # A calendar day is not an instant: no zone moves it.
    day = engines["django"].from_string("{{ day|date }}")
    with timezone.override(ZoneInfo("Pacific/Kiritimati")):
        assert day.render({"day": date(2026, 11, 2)}) == "2 Nov 2026"
