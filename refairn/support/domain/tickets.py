"""Ticket lifecycle: the transition table and the SLA timestamps events set (PRODUCT.md §6).

The table is the single source of truth: services enforce it and the UI offers only
``allowed_events``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from refairn.support.domain.errors import InvalidTransition, TicketRuleViolation
from refairn.support.domain.escalation import Category
from refairn.support.domain.instants import as_utc
from refairn.support.domain.sla import (
    BusinessHours,
    SlaTerms,
    add_sla_hours,
    add_sla_time,
    elapsed_business_seconds,
    sla_deadlines,
)


class TicketStatus(StrEnum):
    OPEN = "open"
    # Waiting on the customer: the SLA clock is paused (issue 12 item 7).
    PENDING = "pending"
    ESCALATED = "escalated"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


# The statuses that count toward an agent's open workload (PRODUCT.md §7): the tickets they own
# and still work on, the SLA clock running or paused.
OPEN_WORKLOAD = frozenset({TicketStatus.OPEN, TicketStatus.PENDING})


_STATUS_LABELS = {
    TicketStatus.OPEN: "Open",
    TicketStatus.PENDING: "Waiting on customer",
    TicketStatus.ESCALATED: "Escalated",
    TicketStatus.CLOSED: "Closed",
}


class TicketEvent(StrEnum):
    REPLY = "reply"
    PEND = "pend"
    RESUME = "resume"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    REASSIGN = "reassign"


class Party(StrEnum):
    """Who acts on a ticket; only the support side's messages answer it."""

    CUSTOMER = "customer"
    AGENT = "agent"
    STAFF = "staff"


TRANSITIONS: Mapping[tuple[TicketStatus, TicketEvent], TicketStatus] = MappingProxyType(
    {
        (TicketStatus.OPEN, TicketEvent.REPLY): TicketStatus.OPEN,
        (TicketStatus.OPEN, TicketEvent.PEND): TicketStatus.PENDING,
        (TicketStatus.OPEN, TicketEvent.ESCALATE): TicketStatus.ESCALATED,
        (TicketStatus.OPEN, TicketEvent.RESOLVE): TicketStatus.CLOSED,
        (TicketStatus.OPEN, TicketEvent.REASSIGN): TicketStatus.OPEN,
        # The support side may add to a pending ticket and still wait; the customer's reply
        # resumes it first (``record_reply``), as does escalating or resolving it.
        (TicketStatus.PENDING, TicketEvent.REPLY): TicketStatus.PENDING,
        (TicketStatus.PENDING, TicketEvent.RESUME): TicketStatus.OPEN,
        (TicketStatus.PENDING, TicketEvent.ESCALATE): TicketStatus.ESCALATED,
        (TicketStatus.PENDING, TicketEvent.RESOLVE): TicketStatus.CLOSED,
        (TicketStatus.PENDING, TicketEvent.REASSIGN): TicketStatus.PENDING,
        (TicketStatus.ESCALATED, TicketEvent.REPLY): TicketStatus.ESCALATED,
        (TicketStatus.ESCALATED, TicketEvent.RESOLVE): TicketStatus.CLOSED,
        # A closed ticket takes no messages: the customer reopens it first, so reopening (and
        # the new resolution deadline it brings) is always an explicit act.
        (TicketStatus.CLOSED, TicketEvent.REOPEN): TicketStatus.OPEN,
    }
)


def next_status(current: TicketStatus, event: TicketEvent) -> TicketStatus:
    """PRODUCT.md §6: the status an event leads to, or InvalidTransition (API 409)."""
    try:
        return TRANSITIONS[(current, event)]
    except KeyError:
        raise InvalidTransition(current, event) from None


def allowed_events(current: TicketStatus) -> frozenset[TicketEvent]:
    """The events the table allows from ``current``; what the UI offers."""
    return frozenset(event for (status, event) in TRANSITIONS if status == current)


def flagged_for_review(routing: Mapping[str, object]) -> bool:
    """PRODUCT.md §7: routed by a ``flag_for_review`` fallback (the seed's billing rule:
    "auto-flag for billing specialist review"), as the ticket's latest routing says."""
    return bool(routing) and routing.get("fallback") == "flag_for_review"


@dataclass(frozen=True)
class TicketTimeline:
    """A ticket's status and SLA timestamps, all aware UTC."""

    status: TicketStatus
    created_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    first_responded_at: datetime | None = None
    escalated_at: datetime | None = None
    escalation_category: Category | None = None
    resolved_at: datetime | None = None
    # When the ticket started waiting on the customer; set only while it is pending.
    paused_at: datetime | None = None


def _at(ticket: TicketTimeline, at: datetime) -> datetime:
    at = as_utc(at, "at")
    if at < ticket.created_at:
        raise ValueError("a ticket event cannot precede the ticket's creation")
    return at


def _answered(ticket: TicketTimeline, at: datetime) -> datetime:
    return ticket.first_responded_at if ticket.first_responded_at is not None else at


def open_ticket(
    *, created_at: datetime, terms: SlaTerms, calendar: BusinessHours | None
) -> TicketTimeline:
    """PRODUCT.md §6: a new open ticket with its SLA deadlines counted from creation."""
    created_at = as_utc(created_at, "created_at")
    due = sla_deadlines(created_at, terms, calendar)
    return TicketTimeline(
        status=TicketStatus.OPEN,
        created_at=created_at,
        first_response_due=due.first_response_due,
        resolution_due=due.resolution_due,
    )


def record_pause(ticket: TicketTimeline, *, at: datetime) -> TicketTimeline:
    """Issue 12 item 7: the support side waits on the customer; the SLA clock stops."""
    status = next_status(ticket.status, TicketEvent.PEND)
    return replace(ticket, status=status, paused_at=_at(ticket, at))


def record_resume(
    ticket: TicketTimeline, *, at: datetime, calendar: BusinessHours | None
) -> TicketTimeline:
    """Issue 12 item 7: the SLA clock runs again. Each deadline still ahead when the pause
    began moves by the SLA time the pause took (business hours only, when the business keeps
    them); a deadline already missed before the pause stays missed."""
    status = next_status(ticket.status, TicketEvent.RESUME)
    at = _at(ticket, at)
    paused_at = ticket.paused_at if ticket.paused_at is not None else at
    span = timedelta(seconds=elapsed_business_seconds(paused_at, at, calendar))

    def moved(due: datetime) -> datetime:
        return add_sla_time(due, span, calendar) if due > paused_at else due

    first_response_due = ticket.first_response_due
    if ticket.first_responded_at is None:
        first_response_due = moved(first_response_due)
    return replace(
        ticket,
        status=status,
        paused_at=None,
        first_response_due=first_response_due,
        resolution_due=max(moved(ticket.resolution_due), first_response_due),
    )


def _running(
    ticket: TicketTimeline, at: datetime, calendar: BusinessHours | None
) -> TicketTimeline:
    """The ticket with its SLA clock running: resumed first if it was pending."""
    if ticket.status is TicketStatus.PENDING:
        return record_resume(ticket, at=at, calendar=calendar)
    return ticket


def record_reply(
    ticket: TicketTimeline, *, by: Party, at: datetime, calendar: BusinessHours | None = None
) -> TicketTimeline:
    """PRODUCT.md §6 / API: the support side's first message is the first response.

    Staff count as well as the agent: a customer answered by the business has been answered.
    The customer's reply to a pending ticket resumes it (issue 12 item 7).
    """
    if by == Party.CUSTOMER:
        next_status(ticket.status, TicketEvent.REPLY)
        ticket = _running(ticket, at, calendar)
    status = next_status(ticket.status, TicketEvent.REPLY)
    at = _at(ticket, at)
    if by == Party.CUSTOMER:
        return replace(ticket, status=status)
    return replace(ticket, status=status, first_responded_at=_answered(ticket, at))


def record_escalation(
    ticket: TicketTimeline,
    *,
    category: Category,
    at: datetime,
    calendar: BusinessHours | None = None,
) -> TicketTimeline:
    """PRODUCT.md §6: escalating acknowledges the customer (a first response) and hands the
    ticket to the business, taking its later deadlines out of the agent's SLA."""
    next_status(ticket.status, TicketEvent.ESCALATE)
    ticket = _running(ticket, at, calendar)
    status = next_status(ticket.status, TicketEvent.ESCALATE)
    at = _at(ticket, at)
    return replace(
        ticket,
        status=status,
        first_responded_at=_answered(ticket, at),
        escalated_at=at,
        escalation_category=Category(category),
    )


def record_resolution(
    ticket: TicketTimeline, *, at: datetime, calendar: BusinessHours | None = None
) -> TicketTimeline:
    """PRODUCT.md §6: closing a ticket resolves it; if nobody had replied yet, the resolution
    notice is also the first response (a closed ticket cannot still be awaiting one)."""
    next_status(ticket.status, TicketEvent.RESOLVE)
    ticket = _running(ticket, at, calendar)
    status = next_status(ticket.status, TicketEvent.RESOLVE)
    at = _at(ticket, at)
    return replace(ticket, status=status, resolved_at=at, first_responded_at=_answered(ticket, at))


def record_reopen(
    ticket: TicketTimeline, *, at: datetime, terms: SlaTerms, calendar: BusinessHours | None
) -> TicketTimeline:
    """PRODUCT.md §6: the customer reopens a closed ticket.

    The first response stands (the customer was answered); the resolution clock restarts from
    the reopening, since holding the agent to the original deadline would make every late
    reopen an instant breach. A reopened ticket is open again, with the agent's SLA and no
    escalation: if the topic still needs the business, it is escalated anew.
    """
    status = next_status(ticket.status, TicketEvent.REOPEN)
    at = _at(ticket, at)
    return replace(
        ticket,
        status=status,
        resolved_at=None,
        resolution_due=add_sla_hours(at, terms.resolution_hours, calendar),
        escalated_at=None,
        escalation_category=None,
    )


def ensure_can_rate(*, status: TicketStatus, already_rated: bool) -> None:
    """PRODUCT.md §6: a customer may rate a ticket once, and only while it is closed."""
    if status != TicketStatus.CLOSED:
        raise TicketRuleViolation("ticket_not_closed", "a ticket can be rated once it is closed")
    if already_rated:
        raise TicketRuleViolation("already_rated", "this ticket has already been rated")


def ensure_can_reassign(
    *, status: TicketStatus, current_agent: str | None, new_agent: str, eligible: bool
) -> None:
    """Issue 12 item 7: staff hand an open or pending ticket to another agent, who must be a
    certified support agent able to take tickets now (PRODUCT.md §7's candidates)."""
    next_status(status, TicketEvent.REASSIGN)
    if new_agent == current_agent:
        raise TicketRuleViolation("already_assigned", "the ticket is already with this agent")
    if not eligible:
        raise TicketRuleViolation(
            "agent_not_eligible",
            "this agent cannot take tickets: not a certified support agent, suspended, away "
            "or with an expired security-critical track",
        )
