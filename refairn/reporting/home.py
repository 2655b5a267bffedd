"""The staff's panel on the program home: the work queue (issue 12 item 3)."""

from collections.abc import Mapping
from typing import Any

from refairn.core.tenancy import Actor
from refairn.programs.home_panels import HomePanel
from refairn.reporting.selectors.work_queue import work_queue_for, work_queue_total


def _context(actor: Actor) -> Mapping[str, Any]:
    entries = work_queue_for(actor)
    return {"entries": entries, "total": work_queue_total(entries)}


WORK_QUEUE_PANEL = HomePanel(
    name="work_queue",
    order=0,
    template="reporting/_work_queue.html",
    shows=lambda actor: actor.is_staff,
    context=_context,
)
