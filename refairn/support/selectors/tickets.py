"""Support reads: tickets (with their overdue flag), the agent's workspace and the customer
portal, scoped to the caller (PRODUCT.md §6)."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any, cast

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
)

from refairn.accounts.models import User
from refairn.core import clock
from refairn.core.pagination import MAX_PAGE, Page, keyset_window, page_limit
from refairn.core.tenancy import Actor, Role, TenantQuerySet
from refairn.programs.models import Customer
from refairn.programs.selectors import actor_for_row_of
from refairn.support.domain.tickets import Party, TicketStatus
from refairn.support.models import (
    Assignment,
    OverdueFlag,
    Rating,
    Ticket,
    TicketMessage,
)

DEFAULT_PAGE = 50


# Each deadline and the event that meets it (``support.domain.thresholds.deadline_missed``).
_DEADLINES = (
    ("first_response_due_at", "first_responded_at"),
    ("resolution_due_at", "resolved_at"),
)


def _overdue() -> Q:
    """PRODUCT.md §6 / issue 11 item 10: a ticket reads overdue the moment a deadline passes
    unmet (the sweep's flag, which does the side effects, may come later) or once flagged. As
    in ``deadline_missed``: meeting or escalating at the deadline itself is in time. A pending
    ticket's clock stopped when it began waiting (issue 12 item 7): only a deadline missed
    before then counts."""
    now = clock.now()
    missed = Q(Exists(OverdueFlag.objects.filter(ticket=OuterRef("pk"))))
    for due, done in _DEADLINES:
        missed |= (
            Q(**{f"{due}__lt": now})
            & (Q(paused_at__isnull=True) | Q(**{f"{due}__lt": F("paused_at")}))
            & (Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gt": F(due)}))
            & (Q(escalated_at__isnull=True) | Q(escalated_at__gt=F(due)))
        )
    return missed


def with_overdue(qs: TenantQuerySet[Ticket]) -> TenantQuerySet[Ticket]:
    """Each ticket with ``overdue`` (read as ``getattr(ticket, "overdue")``)."""
    return cast(
        TenantQuerySet[Ticket],
        qs.annotate(overdue=ExpressionWrapper(_overdue(), output_field=BooleanField())),
    )


def _visible_tickets(actor: Actor) -> TenantQuerySet[Ticket]:
    qs = Ticket.objects.for_actor(actor)
    if actor.is_staff:
        return qs
    reach = Q(pk__in=[])
    if actor.has(Role.AGENT):
        reach |= Q(assigned_agent_id=actor.user_id)
    if actor.customer_ids:
        reach |= Q(customer_id__in=actor.customer_ids)
    return qs.filter(reach)


def ticket_get_for(actor: Actor, ticket_id: object) -> Ticket:
    """Its customer, its agent and the business's staff; anyone else: NotFound."""
    qs = with_overdue(_visible_tickets(actor)).select_related("customer", "business")
    return qs.get_for(actor, ticket_id, what="ticket")


def ticket_actor(user: User, ticket_id: object) -> tuple[Actor, Ticket]:
    """For ``/tickets/{t}/...`` paths: the caller as an actor in the ticket's business."""
    actor, key = actor_for_row_of(user, Ticket, ticket_id, what="ticket")
    return actor, ticket_get_for(actor, key)


def ticket_party(actor: Actor, ticket: Ticket) -> Party:
    """The capacity the caller acts in on this ticket (they may hold several roles)."""
    if actor.has(Role.AGENT) and ticket.assigned_agent_id == actor.user_id:
        return Party.AGENT
    if actor.is_staff:
        return Party.STAFF
    return Party.CUSTOMER


def ticket_with_messages(actor: Actor, ticket: Ticket) -> Ticket:
    """The ticket with the messages the caller may read: its customer never reads the support
    side's internal notes (issue 12 item 7)."""
    messages = TicketMessage.objects.order_by("created_at", "id")
    if ticket_party(actor, ticket) is Party.CUSTOMER:
        messages = messages.filter(internal=False)
    return (
        with_overdue(Ticket.objects.filter(pk=ticket.pk))
        .prefetch_related(Prefetch("messages", queryset=messages))
        .get()
    )


TICKET_ORDER = ("-created_at", "-id")


def ticket_as_seen_by(actor: Actor, ticket: Ticket) -> Ticket:
    """The ticket as the caller may read it (issue 18 item 6): its customer never reads the
    internal escalation note nor the routing rule that placed it (its name, or the reason,
    which names it); whether it went to the queue stays theirs to know. Blanked on a copy for
    the answer, so the caller's instance keeps what is stored."""
    if ticket_party(actor, ticket) is not Party.CUSTOMER:
        return ticket
    seen = copy.copy(ticket)
    seen.escalation_note = ""
    seen.routing = {**ticket.routing, "rule": None, "reason": None}
    return seen


def tickets_list_for(
    actor: Actor,
    *,
    status: TicketStatus | None = None,
    overdue: bool | None = None,
    agent_id: uuid.UUID | None = None,
    q: str = "",
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
    before: str | None = None,
) -> Page[Ticket]:
    """The staff's ticket list, newest first, a page at a time (``before``: the staff page's
    "previous" link)."""
    qs = staff_tickets(actor, status=status, overdue=overdue, agent_id=agent_id, q=q)
    size = page_limit(limit, default=DEFAULT_PAGE, maximum=MAX_PAGE)
    return keyset_window(
        qs.select_related("customer"), order=TICKET_ORDER, limit=size, cursor=cursor, before=before
    )


def staff_tickets(
    actor: Actor,
    *,
    status: TicketStatus | None,
    overdue: bool | None,
    agent_id: uuid.UUID | None,
    q: str,
) -> TenantQuerySet[Ticket]:
    """The business's tickets the staff's list filters to, with ``overdue``. ``q`` finds text
    in the subject, the opening message or the customer's name (issue 12 item 7)."""
    actor.require_staff()
    qs = with_overdue(Ticket.objects.for_actor(actor))
    if status is not None:
        qs = qs.filter(status=status)
    if overdue is not None:
        qs = qs.filter(_overdue() if overdue else ~_overdue())
    if agent_id is not None:
        qs = qs.filter(assigned_agent_id=agent_id)
    if q := q.strip():
        qs = qs.filter(
            Q(subject__icontains=q) | Q(body__icontains=q) | Q(customer__name__icontains=q)
        )
    return qs


def _tenure_days(customer: Customer, now: datetime) -> int:
    until = customer.cancelled_at or now
    return max((until - customer.subscribed_at).days, 0)


CUSTOMER_PANEL_TICKETS = 5


def customer_panel_for(actor: Actor, ticket: Ticket) -> dict[str, Any]:
    """Issue 12 item 7: beside a ticket, the support side sees who is asking: tier, tenure and
    their latest earlier tickets the caller may read (an agent: those routed to them). Never
    billing (PRODUCT.md §1). One query."""
    customer = ticket.customer
    earlier = (
        _visible_tickets(actor)
        .filter(customer_id=customer.id, created_at__lte=ticket.created_at)
        .exclude(pk=ticket.pk)
        .order_by("-created_at", "-id")
    )
    return {
        "name": customer.name,
        "tier": customer.tier,
        "subscription_status": customer.subscription_status,
        "tenure_days": _tenure_days(customer, clock.now()),
        "earlier_tickets": list(earlier[:CUSTOMER_PANEL_TICKETS]),
    }


def workload_for(actor: Actor) -> dict[str, int]:
    """The agent's support workload in counts (their program home, issue 12 item 4): two
    queries whatever the size."""
    actor.require(Role.AGENT)
    counts = with_overdue(
        Ticket.objects.for_actor(actor)
        .filter(assigned_agent_id=actor.user_id)
        .exclude(status=TicketStatus.CLOSED)
    ).aggregate(
        # Named apart from the ``overdue`` annotation, which an alias of that name would hide.
        open_tickets=Count("id", filter=Q(overdue=False)),
        overdue_tickets=Count("id", filter=Q(overdue=True)),
    )
    counts["customers"] = (
        Assignment.objects.for_actor(actor)
        .filter(agent_id=actor.user_id, ended_at__isnull=True)
        .count()
    )
    return counts


def _rated() -> Exists:
    return Exists(Rating.objects.filter(ticket=OuterRef("pk")))


def customer_tickets_for(actor: Actor) -> list[Ticket]:
    """PRODUCT.md §1, §6: a customer sees only their own tickets, newest first (the latest
    ``MAX_PAGE``), each marked ``rated`` once its rating is in."""
    actor.require(Role.CUSTOMER)
    return list(
        Ticket.objects.for_actor(actor)
        .filter(customer_id__in=actor.customer_ids)
        .annotate(rated=_rated())
        .select_related("customer")
        .order_by("-created_at", "-id")[:MAX_PAGE]
    )


def customers_of(actor: Actor) -> list[Customer]:
    """The customer records the caller holds in this business (usually one): whom a ticket
    they open may be for."""
    actor.require(Role.CUSTOMER)
    return list(
        Customer.objects.for_actor(actor).filter(id__in=actor.customer_ids).order_by("name", "id")
    )


def ticket_is_rated(ticket: Ticket) -> bool:
    return Rating.objects.filter(ticket=ticket).exists()
