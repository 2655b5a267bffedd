"""Errors raised by the support domain.

Each carries the stable ``code`` the API layer puts in its problem+json body, so the mapping in
``core/errors.py`` needs no knowledge of the individual rules.
"""


class SupportConfigError(ValueError):
    """A business's support settings are invalid (API: 422 with the offending field)."""

    code = "invalid_settings"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SlaConfigError(SupportConfigError):
    """Invalid SLA terms, business hours or SLA policy (PRODUCT.md §2)."""

    code = "invalid_sla_settings"


class TopicConfigError(SupportConfigError):
    """Invalid escalation topics or phrases (PRODUCT.md §2, §6)."""

    code = "invalid_escalation_topics"


class EmptyTopicError(TopicConfigError):
    """An edit gives a category no phrases: detection for it would silently stop (issue 11)."""

    code = "empty_topic"


class RatingError(ValueError):
    """A rating score is not an integer from 1 to 5 (API: 422 with the field)."""

    code = "invalid_rating"

    def __init__(self, field: str, message: str = "must be an integer from 1 to 5") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidTransition(Exception):
    """The ticket's status does not allow this event (API: 409)."""

    code = "invalid_transition"

    def __init__(self, current: str, event: str) -> None:
        super().__init__(f"cannot {event} a ticket that is {current}")
        self.current = current
        self.event = event


class TicketRuleViolation(Exception):
    """A ticket rule other than the transition table forbids the action (API: 409 + code)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
