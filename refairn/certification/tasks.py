"""Periodic certification jobs (PRODUCT.md §5). Both sweep everything due "as of now", so they
catch up by themselves, and both are safe to run twice at once (see the services).

The reminder job is registered first: when the test clock jumps past a whole renewal window,
it runs before the expiry job at the same due time and still finds the certification certified.
"""

from refairn.certification.services import certifications_expire_due, expiry_reminders_send
from refairn.core.periodic import Every, periodic_job


@periodic_job(Every(minutes=15), catches_up=True)
def expiry_reminders_send_task() -> None:
    expiry_reminders_send()


@periodic_job(Every(minutes=15), catches_up=True)
def certifications_expire_due_task() -> None:
    certifications_expire_due()
