"""Support writes (PRODUCT.md §6), one module per concern; the names other apps call are
re-exported here (``from refairn.support.services import assignments_end_for_agent``)."""

from refairn.support.services.access import (
    support_access_activate_if_certified,
    support_access_change,
    support_access_request,
)
from refairn.support.services.assignments import (
    assignment_end,
    assignment_set,
    assignments_end_for_agent,
)
from refairn.support.services.ratings import ticket_rate
from refairn.support.services.settings import (
    escalation_topics_reset,
    escalation_topics_update,
    support_policy_update,
    unavailability_create,
)
from refairn.support.services.sla import overdue_flags_raise, review_decide, warning_send
from refairn.support.services.tickets import (
    suggestion_routes,
    ticket_create,
    ticket_escalate,
    ticket_message_add,
    ticket_message_check,
    ticket_reopen,
    ticket_resolve,
    ticket_suggestion_dismiss,
    tickets_requeue_for_agent,
)

__all__ = [
    "assignment_end",
    "assignment_set",
    "assignments_end_for_agent",
    "escalation_topics_reset",
    "escalation_topics_update",
    "overdue_flags_raise",
    "review_decide",
    "suggestion_routes",
    "support_access_activate_if_certified",
    "support_access_change",
    "support_access_request",
    "support_policy_update",
    "ticket_create",
    "ticket_escalate",
    "ticket_message_add",
    "ticket_message_check",
    "ticket_rate",
    "ticket_reopen",
    "ticket_resolve",
    "ticket_suggestion_dismiss",
    "tickets_requeue_for_agent",
    "unavailability_create",
    "warning_send",
]
