"""Errors raised by the certification domain.

Each carries a stable ``code`` (an API error code) so the service layer can map it to
problem+json without parsing messages; this package cannot import ``refairn.core.errors``
because that module depends on Django.
"""

from __future__ import annotations

from enum import StrEnum


class InvalidTransition(Exception):
    """A state change the transition table does not allow (API: 409 ``invalid_transition``)."""

    code = "invalid_transition"

    def __init__(self, current: StrEnum, event: StrEnum) -> None:
        self.current = current
        self.event = event
        super().__init__(f"Cannot {event.value} when the status is {current.value}.")


class ForbiddenTransition(Exception):
    """An actor kind that may not trigger this event (API: 403 ``forbidden``)."""

    code = "forbidden"

    def __init__(self, event: StrEnum, actor_kind: StrEnum) -> None:
        self.event = event
        self.actor_kind = actor_kind
        super().__init__(f"A {actor_kind.value} may not {event.value}.")


class InvalidHistory(Exception):
    """A stored chain of status changes that the transition table could not have produced."""

    code = "invalid_history"

    def __init__(self, index: int, from_status: StrEnum, to_status: StrEnum, detail: str) -> None:
        self.index = index
        self.from_status = from_status
        self.to_status = to_status
        super().__init__(
            f"History entry {index} ({from_status.value} -> {to_status.value}): {detail}"
        )


class CertificationRuleViolation(Exception):
    """A request that contradicts a certification rule; ``code`` names the rule."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(detail)
