"""The hot support lists as plain rows (issue 17): the staff's ticket list and the agent's
workspace read only the columns their answers carry, as ``values()`` rows, a page at a time.
No model instance is built and no column the answer leaves out is read or decoded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet

from refairn.core import clock
from refairn.core.pagination import (
    MAX_PAGE,
    Page,
    cursor_decode,
    cursor_encode,
    keyset_page,
    page_limit,
)
from refairn.core.tenancy import Actor, Role
from refairn.programs.models import Customer
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import Ticket
from refairn.support.selectors.tickets import (
    DEFAULT_PAGE,
    TICKET_ORDER,
    staff_tickets,
    with_overdue,
)

Row = dict[str, Any]

# The columns of ``support.schemas.TicketOut`` (``customer_name`` and ``overdue`` are added).
TICKET_COLUMNS = (
    "id",
    "business_id",
    "customer_id",
    "subject",
    "body",
    "tags",
    "priority",
    "status",
    "assigned_agent_id",
    "routing",
    "suggested_escalation",
    "suggested_escalation_confidence",
    "created_at",
    "first_response_due_at",
    "resolution_due_at",
    "first_responded_at",
    "escalated_at",
    "escalation_category",
    "resolved_at",
    "paused_at",
)
# The columns of ``support.schemas.WorkspaceTicketOut``.
WORKSPACE_TICKET_COLUMNS = (
    "id",
    "subject",
    "created_at",
    "first_response_due_at",
    "resolution_due_at",
    "status",
)
CUSTOMER_ORDER = ("name", "id")
ACTIVE_ORDER = ("created_at", "id")
CLOSED_ORDER = ("-resolved_at", "-id")


def ticket_rows_page_for(
    actor: Actor,
    *,
    status: TicketStatus | None = None,
    overdue: bool | None = None,
    agent_id: uuid.UUID | None = None,
    q: str = "",
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> Page[Row]:
    """``tickets_list_for`` as the API answers it: one query of the page's rows."""
    qs = staff_tickets(actor, status=status, overdue=overdue, agent_id=agent_id, q=q)
    size = page_limit(limit, default=DEFAULT_PAGE, maximum=MAX_PAGE)
    rows = qs.values(*TICKET_COLUMNS, "overdue", customer_name=F("customer__name"))
    return keyset_page(rows, order=TICKET_ORDER, limit=size, cursor=cursor)


# One cursor positions the reader in each of the workspace's three lists; a list the cursor
# marks with "" has given all its rows.
_LISTS = 3
_DONE = ""


@dataclass(frozen=True)
class Workspace:
    """A page of the agent's workspace: customers shaped as ``WorkspaceCustomerOut``, tickets
    as rows of ``WORKSPACE_TICKET_COLUMNS`` with ``resolved_at``, ``first_responded_at``,
    ``overdue`` and ``customer_name``. ``more`` says which of customers, open (with overdue)
    and closed tickets have further rows; ``next_cursor`` reads them."""

    assigned_customers: list[Row]
    open_tickets: list[Row]
    overdue_tickets: list[Row]
    closed_tickets: list[Row]
    more: tuple[bool, bool, bool]
    next_cursor: str | None


def workspace_page_for(
    actor: Actor, *, limit: int = MAX_PAGE, cursor: str | None = None
) -> Workspace:
    """PRODUCT.md §6 / API.md: the agent's customers and tickets in this business, a page at
    a time: up to ``limit`` of their customers, of their open tickets (split into open and
    overdue) and of their closed tickets (the most recently closed first). Customers carry no
    monthly value or billing: the agent supports them, the business bills them. Three queries
    whatever the size."""
    actor.require(Role.AGENT)
    size = page_limit(limit, default=MAX_PAGE, maximum=MAX_PAGE)
    after: list[str | None] = (
        [None] * _LISTS if cursor is None else [*cursor_decode(cursor, _LISTS)]
    )
    customers = (
        Customer.objects.for_actor(actor)
        .filter(assignments__agent_id=actor.user_id, assignments__ended_at__isnull=True)
        .values("id", "name", "subscribed_at", "cancelled_at")
    )
    mine = with_overdue(
        Ticket.objects.for_actor(actor).filter(assigned_agent_id=actor.user_id)
    ).values(
        *WORKSPACE_TICKET_COLUMNS,
        "first_responded_at",
        "resolved_at",
        "overdue",
        customer_name=F("customer__name"),
    )
    pages = [
        _page(customers, CUSTOMER_ORDER, size, after[0]),
        _page(mine.filter(~Q(status=TicketStatus.CLOSED)), ACTIVE_ORDER, size, after[1]),
        _page(mine.filter(status=TicketStatus.CLOSED), CLOSED_ORDER, size, after[2]),
    ]
    now = clock.now()
    active = pages[1].items
    more = [page.next_cursor or _DONE for page in pages]
    return Workspace(
        assigned_customers=[_customer(row, now) for row in pages[0].items],
        open_tickets=[row for row in active if not row["overdue"]],
        overdue_tickets=[row for row in active if row["overdue"]],
        closed_tickets=pages[2].items,
        more=(bool(more[0]), bool(more[1]), bool(more[2])),
        next_cursor=cursor_encode(more) if any(more) else None,
    )


def workspace_rows_for(
    actor: Actor, *, limit: int = MAX_PAGE, cursor: str | None = None
) -> tuple[dict[str, list[Row]], str | None]:
    """``workspace_page_for`` as the API answers it (``WorkspaceOut``), and the cursor of the
    next page while any of the lists has more."""
    page = workspace_page_for(actor, limit=limit, cursor=cursor)
    lists = {
        "assigned_customers": page.assigned_customers,
        "open_tickets": [_workspace_ticket(row) for row in page.open_tickets],
        "overdue_tickets": [_workspace_ticket(row) for row in page.overdue_tickets],
        "closed_tickets": [_workspace_ticket(row) for row in page.closed_tickets],
    }
    return lists, page.next_cursor


def _page(
    rows: QuerySet[Any, Any], order: tuple[str, ...], size: int, after: str | None
) -> Page[Row]:
    if after == _DONE:
        return Page([], None)
    return keyset_page(rows, order=order, limit=size, cursor=after)


def _customer(row: Row, now: datetime) -> Row:
    """``WorkspaceCustomerOut``; customers carry no monthly value or billing."""
    until = row["cancelled_at"] or now
    return {
        "customer_id": row["id"],
        "name": row["name"],
        "subscription_status": "cancelled" if row["cancelled_at"] else "active",
        "tenure_days": max((until - row["subscribed_at"]).days, 0),
    }


def _workspace_ticket(row: Row) -> Row:
    """``WorkspaceTicketOut``."""
    return {
        "id": row["id"],
        "customer_name": row["customer_name"],
        "subject": row["subject"],
        "submitted_at": row["created_at"],
        "first_response_due_at": row["first_response_due_at"],
        "resolution_due_at": row["resolution_due_at"],
        "overdue": bool(row["overdue"]),
        "status": row["status"],
    }
