from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.core.periodic import DailyAt, Every, MonthlyAt, PeriodicJob
from tests.support import T0, assert_problem


@pytest.fixture
def test_clock_on(settings: Any) -> None:
    settings.REFAIRN_TEST_CLOCK = True


@pytest.fixture
def recorded_jobs(monkeypatch: Any) -> list[tuple[str, datetime]]:
    """Replace the registry with four jobs that record when (by the clock) they ran."""
    runs: list[tuple[str, datetime]] = []

    def job(name: str) -> Any:
        return lambda: runs.append((name, clock.now()))

    registry = {
        "sweep": PeriodicJob("sweep", Every(minutes=30), job("sweep"), catches_up=True),
        "daily": PeriodicJob("daily", DailyAt(hour=2), job("daily"), catches_up=False),
        "hourly": PeriodicJob("hourly", Every(minutes=60), job("hourly"), catches_up=True),
        # Due on the 3rd in the window below, but the test clock never replays it.
        "monthly": PeriodicJob(
            "monthly", MonthlyAt(day=3), job("monthly"), catches_up=False, replayed=False
        ),
    }
    monkeypatch.setattr("refairn.core.periodic.REGISTRY", registry)
    return runs


@pytest.fixture
def unfrozen() -> Any:
    """The test clock is read from the database only when no in-process override is active."""
    token = clock._override.set(None)
    yield
    clock._override.reset(token)


@pytest.mark.django_db
def test_test_clock_is_404_when_the_setting_is_off(anon: Any) -> None:
    assert_problem(anon.get("/test-clock"), 404, "not_found")
    assert_problem(anon.put("/test-clock", {"now": T0.isoformat()}), 404, "not_found")


@pytest.mark.django_db
def test_test_clock_reads_real_time_until_set(
    anon: Any, test_clock_on: None, unfrozen: None
) -> None:
    before = datetime.now(UTC)
    now = datetime.fromisoformat(anon.get("/test-clock").body["now"])
    assert before <= now <= datetime.now(UTC)


@pytest.mark.django_db
def test_put_moves_the_platform_clock_and_it_stands_still(
    anon: Any, test_clock_on: None, unfrozen: None, recorded_jobs: list[Any]
) -> None:
    response = anon.put("/test-clock", {"now": "2026-11-02T09:00:00+01:00"})
    assert response.status_code == 200
    assert response.body["now"] == "2026-11-02T08:00:00Z"
    assert clock.now() == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert anon.get("/test-clock").body["now"] == "2026-11-02T08:00:00Z"


@pytest.mark.django_db
def test_jobs_due_between_two_times_run_once_in_order(
    anon: Any, test_clock_on: None, unfrozen: None, recorded_jobs: list[Any]
) -> None:
    anon.put("/test-clock", {"now": "2026-11-02T00:10:00Z"})
    recorded_jobs.clear()

    anon.put("/test-clock", {"now": "2026-11-04T01:15:00Z"})

    day = datetime(2026, 11, 2, tzinfo=UTC)
    assert recorded_jobs == [
        ("daily", day + timedelta(hours=2)),
        ("daily", day + timedelta(days=1, hours=2)),
        # Jobs that catch up by themselves run once, at their last due time.
        ("sweep", day + timedelta(days=2, hours=1)),
        ("hourly", day + timedelta(days=2, hours=1)),
    ]
    assert clock.now() == datetime(2026, 11, 4, 1, 15, tzinfo=UTC)

    recorded_jobs.clear()
    anon.put("/test-clock", {"now": "2026-11-04T01:15:00Z"})
    assert recorded_jobs == []  # nothing fell due twice


@pytest.mark.django_db
def test_the_clock_does_not_go_back(
    anon: Any, test_clock_on: None, unfrozen: None, recorded_jobs: list[Any]
) -> None:
    anon.put("/test-clock", {"now": "2026-11-04T00:00:00Z"})
    response = anon.put("/test-clock", {"now": "2026-11-03T00:00:00Z"})
    assert_problem(response, 409, "clock_cannot_go_back")
    assert clock.now() == datetime(2026, 11, 4, tzinfo=UTC)


@pytest.mark.django_db
def test_clock_needs_an_offset(anon: Any, test_clock_on: None, unfrozen: None) -> None:
    response = anon.put("/test-clock", {"now": "2026-11-04T00:00:00"})
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"][0]["field"] == "now"
