"""`refairn commissions run` and the monthly job (PRODUCT.md §10)."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from huey.contrib.djhuey import HUEY

from refairn.commissions import services, tasks
from refairn.commissions.management.commands.commissions import progress_bar
from refairn.commissions.models import CommissionRun, ReferralEntry, SupportEntry
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_customer
from refairn.core import clock, periodic
from refairn.programs.services import business_create

pytestmark = pytest.mark.django_db


def command(*args: str) -> str:
    out = StringIO()
    call_command("commissions", *args, stdout=out)
    return out.getvalue()


def test_the_command_runs_a_month_with_a_progress_bar(business_a: Any, bob: Any) -> None:
    for day in (3, 4, 5):
        make_customer(business_a, subscribed_at=at(2026, 10, day), referred_by=bob)

    with clock.frozen(at(2026, 11, 5)):
        first = command("run", "--business", business_a.slug, "--period", "2026-10")
        second = command("run", "--business", business_a.slug, "--period", "2026-10")

    assert "[------------------------------] 0/3 customers" in first
    assert "[##############################] 3/3 customers\n" in first
    assert first.endswith(
        f"{business_a.slug} 2026-10: 6 entries created, 0 already in the ledger.\n"
    )
    assert second.endswith("0 entries created, 6 already in the ledger.\n")
    assert CommissionRun.objects.filter(trigger="command").count() == 2


def test_the_command_explains_refusals(business_a: Any) -> None:
    with pytest.raises(CommandError, match="No such business"):
        command("run", "--business", "nope", "--period", "2026-10")
    with pytest.raises(CommandError, match="period"):
        command("run", "--business", business_a.slug, "--period", "2026-13")
    with pytest.raises(CommandError, match="has not ended"):
        command("run", "--business", business_a.slug, "--period", "2026-11")
    assert not CommissionRun.objects.exists()


def test_the_progress_bar_fills_in_proportion() -> None:
    assert progress_bar(0, 0) == "[##############################] 0/0 customers"
    assert progress_bar(1, 3) == "[##########--------------------] 1/3 customers"
    assert progress_bar(40, 200) == "[######------------------------]  40/200 customers"


def test_the_job_runs_last_month_for_every_business_on_the_first(
    alice: Any, business_a: Any, bob: Any
) -> None:
    other = business_create(user=alice, name="Other")
    make_customer(business_a, subscribed_at=at(2026, 11, 3), referred_by=bob)

    with clock.frozen(at(2026, 12, 1, 1)):
        ran = tasks.commission_run_task()

    assert sorted(ran) == sorted([f"{business_a.slug} 2026-11", f"{other.slug} 2026-11"])
    assert set(CommissionRun.objects.values_list("period", "trigger")) == {("2026-11", "schedule")}
    assert ReferralEntry.objects.filter(period="2026-11").count() == 2


def test_the_next_days_owe_nothing_once_the_month_ran(business_a: Any, bob: Any) -> None:
    make_customer(business_a, subscribed_at=at(2026, 11, 3), referred_by=bob)
    with clock.frozen(at(2026, 12, 1, 1)):
        tasks.commission_run_task()
    with clock.frozen(at(2026, 12, 2, 1)):
        assert tasks.commission_run_task() == []
    assert CommissionRun.objects.count() == 1


def test_months_missed_while_the_worker_was_down_are_caught_up(business_a: Any, bob: Any) -> None:
    """Issue 18: no worker on December 1st nor January 1st; January 5th runs both months."""
    make_customer(business_a, subscribed_at=at(2026, 11, 3), referred_by=bob)
    with clock.frozen(at(2027, 1, 5, 1)):
        ran = tasks.commission_run_task()

    assert ran == [f"{business_a.slug} 2026-11", f"{business_a.slug} 2026-12"]
    assert sorted(ReferralEntry.objects.values_list("period", "kind")) == [
        ("2026-11", "referral_one_off"),
        ("2026-11", "referral_recurring"),
        ("2026-12", "referral_recurring"),
    ]


def test_a_run_killed_half_way_is_completed_and_closed(
    business_a: Any, bob: Any, dana: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: the referral ledger landed, the worker died before the support ledger; the
    next day's job completes the month exactly as one clean run, and closes the broken run."""
    customer = make_customer(business_a, subscribed_at=at(2026, 11, 3), referred_by=bob)
    support_facts.assign(customer, dana, at(2026, 11, 3))

    def killed(**kwargs: Any) -> int:
        raise SystemExit("kill -9")

    monkeypatch.setattr(services, "support_ledger_append", killed)
    with clock.frozen(at(2026, 12, 1, 1)), pytest.raises(SystemExit):
        tasks.commission_run_task()
    monkeypatch.undo()
    [broken] = CommissionRun.objects.all()
    assert broken.finished_at is None
    assert (ReferralEntry.objects.count(), SupportEntry.objects.count()) == (2, 0)

    with clock.frozen(at(2026, 12, 2, 1)):
        assert tasks.commission_run_task() == [f"{business_a.slug} 2026-11"]

    assert (ReferralEntry.objects.count(), SupportEntry.objects.count()) == (2, 1)
    broken.refresh_from_db()
    completing = CommissionRun.objects.get(finished_at__isnull=False)
    assert broken.superseded_by == completing
    assert (completing.entries_created, completing.entries_existing) == (1, 2)


def test_the_job_does_nothing_under_the_test_clock(business_a: Any, settings: Any) -> None:
    settings.REFAIRN_TEST_CLOCK = True
    with clock.frozen(at(2026, 12, 1, 1)):
        assert tasks.commission_run_task() == []
    assert not CommissionRun.objects.exists()


def test_one_failing_business_does_not_stop_the_others(
    alice: Any, business_a: Any, bob: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = business_create(user=alice, name="Broken")
    make_customer(business_a, subscribed_at=at(2026, 11, 3), referred_by=bob)
    real_run = tasks.commission_run

    def failing_for_broken(**kwargs: Any) -> Any:
        if kwargs["business"].pk == broken.pk:
            raise RuntimeError("database hiccup")
        return real_run(**kwargs)

    monkeypatch.setattr(tasks, "commission_run", failing_for_broken)
    with clock.frozen(at(2026, 12, 1, 1)), pytest.raises(RuntimeError, match="broken"):
        tasks.commission_run_task()
    assert ReferralEntry.objects.filter(business=business_a).count() == 2


def test_the_job_is_scheduled_with_huey_but_not_replayed_by_the_test_clock() -> None:
    def due(moment: datetime) -> set[str]:
        return {f"{type(task).__module__}.{task.name}" for task in HUEY.read_periodic(moment)}

    assert tasks.JOB_NAME in due(at(2026, 12, 1, 1))
    assert tasks.JOB_NAME in due(at(2026, 12, 2, 1))
    assert tasks.JOB_NAME not in due(at(2026, 12, 1, 2))
    assert not periodic.REGISTRY[tasks.JOB_NAME].replayed
    replayed = periodic.plan_runs(at(2026, 11, 30), at(2026, 12, 2))
    assert tasks.JOB_NAME not in {job.name for job in replayed}
