"""The monthly accrual on the first day of each month (PRODUCT.md §10).

Not replayed by the test clock: API.md says monthly commission runs stay explicit under it.
"""

from __future__ import annotations

import logging

from django.conf import settings

from refairn.commissions.domain.periods import Period
from refairn.commissions.models import CommissionRun
from refairn.commissions.services import commission_run
from refairn.core import clock
from refairn.core.periodic import MonthlyAt, periodic_job
from refairn.programs.models import Business

log = logging.getLogger(__name__)

JOB_NAME = "refairn.commissions.tasks.commission_run_task"


@periodic_job(MonthlyAt(day=1, hour=1), replayed=False, retries=3, retry_delay=600)
def commission_run_task() -> list[str]:
    """On the 1st, run the month that just ended for every business; return the slugs run.

    One business failing does not stop the others; the job then fails as a whole, so Huey
    retries it, and the retry recreates nothing that already landed (runs are idempotent).
    """
    now = clock.now()
    # The worker fires on the real 1st; a server on the test clock reads another date, and
    # its months are run explicitly.
    if settings.REFAIRN_TEST_CLOCK or now.day != 1:
        return []
    period = Period.of(now).previous()
    done, failed = [], []
    for business in Business.objects.order_by("created_at", "id").iterator():
        try:
            commission_run(
                actor=None,
                business=business,
                period=period,
                trigger=CommissionRun.Trigger.SCHEDULE,
            )
        except Exception:
            log.exception("commission run %s failed for business %s", period, business.slug)
            failed.append(business.slug)
        else:
            done.append(business.slug)
    if failed:
        raise RuntimeError(f"commission run {period} failed for: {', '.join(failed)}")
    return done
