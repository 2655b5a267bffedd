"""The pages' times in the viewer's zone (issue 12 item 7), no database."""

from datetime import UTC, datetime
from types import SimpleNamespace

from refairn.core.templatetags.time_zones import viewer_time

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_times_read_in_the_viewers_zone_with_its_abbreviation() -> None:
    assert (
        viewer_time(AT, SimpleNamespace(time_zone="Europe/Berlin")) == "Mon 2 Nov 2026, 10:00 CET"
    )
    assert viewer_time(AT, SimpleNamespace(time_zone="America/New_York")) == (
        "Mon 2 Nov 2026, 04:00 EST"
    )


def test_utc_for_anonymous_visitors_unknown_zones_and_blank_times() -> None:
    assert viewer_time(AT, SimpleNamespace()) == "Mon 2 Nov 2026, 09:00 UTC"
    mars = SimpleNamespace(time_zone="Mars/Olympus")
    assert viewer_time(AT, mars) == "Mon 2 Nov 2026, 09:00 UTC"
    assert viewer_time(None, SimpleNamespace(time_zone="UTC")) == ""
