"""The helpdesk workflow around a ticket (issue 12 item 7): waiting on the customer (the SLA
clock pauses), resuming, internal notes and staff reassignment. Status changes go through the
table in ``support.domain.tickets``, like every other ticket write."""

from __future__ import annotations

import uuid

from django.db import transaction

from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.selectors import agent_name
from refairn.routing.domain import RoutingDecision
from refairn.routing.selectors import Routed
from refairn.routing.services import routing_decision_record
from refairn.support.domain.errors import InvalidTransition, TicketRuleViolation
from refairn.support.domain.tickets import (
    Party,
    TicketStatus,
    ensure_can_reassign,
    record_pause,
    record_resume,
)
from refairn.support.models import Ticket, TicketMessage
from refairn.support.selectors import ticket_party
from refairn.support.selectors.routing import routing_team
from refairn.support.services.tickets import (
    _calendar,
    _event,
    _lock,
    _store,
    _tell,
    _timeline,
    _transition_refused,
)


def _support_side_only(actor: Actor, ticket: Ticket, what: str) -> Party:
    party = ticket_party(actor, ticket)
    if party is Party.CUSTOMER:
        raise Forbidden(f"Only the ticket's agent or the business's staff {what}.")
    return party


@transaction.atomic
def ticket_pend(*, actor: Actor, ticket: Ticket) -> Ticket:
    """Issue 12 item 7: the agent or staff wait on the customer; the SLA clock pauses until the
    customer replies or the support side resumes it, and the sweep flags nothing meanwhile."""
    ticket = _lock(ticket)
    _support_side_only(actor, ticket, "set a ticket to wait on the customer")
    before = ticket.status
    try:
        timeline = record_pause(_timeline(ticket), at=clock.now())
    except InvalidTransition as exc:
        raise _transition_refused(exc) from None
    _store(ticket, timeline)
    _event(ticket, "pend", before, by=actor.user_id)
    return ticket


@transaction.atomic
def ticket_resume(*, actor: Actor, ticket: Ticket) -> Ticket:
    """Issue 12 item 7: the support side stops waiting; each deadline still ahead when the
    pause began moves by the SLA time the pause took."""
    ticket = _lock(ticket)
    _support_side_only(actor, ticket, "resume a pending ticket")
    before = ticket.status
    try:
        timeline = record_resume(_timeline(ticket), at=clock.now(), calendar=_calendar(ticket))
    except InvalidTransition as exc:
        raise _transition_refused(exc) from None
    _store(ticket, timeline)
    _event(ticket, "resume", before, by=actor.user_id)
    return ticket


@transaction.atomic
def ticket_note_add(*, actor: Actor, ticket: Ticket, body: str) -> TicketMessage:
    """Issue 12 item 7: a note among the support side, in any status. It answers nobody (no
    first response), changes no status and is never shown or announced to the customer."""
    body = body.strip()
    if not body:
        raise field_error("body", "must not be blank")
    ticket = _lock(ticket)
    party = _support_side_only(actor, ticket, "write internal notes")
    return TicketMessage.objects.create(
        ticket=ticket,
        author_id=actor.user_id,
        party=party.value,
        body=body,
        internal=True,
        created_at=clock.now(),
    )


@transaction.atomic
def ticket_reassign(*, actor: Actor, ticket: Ticket, agent_id: uuid.UUID, note: str = "") -> Ticket:
    """Issue 12 item 7: owners and managers hand an open or pending ticket to another agent,
    one routing could pick now (PRODUCT.md §7 candidates: a certified support agent, not
    suspended, away or with an expired security-critical track). The decision is recorded
    like any routing decision (§7, §8) and the new agent is told."""
    # Who works which ticket is a management call, like assigning customers.
    actor.require(*ADMIN_ROLES)
    ticket = _lock(ticket)
    now = clock.now()
    team = routing_team(business=ticket.business, now=now)
    eligible = {c.agent_id for c in team.candidates if c.eligible}
    try:
        ensure_can_reassign(
            status=TicketStatus(ticket.status),
            current_agent=str(ticket.assigned_agent_id) if ticket.assigned_agent_id else None,
            new_agent=str(agent_id),
            eligible=str(agent_id) in eligible,
        )
    except InvalidTransition as exc:
        raise _transition_refused(exc) from None
    except TicketRuleViolation as exc:
        if exc.code == "agent_not_eligible":
            raise field_error("agent_id", exc.message, code=exc.code) from None
        raise Conflict(exc.message, code=exc.code) from None
    name = agent_name(ticket.business_id, agent_id)
    note = note.strip()
    reason = f"Reassigned by staff to {name}" + (f": {note}" if note else "")
    routed = Routed(
        RoutingDecision(
            agent_id=str(agent_id),
            rule_name=None,
            pool_size=len(eligible),
            fallback_used=None,
            notify_managers=False,
            flag_for_review=False,
            route_to_manager=False,
            escalate_to_security=False,
            reason=reason,
        )
    )
    ticket.assigned_agent_id = agent_id
    ticket.routing = routed.as_json()
    ticket.save(update_fields=["assigned_agent", "routing"])
    routing_decision_record(
        business_id=ticket.business_id, ticket_id=ticket.id, subject=ticket.subject, routed=routed
    )
    _event(ticket, "reassign", ticket.status, by=actor.user_id, note=reason)
    _tell([agent_id], ticket, "ticket.reassigned", f"Ticket assigned to you: {ticket.subject}")
    return ticket
