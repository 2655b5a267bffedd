"""Periodic jobs of the assessments (PRODUCT.md §4)."""

from __future__ import annotations

from refairn.assessments.services import attempts_submit_overdue
from refairn.core import clock
from refairn.core.periodic import Every, periodic_job


@periodic_job(Every(minutes=5), catches_up=True)
def attempts_submit_overdue_task() -> int:
    """PRODUCT.md §4: an attempt left open past its deadline is submitted with what was saved,
    dated at its deadline; one sweep submits every overdue attempt, so it catches up alone."""
    return attempts_submit_overdue(now=clock.now())
