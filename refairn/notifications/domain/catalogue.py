"""The event catalogue: every event the platform tells someone about, its family and its
payload fields. One table feeds the webhook subscriptions' validation, the e-mail preferences,
``docs/events.md`` and the OpenAPI document's ``webhooks`` section, so they cannot disagree.

Type names are ``<resource>.<what_happened>`` (``certification.certified``). A service names
its event and gives its payload with ``notification_send(event=..., data=...)``; the outbox
refuses a type that is not catalogued here and a payload that does not match its fields
(``payload_problems``), so what subscribers receive is what ``docs/events.md`` says.

A new notice: add its ``EventSpec`` (type, family, audience, fields: names and links as well
as ids, so a receiver needs no second call to show it), send it with those fields, and run
``scripts/openapi``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


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
    # Every field is present in every event of its type; ``nullable`` ones may be null.
    nullable: bool = False


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
    Field("business_id", "id", "The business the event belongs to.", nullable=True),
    Field("business_name", "string", "The business's name.", nullable=True),
    Field("kind", "string", "The in-app notification kind (GET /me/notifications)."),
    Field("text", "string", "The sentence the recipients read in the app."),
    Field("link", "string", "The page about it, as a path of the web app (may be empty)."),
    Field("url", "string", "The same page as an absolute URL (empty when there is no page)."),
    Field("recipient_ids", "ids", "The users told about it in the app."),
)

_AGENT = (
    Field("agent_id", "id", "The agent concerned (their user id)."),
    Field("agent_name", "string", "The agent's name (their e-mail when they gave none)."),
)
_TRACK = (
    Field("track_id", "id", "The certification track."),
    Field("track_name", "string", "The track's name."),
)
_REASON = Field("reason", "string", "The reason given (may be empty where none is required).")
_TICKET = (
    Field("ticket_id", "id", "The ticket."),
    Field("subject", "string", "The ticket's subject."),
    Field("customer_id", "id", "The ticket's customer."),
    Field("customer_name", "string", "The customer's name."),
)
_CATEGORY = Field("category", "string", "The escalation category.")
_RULE = Field("rule", "string", "The routing rule's name (null: no rule matched).", nullable=True)
_REVIEW = (
    Field("review_id", "id", "The support performance review."),
    Field("trigger", "string", "Why the review opened (e.g. 3 overdue flags in 30 days)."),
)
_EXPIRES = Field("expires_at", "datetime", "When the certification expires.")
_SCORE = Field("score", "string", "The score, as a percentage.")
_CERT = (*_AGENT, *_TRACK)
_PERIOD = Field("period", "string", "The month, YYYY-MM.")

_C, _S, _M, _P = Family.CERTIFICATION, Family.SUPPORT, Family.COMMISSIONS, Family.PROGRAM

CATALOGUE: tuple[EventSpec, ...] = (
    # -- certification (PRODUCT.md §4, §5)
    EventSpec(
        "certification.passed",
        _C,
        "agent",
        "The agent passed; the business will confirm.",
        (*_CERT, _SCORE),
    ),
    EventSpec(
        "certification.failed",
        _C,
        "agent",
        "The agent did not pass the assessment.",
        (
            *_CERT,
            _SCORE,
            Field(
                "next_attempt_at",
                "datetime",
                "When the next attempt opens (null: no attempt left).",
                nullable=True,
            ),
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
        (
            *_CERT,
            Field(
                "expires_at",
                "datetime",
                "When the certification expires (null: the track never expires).",
                nullable=True,
            ),
            Field("renewed", "boolean", "A renewal, not a first time."),
        ),
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
        _AGENT,
    ),
    EventSpec(
        "support_access.active",
        _S,
        "agent",
        "The agent became a Certified Support Agent.",
        _AGENT,
    ),
    EventSpec(
        "support_access.suspended", _S, "agent", "Support access was suspended.", (*_AGENT, _REASON)
    ),
    EventSpec(
        "support_access.reinstated",
        _S,
        "agent",
        "Support access was reinstated.",
        (*_AGENT, _REASON),
    ),
    EventSpec(
        "support_access.removed", _S, "agent", "Support access was removed.", (*_AGENT, _REASON)
    ),
    EventSpec(
        "support_access.reapproved",
        _S,
        "agent",
        "Support access was re-approved.",
        (*_AGENT, _REASON),
    ),
    EventSpec(
        "support_access.restricted",
        _S,
        "owners, managers",
        "An agent's security-critical certification expired or was revoked: no new tickets or "
        "customers until renewed; their open tickets were re-routed.",
        (
            Field("agent_name", "string", "The agent's name."),
            Field("track_name", "string", "The security-critical track."),
            Field("cause", "string", "expired or revoked"),
            Field("tickets_rerouted", "integer", "How many open tickets were re-routed."),
        ),
    ),
    # -- SLA and performance (PRODUCT.md §6)
    EventSpec(
        "sla.warning",
        _S,
        "agent",
        "An automatic warning after repeated overdue flags.",
        (
            *_AGENT,
            Field("overdue_flags", "integer", "Overdue flags in the window."),
            Field("window_days", "integer", "The window, in days."),
        ),
    ),
    EventSpec(
        "support.warning",
        _S,
        "agent",
        "The business sent a warning by hand.",
        (*_AGENT, Field("message", "string", "The warning.")),
    ),
    EventSpec(
        "performance_review.opened",
        _S,
        "agent",
        "A support performance review opened.",
        (*_AGENT, *_REVIEW),
    ),
    EventSpec(
        "performance_review.to_decide",
        _S,
        "owners, managers",
        "A performance review waits for the business's decision.",
        (*_AGENT, *_REVIEW),
    ),
    EventSpec(
        "performance_review.decided",
        _S,
        "agent",
        "A performance review was decided.",
        (
            *_AGENT,
            *_REVIEW,
            Field("outcome", "string", "keep or remove_support"),
            _REASON,
        ),
    ),
    EventSpec(
        "agent.unavailable",
        _S,
        "owners, managers",
        "An agent gave notice of unavailability.",
        (
            *_AGENT,
            Field("starts_at", "datetime", "Start of the period."),
            Field("ends_at", "datetime", "End of the period."),
            _REASON,
        ),
    ),
    EventSpec(
        "customer.assigned",
        _S,
        "agent",
        "A customer was assigned for support.",
        (
            *_AGENT,
            Field("customer_id", "id", "The customer."),
            Field("customer_name", "string", "The customer's name."),
        ),
    ),
    # -- tickets (PRODUCT.md §6)
    EventSpec(
        "ticket.opened",
        _S,
        "the ticket's agent, or owners and managers",
        "A ticket was opened.",
        _TICKET,
    ),
    EventSpec(
        "ticket.message",
        _S,
        "the ticket's agent, or owners and managers",
        "The customer wrote on a ticket.",
        _TICKET,
    ),
    EventSpec(
        "ticket.reply", _S, "the customer", "The support side answered the customer.", _TICKET
    ),
    EventSpec(
        "ticket.escalated",
        _S,
        "owners, managers",
        "A ticket was escalated.",
        (*_TICKET, _CATEGORY),
    ),
    EventSpec(
        "ticket.escalated_security",
        _S,
        "security staff",
        "A ticket was escalated on a security topic.",
        (*_TICKET, _CATEGORY),
    ),
    EventSpec("ticket.resolved", _S, "the customer", "The ticket was closed.", _TICKET),
    EventSpec(
        "ticket.rerouted",
        _S,
        "the ticket's new agent, or owners and managers",
        "An open ticket was routed again because its agent may no longer take tickets.",
        _TICKET,
    ),
    EventSpec(
        "ticket.reopened",
        _S,
        "the ticket's agent, or owners and managers",
        "The customer reopened the ticket.",
        _TICKET,
    ),
    EventSpec(
        "ticket.reassigned",
        _S,
        "the agent the ticket now belongs to",
        "Staff reassigned the ticket to this agent.",
        _TICKET,
    ),
    # -- routing (PRODUCT.md §7)
    EventSpec(
        "routing.fallback",
        _S,
        "owners, managers",
        "A routing rule's pool was empty and its fallback was used.",
        (
            Field("ticket_id", "id", "The ticket routed."),
            Field("subject", "string", "The ticket's subject."),
            _RULE,
            _REASON,
        ),
    ),
    EventSpec(
        "routing.security",
        _S,
        "security staff",
        "A security routing rule escalated a ticket.",
        (
            Field("ticket_id", "id", "The ticket routed."),
            Field("subject", "string", "The ticket's subject."),
            _RULE,
            _REASON,
        ),
    ),
    # -- commissions (PRODUCT.md §10)
    EventSpec(
        "commission.statement",
        _M,
        "agent",
        "The monthly commission run finished: the agent's statement for the month is ready.",
        (
            *_AGENT,
            _PERIOD,
            Field("referral_total", "money", "The month's referral commissions."),
            Field("support_total", "money", "The month's support commissions."),
            Field("total", "money", "The month's total."),
            Field("entries", "integer", "How many ledger entries make it up."),
        ),
    ),
    EventSpec(
        "commission.reversed",
        _M,
        "agent",
        "A commission entry was reversed.",
        (
            *_AGENT,
            Field("entry_id", "id", "The reversed entry."),
            Field("reversal_id", "id", "The reversing entry."),
            Field("ledger", "string", "referral or support"),
            _PERIOD,
            Field("amount", "money", "The reversed amount (positive: what the entry paid)."),
            Field("code", "string", "Why, as a code (e.g. customer_refunded)."),
            Field("note", "string", "The business's note."),
        ),
    ),
    # -- program membership (PRODUCT.md §1)
    EventSpec("agent.applied", _P, "owners, managers", "A user applied to the program.", _AGENT),
    EventSpec("application.approved", _P, "the applicant", "The application was approved.", _AGENT),
    EventSpec(
        "application.declined",
        _P,
        "the applicant",
        "The application was declined.",
        (*_AGENT, _REASON),
    ),
)

BY_TYPE: dict[str, EventSpec] = {spec.type: spec for spec in CATALOGUE}

TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def family_of(event_type: str) -> Family:
    return BY_TYPE[event_type].family


def is_valid_type(event_type: str) -> bool:
    return bool(TYPE_PATTERN.match(event_type))


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _is_datetime(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _is_money(value: Any) -> bool:
    if not isinstance(value, Mapping) or set(value) != {"amount", "currency"}:
        return False
    amount, currency = value["amount"], value["currency"]
    if not isinstance(amount, str) or not isinstance(currency, str) or len(currency) != 3:
        return False
    try:
        return Decimal(amount).is_finite()
    except InvalidOperation:
        return False


_CHECKS: dict[str, Any] = {
    "id": _is_uuid,
    "ids": lambda v: isinstance(v, list) and all(_is_uuid(i) for i in v),
    "string": lambda v: isinstance(v, str),
    "datetime": _is_datetime,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "money": _is_money,
}


def fields_of(event_type: str) -> tuple[Field, ...]:
    return (*COMMON_FIELDS, *BY_TYPE[event_type].fields)


def payload_problems(
    event_type: str, data: Mapping[str, Any], *, with_common: bool = True
) -> list[str]:
    """What is wrong with ``data`` (as JSON sends it: ids, times and amounts as strings) as
    the payload of ``event_type``: not a catalogued type, a field missing, unknown, or of the
    wrong type. Empty when it matches. ``with_common=False`` checks the event's own fields
    only (before the platform adds the common ones)."""
    if event_type not in BY_TYPE:
        return [f"{event_type!r} is not in the event catalogue"]
    own = BY_TYPE[event_type].fields
    fields = {f.name: f for f in (fields_of(event_type) if with_common else own)}
    problems = [f"{name}: not a field of {event_type}" for name in data if name not in fields]
    for field in fields.values():
        if field.name not in data:
            problems.append(f"{field.name}: missing")
            continue
        value = data[field.name]
        if value is None and field.nullable:
            continue
        if not _CHECKS[field.type](value):
            problems.append(f"{field.name}: expected {field.type}, got {value!r}")
    return problems
