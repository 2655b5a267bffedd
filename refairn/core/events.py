"""Announcements from a lower app that higher apps react to, without the lower app importing
them (STYLE.md "Dependencies between apps").

An event is a frozen dataclass defined by the app that announces it (``training.events``,
``certification.events``). An app that reacts registers its handlers once, in its
``AppConfig.ready``, with ``subscribe``. ``publish`` calls every handler of the event's type
synchronously, in registration order, inside the caller's transaction: a handler's writes commit
or roll back with the change that caused them, and a handler's error aborts that change. Nothing
here is a Django signal; ``subscriptions()`` lists every handler, and a test pins that list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

E = TypeVar("E")

_handlers: defaultdict[type[Any], list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Run ``handler`` for every ``event_type`` published from now on (once per handler)."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: object) -> None:
    """Run the handlers of ``event``'s type, in the caller's transaction."""
    for handler in list(_handlers.get(type(event), ())):
        handler(event)


def subscriptions() -> dict[str, list[str]]:
    """``{"certification.events.Certified": ["support.reactions.on_certified", ...]}``."""

    def name(thing: Any) -> str:
        return f"{thing.__module__.removeprefix('refairn.')}.{thing.__qualname__}"

    return {name(kind): [name(h) for h in handlers] for kind, handlers in _handlers.items()}
