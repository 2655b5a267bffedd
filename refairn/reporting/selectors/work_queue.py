"""The work queue (issue 12 item 3): what waits on a decision by the business, per role.

Owners and managers decide applications, passes awaiting approval, attempts to grade,
support-access requests, open performance reviews and the tickets nobody holds (unassigned,
overdue, escalated to the business); reviewers grade attempts; security staff take the security
escalations (PRODUCT.md §6). Counts are exact; each list holds the first ``SHOWN`` items, oldest
first, since the oldest waited longest. A fixed number of queries whatever the backlog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q

from refairn.assessments.selectors import GRADERS, reviews_waiting_count
from refairn.certification.domain.status import Status as CertStatus
from refairn.certification.models import Certification
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.escalation import Category
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import PerformanceReview, SupportAccess, Ticket
from refairn.support.selectors.tickets import with_overdue

SHOWN = 5


class Kind(StrEnum):
    APPLICATIONS = "applications"
    APPROVALS = "approvals"
    GRADING = "grading"
    ACCESS_REQUESTS = "access_requests"
    PERFORMANCE_REVIEWS = "performance_reviews"
    UNASSIGNED_TICKETS = "unassigned_tickets"
    OVERDUE_TICKETS = "overdue_tickets"
    ESCALATED_TICKETS = "escalated_tickets"
    SECURITY_ESCALATIONS = "security_escalations"


LABELS = {
    Kind.APPLICATIONS: "Applications",
    Kind.APPROVALS: "Passes awaiting approval",
    Kind.GRADING: "Attempts to grade",
    Kind.ACCESS_REQUESTS: "Support-access requests",
    Kind.PERFORMANCE_REVIEWS: "Open performance reviews",
    Kind.UNASSIGNED_TICKETS: "Unassigned tickets",
    Kind.OVERDUE_TICKETS: "Overdue tickets",
    Kind.ESCALATED_TICKETS: "Escalated to the business",
    Kind.SECURITY_ESCALATIONS: "Security escalations",
}


@dataclass(frozen=True)
class QueueEntry:
    kind: Kind
    count: int
    # The first waiting items, for kinds whose decision is made on each item's own page.
    items: list[Any] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _kinds_for(actor: Actor) -> list[Kind]:
    kinds: list[Kind] = []
    admin = actor.has(*ADMIN_ROLES)
    if admin:
        kinds += [Kind.APPLICATIONS, Kind.APPROVALS]
    if actor.has(*GRADERS):
        kinds.append(Kind.GRADING)
    if admin:
        kinds += [
            Kind.ACCESS_REQUESTS,
            Kind.PERFORMANCE_REVIEWS,
            Kind.UNASSIGNED_TICKETS,
            Kind.OVERDUE_TICKETS,
            Kind.ESCALATED_TICKETS,
        ]
    if actor.has(Role.SECURITY):
        kinds.append(Kind.SECURITY_ESCALATIONS)
    return kinds


def _security() -> Q:
    return Q(status=TicketStatus.ESCALATED, escalation_category=Category.ACCOUNT_SECURITY)


def _ticket_counts(actor: Actor) -> dict[str, int]:
    """Every ticket count in one query."""
    return with_overdue(
        Ticket.objects.for_actor(actor).exclude(status=TicketStatus.CLOSED)
    ).aggregate(
        unassigned_tickets=Count(
            "id", filter=Q(assigned_agent__isnull=True, status=TicketStatus.OPEN)
        ),
        overdue_tickets=Count("id", filter=Q(overdue=True)),
        escalated_tickets=Count("id", filter=Q(status=TicketStatus.ESCALATED)),
        security_escalations=Count("id", filter=_security()),
    )


def _approvals(actor: Actor) -> Any:
    """A first pass waiting for the business (``passed``) or a passed renewal (manual final
    approval, issue 11 item 3)."""
    return (
        Certification.objects.for_actor(actor)
        .filter(Q(status=CertStatus.PASSED) | Q(renewal_passed_at__isnull=False))
        .select_related("agent", "track")
        .order_by("updated_at", "id")
    )


def _counted(qs: Any, *, listed: bool) -> tuple[int, list[Any]]:
    count = qs.count()
    return count, (list(qs[:SHOWN]) if listed and count else [])


def work_queue_for(actor: Actor, *, listed: bool = True) -> list[QueueEntry]:
    """The caller's queue, one entry per kind their roles decide (none for non-staff).
    ``listed=False``: counts only (the navigation's badge)."""
    kinds = _kinds_for(actor)
    if not kinds:
        return []
    tickets = (
        _ticket_counts(actor)
        if {Kind.UNASSIGNED_TICKETS, Kind.SECURITY_ESCALATIONS} & set(kinds)
        else {}
    )
    entries = []
    for kind in kinds:
        items: list[Any] = []
        match kind:
            case Kind.APPLICATIONS:
                count = Agent.objects.for_actor(actor).filter(status=AgentStatus.PENDING).count()
            case Kind.APPROVALS:
                count, items = _counted(_approvals(actor), listed=listed)
            case Kind.GRADING:
                count = reviews_waiting_count(actor)
            case Kind.ACCESS_REQUESTS:
                count, items = _counted(
                    SupportAccess.objects.for_actor(actor)
                    .filter(status=AccessStatus.REQUESTED)
                    .select_related("agent")
                    .order_by("changed_at", "agent_id"),
                    listed=listed,
                )
            case Kind.PERFORMANCE_REVIEWS:
                count, items = _counted(
                    PerformanceReview.objects.for_actor(actor)
                    .filter(status=PerformanceReview.Status.OPEN)
                    .select_related("agent")
                    .order_by("opened_at", "id"),
                    listed=listed,
                )
            case Kind.UNASSIGNED_TICKETS:
                count = tickets[kind.value]
                if listed and count:
                    items = list(
                        Ticket.objects.for_actor(actor)
                        .filter(assigned_agent__isnull=True, status=TicketStatus.OPEN)
                        .select_related("customer")
                        .order_by("created_at", "id")[:SHOWN]
                    )
            case Kind.SECURITY_ESCALATIONS:
                count = tickets[kind.value]
                if listed and count:
                    items = list(
                        Ticket.objects.for_actor(actor)
                        .filter(_security())
                        .select_related("customer")
                        .order_by("escalated_at", "id")[:SHOWN]
                    )
            case _:
                count = tickets[kind.value]
        entries.append(QueueEntry(kind, count, items))
    return entries


def work_queue_total(entries: list[QueueEntry]) -> int:
    return sum(e.count for e in entries)
