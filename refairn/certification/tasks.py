"""Periodic certification jobs (PRODUCT.md §4–§5). Each sweeps everything due "as of now", so
they catch up by themselves, and each is safe to run twice at once (see the services).

The reminder job is registered first: when the test clock jumps past a whole renewal window,
it runs before the expiry job at the same due time and still finds the certification certified.
"""

from refairn.certification.services import (
    attempts_submit_overdue,
    certifications_expire_due,
    expiry_reminders_send,
)
from refairn.core import clock
from refairn.core.periodic import Every, periodic_job


@periodic_job(Every(minutes=15), catches_up=True)
def expiry_reminders_send_task() -> None:
    expiry_reminders_send()


@periodic_job(Every(minutes=15), catches_up=True)
def certifications_expire_due_task() -> None:
    certifications_expire_due()


@periodic_job(Every(minutes=5), catches_up=True)
def attempts_submit_overdue_task() -> int:
    """PRODUCT.md §4: an attempt left open past its deadline is submitted with what was saved,
    dated at its deadline; one sweep submits every overdue attempt, so it catches up alone."""
    return attempts_submit_overdue(now=clock.now())
