"""The monthly commission runs of the demo business (PRODUCT.md §10)."""

from __future__ import annotations

from datetime import datetime, timedelta

from refairn.commissions.domain.periods import Period
from refairn.commissions.models import CommissionRun
from refairn.commissions.services import commission_run
from refairn.core import clock
from refairn.programs.models import Business

MONTHS = 3


def commission_runs_ensure(business: Business, now: datetime) -> list[str]:
    """The last ``MONTHS`` completed months, each run as the schedule runs it (01:00 UTC on the
    1st of the next month) unless a run of that period exists. Returns the periods run."""
    period = Period.of(now).previous()
    periods = []
    for _ in range(MONTHS):
        periods.append(period)
        period = period.previous()
    done = set(
        CommissionRun.objects.filter(
            business=business, period__in=[str(p) for p in periods]
        ).values_list("period", flat=True)
    )
    ran = []
    for period in reversed(periods):
        if str(period) in done:
            continue
        with clock.frozen(min(period.end + timedelta(hours=1), now)):
            commission_run(
                actor=None,
                business=business,
                period=period,
                trigger=CommissionRun.Trigger.SCHEDULE,
            )
        ran.append(str(period))
    return ran
