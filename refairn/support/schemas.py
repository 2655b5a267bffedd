from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StrictInt

from refairn.core.schemas import Instant, StrictIn
from refairn.support.domain.escalation import Category
from refairn.support.domain.ratings import MAX_SCORE, MIN_SCORE, RatingSummary
from refairn.support.domain.tickets import TicketStatus, allowed_events, flagged_for_review
from refairn.support.models import AgentWarning, Assignment, PerformanceReview, Ticket
from refairn.support.selectors.intake import Policy

Reason = Annotated[str, Field(max_length=2000)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]


def _tags(values: list[str]) -> list[str]:
    # Tags are matched by routing rules: one spelling per tag, in the order given.
    cleaned = (" ".join(v.split()).lower() for v in values)
    return list(dict.fromkeys(t for t in cleaned if t))


Tag = Annotated[str, Field(min_length=1, max_length=40)]


# Support access, assignments


class SupportAccessIn(StrictIn):
    action: Literal["suspend", "reinstate", "remove", "reapprove"]
    reason: Reason = ""


class SupportAccessOut(Schema):
    agent_id: uuid.UUID
    support_access: str


class AccessRequestOut(Schema):
    """``status`` and ``support_access`` are the same value (``status`` is API.md's name)."""

    status: str
    support_access: str


class AgentCertificationOut(Schema):
    track_id: uuid.UUID
    status: str
    expires_at: datetime | None


class AgentOut(Schema):
    agent_id: uuid.UUID
    name: str
    email: str
    status: str
    level: str | None
    support_level: str
    support_access: str
    applied_at: datetime
    certifications: list[AgentCertificationOut]


class AssignmentIn(StrictIn):
    agent_id: uuid.UUID


class AssignmentOut(Schema):
    id: uuid.UUID
    customer_id: uuid.UUID
    agent_id: uuid.UUID
    started_at: datetime
    started_by: uuid.UUID | None
    ended_at: datetime | None
    ended_by: uuid.UUID | None
    end_reason: str

    @staticmethod
    def resolve_started_by(obj: Assignment) -> uuid.UUID | None:
        return obj.started_by_id

    @staticmethod
    def resolve_ended_by(obj: Assignment) -> uuid.UUID | None:
        return obj.ended_by_id


# Tickets


class TicketIn(StrictIn):
    customer_id: uuid.UUID
    subject: Annotated[str, Field(min_length=1, max_length=200)]
    body: Text
    tags: Annotated[list[Tag], Field(max_length=20), AfterValidator(_tags)] = []
    priority: Literal["P1", "P2", "P3", "P4"] = "P3"


class RoutingOut(Schema):
    rule: str | None = None
    pool_size: int = 0
    fallback: str | None = None
    # Why the ticket went to whom, in words (``routing.domain.RoutingDecision.reason``).
    reason: str | None = None


class TicketOut(Schema):
    id: uuid.UUID
    business_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    subject: str
    body: str
    tags: list[str]
    priority: str
    status: str
    assigned_agent_id: uuid.UUID | None
    routing: RoutingOut
    # Routed by a flag-for-review fallback: a specialist should look at it (PRODUCT.md §7).
    flagged_for_review: bool
    suggested_escalation: str | None
    # 0..1: 1.0 for a phrase hit, else the detector's probability (issue 14).
    suggested_escalation_confidence: float | None
    created_at: datetime
    first_response_due_at: datetime
    resolution_due_at: datetime
    first_responded_at: datetime | None
    escalated_at: datetime | None
    escalation_category: str | None
    resolved_at: datetime | None
    # While pending (waiting on the customer): when the SLA clock stopped.
    paused_at: datetime | None
    overdue: bool
    allowed_events: list[str]

    @staticmethod
    def resolve_customer_name(obj: Ticket) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_suggested_escalation(obj: Ticket) -> str | None:
        return obj.suggested_escalation or None

    @staticmethod
    def resolve_escalation_category(obj: Ticket) -> str | None:
        return obj.escalation_category or None

    @staticmethod
    def resolve_overdue(obj: Ticket) -> bool:
        return bool(getattr(obj, "overdue", False))

    @staticmethod
    def resolve_allowed_events(obj: Ticket) -> list[str]:
        # The UI offers what the server's transition table allows.
        return sorted(e.value for e in allowed_events(TicketStatus(obj.status)))


# ``TicketOut.routing``: the stored keys it shows, with their defaults.
_ROUTING_SHOWN = tuple(RoutingOut.model_fields.items())
_ALLOWED_EVENTS = {
    status: sorted(e.value for e in allowed_events(status)) for status in TicketStatus
}


def ticket_answer(row: dict[str, Any]) -> dict[str, Any]:
    """``TicketOut`` of a ``support.selectors.TICKET_COLUMNS`` row, as its validation would
    dump it (the same keys, order and values), built directly: nothing the server just read
    is validated again (issue 17)."""
    routing = row["routing"]
    return {
        "id": row["id"],
        "business_id": row["business_id"],
        "customer_id": row["customer_id"],
        "customer_name": row["customer_name"],
        "subject": row["subject"],
        "body": row["body"],
        "tags": row["tags"],
        "priority": row["priority"],
        "status": row["status"],
        "assigned_agent_id": row["assigned_agent_id"],
        "routing": {name: routing.get(name, field.default) for name, field in _ROUTING_SHOWN},
        "flagged_for_review": flagged_for_review(routing),
        "suggested_escalation": row["suggested_escalation"] or None,
        "suggested_escalation_confidence": row["suggested_escalation_confidence"],
        "created_at": row["created_at"],
        "first_response_due_at": row["first_response_due_at"],
        "resolution_due_at": row["resolution_due_at"],
        "first_responded_at": row["first_responded_at"],
        "escalated_at": row["escalated_at"],
        "escalation_category": row["escalation_category"] or None,
        "resolved_at": row["resolved_at"],
        "paused_at": row["paused_at"],
        "overdue": bool(row["overdue"]),
        "allowed_events": _ALLOWED_EVENTS[TicketStatus(row["status"])],
    }


class TopicWarningOut(Schema):
    category: str
    reason: str
    # 0..1: 1.0 for a phrase hit (warnings kept before issue 14 were all phrase hits).
    confidence: float = 1.0


class MessageOut(Schema):
    id: uuid.UUID
    author_id: uuid.UUID | None
    party: str
    body: str
    created_at: datetime
    warnings: list[TopicWarningOut]
    # An internal note among the support side; the customer's reads never contain one.
    internal: bool


class TicketDetailOut(TicketOut):
    escalation_note: str
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: Ticket) -> list[object]:
        return list(obj.messages.all())


class MessageIn(StrictIn):
    body: Text
    # The agent's or staff's internal note: no first response, never shown to the customer.
    internal: bool = False


class ReassignIn(StrictIn):
    agent_id: uuid.UUID
    note: Reason = ""


class MessageCreatedOut(Schema):
    id: uuid.UUID
    warnings: list[TopicWarningOut]


class WarningsOut(Schema):
    warnings: list[TopicWarningOut]


class EscalateIn(StrictIn):
    category: Category
    note: Reason = ""


class WorkspaceTicketOut(Schema):
    id: uuid.UUID
    customer_name: str
    subject: str
    submitted_at: datetime
    first_response_due_at: datetime
    resolution_due_at: datetime
    overdue: bool
    status: str

    @staticmethod
    def resolve_customer_name(obj: Ticket) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_submitted_at(obj: Ticket) -> datetime:
        return obj.created_at


class WorkspaceCustomerOut(Schema):
    customer_id: uuid.UUID
    name: str
    subscription_status: str
    tenure_days: int


class WorkspaceOut(Schema):
    assigned_customers: list[WorkspaceCustomerOut]
    open_tickets: list[WorkspaceTicketOut]
    overdue_tickets: list[WorkspaceTicketOut]
    closed_tickets: list[WorkspaceTicketOut]


# Ratings and profile

Score = Annotated[StrictInt, Field(ge=MIN_SCORE, le=MAX_SCORE)]


class RatingIn(StrictIn):
    responsiveness: Score
    product_knowledge: Score
    professionalism: Score
    overall: Score
    comment: Reason = ""


class RatingOut(Schema):
    id: uuid.UUID
    ticket_id: uuid.UUID
    agent_id: uuid.UUID | None
    responsiveness: int
    product_knowledge: int
    professionalism: int
    overall: int
    comment: str
    created_at: datetime


class EarnedBadgeOut(Schema):
    """A badge on an agent's public profile: what they hold, until when."""

    business_id: uuid.UUID
    track_id: uuid.UUID
    name: str
    icon: str
    expires_at: datetime | None


def _number(value: Decimal | None) -> float | None:
    # Averages are shown to two places; a JSON number reads naturally for a score.
    return None if value is None else float(value)


class RatingSummaryOut(Schema):
    count: int
    responsiveness: float | None
    product_knowledge: float | None
    professionalism: float | None
    overall: float | None

    @staticmethod
    def resolve_responsiveness(obj: RatingSummary) -> float | None:
        return _number(obj.responsiveness)

    @staticmethod
    def resolve_product_knowledge(obj: RatingSummary) -> float | None:
        return _number(obj.product_knowledge)

    @staticmethod
    def resolve_professionalism(obj: RatingSummary) -> float | None:
        return _number(obj.professionalism)

    @staticmethod
    def resolve_overall(obj: RatingSummary) -> float | None:
        return _number(obj.overall)


class ProfileOut(Schema):
    agent_id: uuid.UUID
    name: str
    badges: list[EarnedBadgeOut]
    certified_support_partner: list[uuid.UUID]
    ratings: RatingSummaryOut
    quality_tier: str


# SLA record, warnings, reviews


class WarningIn(StrictIn):
    message: Annotated[str, Field(min_length=1, max_length=2000)]


class WarningOut(Schema):
    id: uuid.UUID
    agent_id: uuid.UUID
    kind: str
    message: str
    at: datetime
    by: uuid.UUID | None

    @staticmethod
    def resolve_by(obj: AgentWarning) -> uuid.UUID | None:
        return obj.by_id


class ReviewOut(Schema):
    id: uuid.UUID
    agent_id: uuid.UUID
    status: str
    opened_at: datetime
    trigger: str
    decided_at: datetime | None
    decided_by: uuid.UUID | None
    reason: str

    @staticmethod
    def resolve_decided_by(obj: PerformanceReview) -> uuid.UUID | None:
        return obj.decided_by_id

    @staticmethod
    def resolve_reason(obj: PerformanceReview) -> str:
        return obj.decision_reason


class ReviewDecideIn(StrictIn):
    outcome: Literal["keep", "remove_support"]
    reason: Reason = ""


class FlagOut(Schema):
    ticket_id: uuid.UUID
    kind: str
    at: datetime


class AgentSlaOut(Schema):
    agent_id: uuid.UUID
    overdue_flags_30d: int
    flags: list[FlagOut]
    warnings: list[WarningOut]
    reviews: list[ReviewOut]


# Settings and unavailability


class TopicCategoryOut(Schema):
    category: str
    label: str
    phrases: list[str]


class TopicsOut(Schema):
    customized: bool
    categories: list[TopicCategoryOut]


class TopicsIn(StrictIn):
    # Keys are checked by the domain so the error names the unknown category.
    categories: dict[str, list[Annotated[str, Field(max_length=200)]]]


class SupportPolicyIn(StrictIn):
    unavailability_policy: Literal["pause_intake", "reassign"]
    reassign_to: uuid.UUID | None = None


class SupportPolicyOut(Schema):
    unavailability_policy: str
    reassign_to: uuid.UUID | None

    @staticmethod
    def resolve_reassign_to(obj: Policy) -> uuid.UUID | None:
        return obj.reassign_to_id


class UnavailabilityIn(StrictIn):
    starts_at: Instant
    ends_at: Instant
    reason: Reason = ""


class UnavailabilityOut(Schema):
    id: uuid.UUID
    agent_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_at: datetime
