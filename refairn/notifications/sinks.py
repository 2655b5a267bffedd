"""The registry of outbox sinks: where dispatched events go besides the in-app list.

``notifications`` sits low in the layers and never imports the apps above it; an app that
delivers events elsewhere (``refairn.webhooks``) registers a sink here from its
``AppConfig.ready``. E-mail is a sink like any other.

A sink has two steps. ``accept`` runs inside the dispatch transaction and writes the sink's own
delivery rows for a batch of events; it must be idempotent (unique delivery keys), because a
dispatch that crashed is rolled back and done again. ``schedule`` runs for each event after that
transaction commits and only starts delivering (enqueues tasks); the periodic sweeps deliver
whatever it did not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from refairn.notifications.models import OutboxEvent


class OutboxSink(Protocol):
    def accept(self, events: Sequence[OutboxEvent]) -> None: ...

    def schedule(self, event: OutboxEvent) -> None: ...


SINKS: dict[str, OutboxSink] = {}


def register_sink(name: str, sink: OutboxSink) -> None:
    """Add (or, with the same name, replace) a sink; called from ``AppConfig.ready``."""
    SINKS[name] = sink
