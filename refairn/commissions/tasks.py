"""The monthly accrual (PRODUCT.md §10), with catch-up.

Every day at 01:00 UTC, each business's ended months that have no finished run are run, oldest
first: on the 1st that is the month just ended; after a worker was down on the 1st, or a run
was killed half-way, the next day's job completes what is missing (runs are idempotent).

Not replayed by the test clock: API.md says monthly commission runs stay explicit under it.
"""

from __future__ import annotations

import logging

from django.conf import settings

from refairn.commissions.models import CommissionRun
from refairn.commissions.selectors import periods_without_finished_run
from refairn.commissions.services import commission_run
from refairn.core import clock
from refairn.core.periodic import DailyAt, periodic_job
from refairn.programs.models import Business

log = logging.getLogger(__name__)

JOB_NAME = "refairn.commissions.tasks.commission_run_task"


@periodic_job(DailyAt(hour=1), replayed=False, retries=3, retry_delay=600)
def commission_run_task() -> list[str]:
    """Run every ended month that lacks a finished run, for every business; return
    ``slug period`` for each run made.

    One business failing does not stop the others; the job then fails as a whole, so Huey
    retries it, and the retry recreates nothing that already landed.
    """
    # The worker fires on real days; a server on the test clock reads another date, and its
    # months are run explicitly.
    if settings.REFAIRN_TEST_CLOCK:
        return []
    now = clock.now()
    done, failed = [], []
    for business in Business.objects.order_by("created_at", "id").iterator():
        try:
            for period in periods_without_finished_run(business, now):
                commission_run(
                    actor=None,
                    business=business,
                    period=period,
                    trigger=CommissionRun.Trigger.SCHEDULE,
                )
                done.append(f"{business.slug} {period}")
        except Exception:
            log.exception("commission runs failed for business %s", business.slug)
            failed.append(business.slug)
    if failed:
        raise RuntimeError(f"commission runs failed for: {', '.join(failed)}")
    return done
