from datetime import UTC, datetime, timedelta, timezone

import pytest

from refairn.commissions.domain.periods import Period


def test_period_parses_year_and_month() -> None:
    period = Period.parse("2026-11")
    assert (period.year, period.month) == (2026, 11)
    assert str(period) == "2026-11"


@pytest.mark.parametrize(
    "text",
    [
        "2026-1",
        "2026-13",
        "2026-00",
        "26-11",
        " 2026-11",
        "2026-11 ",
        "2026-11-01",
        "2026/11",
        "\uff12\uff10\uff12\uff16-11",  # full-width digits
        "",
        "1969-12",
    ],
)
def test_period_parse_is_strict(text: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(text)


def test_period_parse_refuses_non_strings() -> None:
    with pytest.raises(ValueError):
        Period.parse(202611)  # type: ignore[arg-type]


def test_period_bounds_are_utc_and_end_is_exclusive() -> None:
    period = Period(2026, 11)
    assert period.start == datetime(2026, 11, 1, tzinfo=UTC)
    assert period.end == datetime(2026, 12, 1, tzinfo=UTC)
    assert period.contains(datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC))
    assert not period.contains(period.end)
    assert Period(2026, 12).end == datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("2026-01", 31),
        ("2026-11", 30),
        ("2027-02", 28),
        ("2028-02", 29),
        ("2100-02", 28),
        ("2000-02", 29),
    ],
)
def test_period_days(text: str, days: int) -> None:
    assert Period.parse(text).days == days


def test_period_next_and_previous_cross_years() -> None:
    assert Period(2026, 12).next() == Period(2027, 1)
    assert Period(2027, 1).previous() == Period(2026, 12)
    assert Period(2026, 11).next().previous() == Period(2026, 11)
    assert Period(2026, 11) < Period(2026, 12) < Period(2027, 1)


def test_period_of_uses_the_utc_month() -> None:
    new_york = timezone(timedelta(hours=-5))
    assert Period.of(datetime(2026, 11, 30, 20, 0, tzinfo=new_york)) == Period(2026, 12)


def test_period_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        Period.of(datetime(2026, 11, 1))


def test_period_has_ended_only_after_its_last_day() -> None:
    period = Period(2026, 11)
    assert not period.has_ended(datetime(2026, 11, 30, 23, 59, tzinfo=UTC))
    assert period.has_ended(datetime(2026, 12, 1, tzinfo=UTC))
