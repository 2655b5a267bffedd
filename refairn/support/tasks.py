"""Periodic support jobs (PRODUCT.md §6)."""

from refairn.core.periodic import Every, periodic_job
from refairn.support.services import overdue_flags_raise


@periodic_job(Every(minutes=5), catches_up=True)
def overdue_flags_raise_task() -> int:
    """Flags every missed SLA deadline as of now and applies the thresholds; a sweep that ran
    late still dates each flag at its deadline, so running once after a gap is enough."""
    return overdue_flags_raise()
