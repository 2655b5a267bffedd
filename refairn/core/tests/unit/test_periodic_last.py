"""``last`` periodic jobs run after the others due at the same time (no database): the
outbox sweeps deliver what the other jobs of that tick announced."""

from datetime import UTC, datetime, timedelta

from refairn.core.periodic import Every, PeriodicJob, plan_runs

T = datetime(2026, 11, 2, 9, tzinfo=UTC)


def test_last_jobs_run_after_the_others_due_at_the_same_time() -> None:
    def noop() -> None:
        return None

    jobs = {
        "deliver": PeriodicJob("deliver", Every(minutes=1), noop, catches_up=True, last=True),
        "expire": PeriodicJob("expire", Every(minutes=15), noop, catches_up=True),
        "flag": PeriodicJob("flag", Every(minutes=5), noop, catches_up=True),
    }
    runs = plan_runs(T, T + timedelta(minutes=15), jobs)
    assert [(r.name, r.at - T) for r in runs] == [
        ("expire", timedelta(minutes=15)),
        ("flag", timedelta(minutes=15)),
        ("deliver", timedelta(minutes=15)),
    ]
