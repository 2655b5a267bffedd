"""The process's long-lived objects, kept out of the garbage collector's full passes (issue 17).

A served process holds about 150,000 objects the collector tracks once Django, the apps and
their URLs are loaded (functions, classes, modules, field and schema definitions), all alive
until the process ends. A full collection walks every one of them: 60-200 ms on this project's
2-core machine, whenever enough of a request's objects have outlived two younger collections
(a ticket's routing builds one candidate per agent). That pause was the p99 of ticket creation
with routing, three times its p50. Frozen, they are no longer walked: a full pass costs what
the objects made since take.
"""

from __future__ import annotations

import gc


def heap_settle() -> None:
    """Once the process has loaded what it serves with: collect what loading left behind, then
    exempt everything alive from future collections (they live as long as the process)."""
    gc.collect()
    gc.freeze()
