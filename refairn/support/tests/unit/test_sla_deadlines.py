from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.support.domain.errors import SlaConfigError
from refairn.support.domain.sla import (
    BusinessHours,
    SlaSettings,
    SlaTerms,
    add_sla_hours,
    elapsed_business_seconds,
    sla_deadlines,
)

WEEKDAYS = frozenset({0, 1, 2, 3, 4})
EVERY_DAY = frozenset(range(7))


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def new_york(**overrides: object) -> BusinessHours:
    fields: dict[str, object] = {
        "timezone": "America/New_York",
        "weekdays": WEEKDAYS,
        "start": time(9),
        "end": time(17),
    }
    fields.update(overrides)
    return BusinessHours(**fields)  # type: ignore[arg-type]


# Calendar hours


def test_calendar_hours_count_every_hour() -> None:
    assert add_sla_hours(utc(2026, 3, 10, 10), 24, None) == utc(2026, 3, 11, 10)
    assert add_sla_hours(utc(2026, 3, 7, 23, 30), 72, None) == utc(2026, 3, 10, 23, 30)


def test_default_terms_are_24_and_72_calendar_hours() -> None:
    due = sla_deadlines(utc(2026, 3, 10, 10), SlaSettings().terms_for("standard"), None)
    assert due.first_response_due == utc(2026, 3, 11, 10)
    assert due.resolution_due == utc(2026, 3, 13, 10)


def test_result_is_utc_even_for_an_aware_non_utc_start() -> None:
    berlin_13h = datetime(2026, 3, 10, 13, tzinfo=ZoneInfo("Europe/Berlin"))
    result = add_sla_hours(berlin_13h, 1, None)
    assert result == utc(2026, 3, 10, 13)
    assert result.tzinfo is UTC


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_sla_hours(datetime(2026, 3, 10, 10), 4, None)


def test_zero_hours_is_the_start_itself() -> None:
    saturday = utc(2026, 1, 10, 15)
    assert add_sla_hours(saturday, 0, new_york()) == saturday


# Business hours (New York, EST = UTC-5 in January)


def test_friday_afternoon_plus_four_hours_lands_monday_noon() -> None:
    # Fri 16:00 EST: 1h left on Friday, 3h on Monday -> Mon 12:00 EST = 17:00Z.
    assert add_sla_hours(utc(2026, 1, 9, 21), 4, new_york()) == utc(2026, 1, 12, 17)


def test_deadline_that_fills_the_window_lands_on_its_closing_time() -> None:
    # Fri 13:00 EST + 4h = Fri 17:00 EST, not Monday 09:00.
    assert add_sla_hours(utc(2026, 1, 9, 18), 4, new_york()) == utc(2026, 1, 9, 22)


def test_holiday_monday_is_skipped() -> None:
    calendar = new_york(holidays=frozenset({date(2026, 1, 12)}))
    # Fri 16:00 EST + 4h: 1h Friday, Monday off, 3h Tuesday -> Tue 12:00 EST = 17:00Z.
    assert add_sla_hours(utc(2026, 1, 9, 21), 4, calendar) == utc(2026, 1, 13, 17)


def test_holiday_friday_is_skipped() -> None:
    calendar = new_york(holidays=frozenset({date(2026, 1, 9)}))
    # Thu 15:00 EST + 4h: 2h Thursday, Friday off, 2h Monday -> Mon 11:00 EST = 16:00Z.
    assert add_sla_hours(utc(2026, 1, 8, 20), 4, calendar) == utc(2026, 1, 12, 16)


def test_ticket_opened_at_night_starts_counting_at_next_opening() -> None:
    # Tue 22:00 EST (Wed 03:00Z) + 2h -> Wed 11:00 EST = 16:00Z.
    assert add_sla_hours(utc(2026, 1, 14, 3), 2, new_york()) == utc(2026, 1, 14, 16)


def test_ticket_opened_before_opening_starts_counting_at_opening() -> None:
    # Mon 07:00 EST + 1h -> Mon 10:00 EST = 15:00Z.
    assert add_sla_hours(utc(2026, 1, 12, 12), 1, new_york()) == utc(2026, 1, 12, 15)


def test_ticket_opened_on_saturday_starts_counting_on_monday() -> None:
    # Sat 10:00 EST + 1h -> Mon 10:00 EST = 15:00Z.
    assert add_sla_hours(utc(2026, 1, 10, 15), 1, new_york()) == utc(2026, 1, 12, 15)


# DST changes: the window keeps its local times on each side of the change


def test_berlin_spring_forward_weekend_uses_summer_time_on_monday() -> None:
    calendar = new_york(timezone="Europe/Berlin")
    # Fri 2026-03-27 16:00 CET (15:00Z) + 4h -> Mon 03-30 12:00 CEST = 10:00Z (a fixed
    # offset would give 11:00Z).
    assert add_sla_hours(utc(2026, 3, 27, 15), 4, calendar) == utc(2026, 3, 30, 10)


def test_berlin_window_on_the_dst_sunday_itself() -> None:
    calendar = new_york(timezone="Europe/Berlin", weekdays=EVERY_DAY)
    # Sat 03-28 16:00 CET (15:00Z): 1h Saturday, 3h Sunday 09:00-12:00 CEST -> 10:00Z.
    assert add_sla_hours(utc(2026, 3, 28, 15), 4, calendar) == utc(2026, 3, 29, 10)


def test_new_york_fall_back_weekend_uses_standard_time_on_monday() -> None:
    # Fri 2026-10-30 16:00 EDT (20:00Z) + 4h -> Mon 11-02 12:00 EST = 17:00Z.
    assert add_sla_hours(utc(2026, 10, 30, 20), 4, new_york()) == utc(2026, 11, 2, 17)


def test_window_spanning_spring_forward_counts_the_real_seven_hours() -> None:
    calendar = new_york(timezone="Europe/Berlin", weekdays=EVERY_DAY, start=time(0), end=time(8))
    # Sun 03-29 00:00 CET = 03-28 23:00Z to 08:00 CEST = 06:00Z is 7 real hours; the 8th hour is
    # Mon 00:00-01:00 CEST = 03-29 22:00-23:00Z.
    assert add_sla_hours(utc(2026, 3, 28, 23), 8, calendar) == utc(2026, 3, 29, 23)
    sunday = elapsed_business_seconds(utc(2026, 3, 28, 12), utc(2026, 3, 29, 12), calendar)
    assert sunday == 7 * 3600


def test_window_spanning_fall_back_counts_the_real_nine_hours() -> None:
    calendar = new_york(weekdays=EVERY_DAY, start=time(0), end=time(8))
    # Sun 11-01 00:00 EDT = 04:00Z to 08:00 EST = 13:00Z.
    assert calendar.window_on(date(2026, 11, 1)) == (utc(2026, 11, 1, 4), utc(2026, 11, 1, 13))
    assert elapsed_business_seconds(utc(2026, 11, 1, 0), utc(2026, 11, 2, 0), calendar) == 32400


def test_opening_time_skipped_by_dst_is_read_with_the_winter_offset() -> None:
    calendar = new_york(
        timezone="Europe/Berlin", weekdays=EVERY_DAY, start=time(2, 30), end=time(10)
    )
    # 02:30 does not exist on 03-29; RFC 5545 reads it as 02:30 CET = 01:30Z (03:30 CEST).
    assert calendar.window_on(date(2026, 3, 29)) == (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 8))


def test_window_swallowed_by_dst_gap_is_closed_that_day() -> None:
    calendar = new_york(timezone="Europe/Berlin", weekdays=EVERY_DAY, start=time(2), end=time(3))
    assert calendar.window_on(date(2026, 3, 29)) is None
    assert calendar.window_on(date(2026, 3, 30)) == (utc(2026, 3, 30, 0), utc(2026, 3, 30, 1))


# Tier overrides


def test_premium_override_four_and_twenty_four_calendar_hours() -> None:
    settings = SlaSettings(tiers={"premium": SlaTerms(4, 24)})
    assert settings.terms_for("premium") == SlaTerms(4, 24)
    assert settings.terms_for("enterprise") == SlaTerms(24, 72)
    due = sla_deadlines(utc(2026, 3, 10, 10), settings.terms_for("premium"), None)
    assert due.first_response_due == utc(2026, 3, 10, 14)
    assert due.resolution_due == utc(2026, 3, 11, 10)


def test_premium_override_in_business_hours() -> None:
    settings = SlaSettings(tiers={"premium": SlaTerms(4, 24)})
    # Fri 15:00 EST (20:00Z). 4h: 2h Fri + 2h Mon -> Mon 11:00 EST = 16:00Z.
    # 24h: 2 Fri + 8 Mon + 8 Tue + 6 Wed -> Wed 15:00 EST = 20:00Z.
    due = sla_deadlines(utc(2026, 1, 9, 20), settings.terms_for("premium"), new_york())
    assert due.first_response_due == utc(2026, 1, 12, 16)
    assert due.resolution_due == utc(2026, 1, 14, 20)


def test_unknown_tier_is_a_config_error() -> None:
    with pytest.raises(SlaConfigError) as error:
        SlaSettings().terms_for("platinum")
    assert error.value.field == "tier"
    with pytest.raises(SlaConfigError):
        SlaSettings(tiers={"platinum": SlaTerms(1, 2)})


def test_settings_tiers_cannot_be_changed_after_construction() -> None:
    tiers = {"premium": SlaTerms(4, 24)}
    settings = SlaSettings(tiers=tiers)
    tiers["premium"] = SlaTerms(1, 1)
    assert settings.terms_for("premium") == SlaTerms(4, 24)
    with pytest.raises(TypeError):
        settings.tiers["premium"] = SlaTerms(1, 1)  # type: ignore[index]


@pytest.mark.parametrize(
    ("first", "resolution", "field"),
    [
        (0, 72, "first_response_hours"),
        (24, 8761, "resolution_hours"),
        (True, 72, "first_response_hours"),
        (24, 12, "resolution_hours"),
    ],
)
def test_invalid_terms_name_the_field(first: int, resolution: int, field: str) -> None:
    with pytest.raises(SlaConfigError) as error:
        SlaTerms(first, resolution)
    assert error.value.field == field


# Efficiency and validation


class CountingHours(BusinessHours):
    days_visited: ClassVar[list[date]] = []

    def window_on(self, day: date) -> tuple[datetime, datetime] | None:
        CountingHours.days_visited.append(day)
        return super().window_on(day)


def test_two_thousand_hours_loop_per_day_not_per_hour() -> None:
    CountingHours.days_visited.clear()
    calendar = CountingHours("America/New_York", WEEKDAYS, time(9), time(17))
    # Mon 01-05 09:00 EST + 2000h = 250 working days = 50 weeks -> Fri 12-18 17:00 EST = 22:00Z.
    assert add_sla_hours(utc(2026, 1, 5, 14), 2000, calendar) == utc(2026, 12, 18, 22)
    assert len(CountingHours.days_visited) == 348


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "localtime"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"weekdays": frozenset()}, "weekdays"),
        ({"weekdays": frozenset({7})}, "weekdays"),
        ({"start": time(17), "end": time(9)}, "end"),
        ({"start": time(9), "end": time(9)}, "end"),
        ({"start": time(9), "end": time(9, 30)}, "end"),
        ({"start": time(9, 0, 30)}, "start"),
        ({"holidays": frozenset({datetime(2026, 1, 1, tzinfo=UTC)})}, "holidays"),
        (
            {"holidays": frozenset(date(2026, 1, 1) + timedelta(days=i) for i in range(1001))},
            "holidays",
        ),
    ],
)
def test_invalid_business_hours_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(SlaConfigError) as error:
        new_york(**overrides)
    assert error.value.field == field


def test_elapsed_is_zero_when_end_precedes_start() -> None:
    assert elapsed_business_seconds(utc(2026, 1, 9), utc(2026, 1, 8), new_york()) == 0


def test_elapsed_calendar_seconds_without_business_hours() -> None:
    assert elapsed_business_seconds(utc(2026, 1, 8), utc(2026, 1, 9, 0, 0, 30), None) == 86430


# Properties

CALENDARS = [
    new_york(),
    new_york(timezone="Europe/Berlin", weekdays=EVERY_DAY, start=time(0), end=time(8)),
    new_york(
        timezone="Australia/Sydney",
        weekdays=frozenset({0, 1, 2, 3, 4, 5}),
        start=time(8, 30),
        end=time(17, 30),
        holidays=frozenset({date(2026, 4, 3), date(2026, 4, 6), date(2026, 12, 25)}),
    ),
]
starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@given(start=starts, hours=st.integers(0, 600), calendar=st.sampled_from([None, *CALENDARS]))
def test_elapsed_business_time_inverts_add_sla_hours(
    start: datetime, hours: int, calendar: BusinessHours | None
) -> None:
    due = add_sla_hours(start, hours, calendar)
    assert elapsed_business_seconds(start, due, calendar) == hours * 3600
    assert due >= start


@given(start=starts, hours=st.integers(1, 600), calendar=st.sampled_from(CALENDARS))
def test_business_deadline_falls_inside_a_window(
    start: datetime, hours: int, calendar: BusinessHours
) -> None:
    due = add_sla_hours(start, hours, calendar)
    window = calendar.window_on(due.astimezone(calendar.zone).date())
    assert window is not None
    assert window[0] < due <= window[1]
    assert add_sla_hours(start, hours + 1, calendar) > due
