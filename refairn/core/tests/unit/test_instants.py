from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.core.instants import EARLIEST, LATEST, bounded_instant

offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)), offsets)
def test_any_instant_is_accepted_in_range_or_refused_with_a_reason(
    local: datetime, offset: timezone
) -> None:
    """Never an OverflowError, whatever the calendar's edge: the instant in UTC, or ValueError."""
    value = local.replace(tzinfo=offset)
    try:
        accepted = bounded_instant(value)
    except ValueError:
        assert not EARLIEST <= value < LATEST
    else:
        assert accepted == value
        assert accepted.tzinfo is UTC
        assert EARLIEST <= accepted < LATEST


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
        datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(1970, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),
        LATEST,
        datetime(2026, 11, 2, 9, 0),
    ],
)
def test_the_edges_are_refused(value: datetime) -> None:
    with pytest.raises(ValueError):
        bounded_instant(value)


@pytest.mark.parametrize(
    "value",
    [EARLIEST, LATEST - timedelta(microseconds=1), datetime(2099, 12, 31, 23, tzinfo=UTC)],
)
def test_the_range_is_inclusive_of_its_start_only(value: datetime) -> None:
    assert bounded_instant(value) == value
