"""The event catalogue: every event the platform tells someone about, its family and its
payload fields. One table feeds the webhook subscriptions' validation, the e-mail preferences,
``docs/events.md`` and the OpenAPI document's ``webhooks`` section, so they cannot disagree.

Type names are ``<resource>.<what_happened>`` (``certification.certified``). A service names
its event with ``notification_send(event=...)``; without one, the type is derived from the
in-app ``kind`` (see ``event_type_for_kind``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    """What a user chooses e-mail preferences for (issue 13): one choice per family."""

    CERTIFICATION = "certification"
    SUPPORT = "support"
    COMMISSIONS = "commissions"
    PROGRAM = "program"


FAMILY_LABELS: dict[Family, str] = {
    Family.CERTIFICATION: "Certification: results, decisions, expiry reminders",
    Family.SUPPORT: "Support: tickets, support access, SLA warnings and reviews, routing",
    Family.COMMISSIONS: "Commissions: statements and reversals",
    Family.PROGRAM: "Program: applications and membership",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # one of FIELD_TYPES
    description: str


# Field types as the docs name them, and their JSON schema (the OpenAPI webhooks section).
FIELD_TYPES: dict[str, dict[str, object]] = {
    "id": {"type": "string", "format": "uuid"},
    "ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    "string": {"type": "string"},
    "datetime": {"type": "string", "format": "date-time"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "money": {
        "type": "object",
        "properties": {"amount": {"type": "string"}, "currency": {"type": "string"}},
    },
}


@dataclass(frozen=True)
class EventSpec:
    type: str
    family: Family
    audience: str
    summary: str
    fields: tuple[Field, ...] = ()


# Always in ``data``: the platform fills them from the notification itself.
COMMON_FIELDS: tuple[Field, ...] = (
    Field("business_id", "id", "The business the event belongs to."),
    Field("kind", "string", "The in-app notification kind (GET /me/notifications)."),
    Field("text", "string", "The sentence the recipients read in the app."),
    Field("link", "string", "The page about it, as a path of the web app (may be empty)."),
    Field("url", "string", "The same page as an absolute URL (empty when there is no page)."),
    Field("recipient_ids", "ids", "The users told about it in the app."),
)

_AGENT = Field("agent_id", "id", "The agent concerned (their user id).")
_TRACK = Field("track_id", "id", "The certification track.")
_REASON = Field("reason", "string", "The reason given.")
_TICKET = Field("ticket_id", "id", "The ticket.")
_CUSTOMER = Field("customer_id", "id", "The customer.")
_REVIEW = Field("review_id", "id", "The support performance review.")
_EXPIRES = Field("expires_at", "datetime", "When the certification expires.")
_CERT = (_AGENT, _TRACK)

_C, _S, _M, _P = Family.CERTIFICATION, Family.SUPPORT, Family.COMMISSIONS, Family.PROGRAM

CATALOGUE: tuple[EventSpec, ...] = (
    # -- certification (PRODUCT.md §4, §5)
    EventSpec(
        "certification.passed",
        _C,
        "agent",
        "The agent passed; the business will confirm.",
        (*_CERT, Field("score", "string", "The score, as a percentage.")),
    ),
    EventSpec(
        "certification.failed",
        _C,
        "agent",
        "The agent did not pass the assessment.",
        (
            *_CERT,
            Field("score", "string", "The score, as a percentage."),
            Field("next_attempt_at", "datetime", "When the next attempt opens."),
        ),
    ),
    EventSpec(
        "certification.approval_needed",
        _C,
        "owners, managers, reviewers",
        "An agent passed; the business must approve or decline.",
        _CERT,
    ),
    EventSpec(
        "certification.awaiting_review",
        _C,
        "agent",
        "The agent's submission waits for a reviewer.",
        _CERT,
    ),
    EventSpec(
        "certification.review_needed",
        _C,
        "reviewers",
        "A submission waits for manual review.",
        _CERT,
    ),
    EventSpec(
        "certification.certified",
        _C,
        "agent",
        "The agent is certified (or renewed).",
        (*_CERT, _EXPIRES, Field("renewed", "boolean", "A renewal, not a first time.")),
    ),
    EventSpec(
        "certification.declined",
        _C,
        "agent",
        "The business declined a passed certification.",
        (*_CERT, _REASON),
    ),
    EventSpec(
        "certification.revoked",
        _C,
        "agent",
        "The business revoked a certification.",
        (*_CERT, _REASON),
    ),
    EventSpec("certification.reopened", _C, "agent", "The business reopened a track.", _CERT),
    EventSpec(
        "certification.attempts_granted",
        _C,
        "agent",
        "The business granted extra attempts.",
        (*_CERT, Field("count", "integer", "How many attempts were granted.")),
    ),
    EventSpec(
        "certification.expiry_reminder",
        _C,
        "agent",
        "The certification expires soon (30, then 7 days before); renewal is open.",
        (
            *_CERT,
            _EXPIRES,
            Field("days_before", "integer", "30 or 7: how long before the expiry it is sent."),
        ),
    ),
    EventSpec(
        "certification.expired",
        _C,
        "agent",
        "The recertification interval ran out.",
        (*_CERT, _EXPIRES),
    ),
    # -- support access (PRODUCT.md §5, §6)
    EventSpec(
        "support_access.requested",
        _S,
        "owners, managers",
        "An agent requested support access.",
        (_AGENT,),
    ),
    EventSpec(
        "support_access.active",
        _S,
        "agent",
        "The agent became a Certified Support Agent.",
        (_AGENT,),
    ),
    EventSpec(
        "support_access.suspended", _S, "agent", "Support access was suspended.", (_AGENT, _REASON)
    ),
    EventSpec(
        "support_access.reinstated",
        _S,
        "agent",
        "Support access was reinstated.",
        (_AGENT, _REASON),
    ),
    EventSpec(
        "support_access.removed", _S, "agent", "Support access was removed.", (_AGENT, _REASON)
    ),
    EventSpec(
        "support_access.reapproved",
        _S,
        "agent",
        "Support access was re-approved.",
        (_AGENT, _REASON),
    ),
    # -- SLA and performance (PRODUCT.md §6)
    EventSpec(
        "sla.warning",
        _S,
        "agent",
        "An automatic warning after repeated overdue flags.",
        (_AGENT, Field("overdue_flags_30d", "integer", "Overdue flags in 30 days.")),
    ),
    EventSpec(
        "support.warning",
        _S,
        "agent",
        "The business sent a warning by hand.",
        (_AGENT, Field("message", "string", "The warning.")),
    ),
    EventSpec(
        "performance_review.opened",
        _S,
        "agent",
        "A support performance review opened.",
        (_AGENT, _REVIEW),
    ),
    EventSpec(
        "performance_review.to_decide",
        _S,
        "owners, managers",
        "A performance review waits for the business's decision.",
        (_AGENT, _REVIEW),
    ),
    EventSpec(
        "performance_review.decided",
        _S,
        "agent",
        "A performance review was decided.",
        (_AGENT, _REVIEW, Field("outcome", "string", "keep or remove_support")),
    ),
    EventSpec(
        "agent.unavailable",
        _S,
        "owners, managers",
        "An agent gave notice of unavailability.",
        (
            _AGENT,
            Field("starts_at", "datetime", "Start of the period."),
            Field("ends_at", "datetime", "End of the period."),
        ),
    ),
    EventSpec(
        "customer.assigned",
        _S,
        "agent",
        "A customer was assigned for support.",
        (_AGENT, _CUSTOMER),
    ),
    # -- tickets (PRODUCT.md §6)
    EventSpec(
        "ticket.opened",
        _S,
        "the ticket's agent, or owners and managers",
        "A ticket was opened.",
        (_TICKET, _CUSTOMER),
    ),
    EventSpec(
        "ticket.message",
        _S,
        "the ticket's agent, or owners and managers",
        "The customer wrote on a ticket.",
        (_TICKET,),
    ),
    EventSpec(
        "ticket.reply", _S, "the customer", "The support side answered the customer.", (_TICKET,)
    ),
    EventSpec(
        "ticket.escalated",
        _S,
        "owners, managers",
        "A ticket was escalated.",
        (_TICKET, Field("category", "string", "The escalation category.")),
    ),
    EventSpec(
        "ticket.escalated_security",
        _S,
        "security staff",
        "A ticket was escalated on a security topic.",
        (_TICKET, Field("category", "string", "The escalation category.")),
    ),
    EventSpec("ticket.resolved", _S, "the customer", "The ticket was closed.", (_TICKET,)),
    EventSpec(
        "ticket.reopened",
        _S,
        "the ticket's agent, or owners and managers",
        "The customer reopened the ticket.",
        (_TICKET,),
    ),
    EventSpec(
        "ticket.reassigned",
        _S,
        "the agent the ticket now belongs to",
        "Staff reassigned the ticket to this agent.",
        (_TICKET,),
    ),
    # -- routing (PRODUCT.md §7)
    EventSpec(
        "routing.fallback",
        _S,
        "owners, managers",
        "A routing rule's pool was empty and its fallback was used.",
        (_TICKET, Field("rule", "string", "The rule's name."), _REASON),
    ),
    EventSpec(
        "routing.security",
        _S,
        "security staff",
        "A security routing rule escalated a ticket.",
        (_TICKET, Field("rule", "string", "The rule's name."), _REASON),
    ),
    # -- commissions (PRODUCT.md §10)
    EventSpec(
        "commission.statement",
        _M,
        "agent",
        "A monthly commission statement is ready.",
        (
            _AGENT,
            Field("period", "string", "The month, YYYY-MM."),
            Field("total", "money", "The month's total."),
        ),
    ),
    EventSpec(
        "commission.reversed",
        _M,
        "agent",
        "A commission entry was reversed.",
        (
            _AGENT,
            Field("entry_id", "id", "The reversed entry."),
            Field("period", "string", "The month, YYYY-MM."),
            Field("amount", "money", "The reversed amount."),
            _REASON,
        ),
    ),
    # -- program membership (PRODUCT.md §1)
    EventSpec("agent.applied", _P, "owners, managers", "A user applied to the program.", (_AGENT,)),
    EventSpec(
        "application.approved", _P, "the applicant", "The application was approved.", (_AGENT,)
    ),
    EventSpec(
        "application.declined",
        _P,
        "the applicant",
        "The application was declined.",
        (_AGENT, _REASON),
    ),
)

BY_TYPE: dict[str, EventSpec] = {spec.type: spec for spec in CATALOGUE}

# The resource a kind starts with: longest first, so ``support_access_x`` is not ``support``.
_RESOURCES: dict[str, Family] = {
    "performance_review": _S,
    "support_access": _S,
    "certification": _C,
    "application": _P,
    "commission": _M,
    "customer": _S,
    "routing": _S,
    "support": _S,
    "ticket": _S,
    "agent": _P,
    "sla": _S,
}

# Kinds whose last word is a verb in the imperative (the access machine's event names).
_PAST_TENSE = {
    "suspend": "suspended",
    "reinstate": "reinstated",
    "remove": "removed",
    "reapprove": "reapproved",
}

TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def event_type_for_kind(kind: str) -> str:
    """The default event type of an in-app ``kind``: the resource it starts with, a dot, the
    rest (``certification_certified`` → ``certification.certified``,
    ``support_access_suspend`` → ``support_access.suspended``). A kind that starts with no
    known resource splits at its first underscore (``foo_bar`` → ``foo.bar``); a kind without
    one becomes ``<kind>.happened``."""
    kind = kind.strip().lower()
    for resource in sorted(_RESOURCES, key=len, reverse=True):
        if kind.startswith(f"{resource}_"):
            rest = kind[len(resource) + 1 :]
            return f"{resource}.{_PAST_TENSE.get(rest, rest)}"
    head, _, rest = kind.partition("_")
    return f"{head}.{rest or 'happened'}"


def family_of(event_type: str) -> Family:
    """The catalogue's family; for a type outside it, the family of its resource, else
    ``program`` (news about one's membership)."""
    if spec := BY_TYPE.get(event_type):
        return spec.family
    return _RESOURCES.get(event_type.partition(".")[0], Family.PROGRAM)


def is_valid_type(event_type: str) -> bool:
    return bool(TYPE_PATTERN.match(event_type))
