"""Tickets: opening, messages, escalation, resolution and reopening (PRODUCT.md §6).

Status and SLA timestamps change only through the pure timeline in ``support.domain.tickets``;
this module loads a ticket into it, applies one event and writes back what changed, with a
``TicketEvent`` row for every status or ownership change.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import transaction

from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden, NotFound, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.selectors import business_get_for, customer_get_for, staff_user_ids
from refairn.routing.domain import BUSINESS_QUEUE
from refairn.routing.services import routing_decision_record
from refairn.support.domain.errors import InvalidTransition
from refairn.support.domain.escalation import (
    Category,
    TopicWarning,
    detect_topics,
    routes_to_security,
    suggested_escalation,
)
from refairn.support.domain.sla import BusinessHours
from refairn.support.domain.tickets import (
    Party,
    TicketStatus,
    TicketTimeline,
    open_ticket,
    record_escalation,
    record_reopen,
    record_reply,
    record_resolution,
)
from refairn.support.models import Ticket, TicketEvent, TicketMessage
from refairn.support.selectors import escalation_topics_for, ticket_party
from refairn.support.selectors.routing import route_ticket
from refairn.support.settings_section import support_settings


def _timeline(ticket: Ticket) -> TicketTimeline:
    return TicketTimeline(
        status=TicketStatus(ticket.status),
        created_at=ticket.created_at,
        first_response_due=ticket.first_response_due_at,
        resolution_due=ticket.resolution_due_at,
        first_responded_at=ticket.first_responded_at,
        escalated_at=ticket.escalated_at,
        escalation_category=(
            Category(ticket.escalation_category) if ticket.escalation_category else None
        ),
        resolved_at=ticket.resolved_at,
        paused_at=ticket.paused_at,
    )


def _store(ticket: Ticket, timeline: TicketTimeline, *extra: str) -> None:
    ticket.status = timeline.status.value
    ticket.first_response_due_at = timeline.first_response_due
    ticket.resolution_due_at = timeline.resolution_due
    ticket.first_responded_at = timeline.first_responded_at
    ticket.escalated_at = timeline.escalated_at
    ticket.escalation_category = (
        timeline.escalation_category.value if timeline.escalation_category else ""
    )
    ticket.resolved_at = timeline.resolved_at
    ticket.paused_at = timeline.paused_at
    ticket.save(
        update_fields=[
            "status",
            "first_response_due_at",
            "resolution_due_at",
            "first_responded_at",
            "escalated_at",
            "escalation_category",
            "resolved_at",
            "paused_at",
            *extra,
        ]
    )


def _lock(ticket: Ticket) -> Ticket:
    """The ticket again, row-locked: every write decides from the state it reads."""
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "business")
        .get(pk=ticket.pk)
    )
    locked.overdue = getattr(ticket, "overdue", False)  # type: ignore[attr-defined]
    return locked


def _calendar(ticket: Ticket) -> BusinessHours | None:
    """The business hours a pending ticket's pause is counted in (issue 12 item 7); only a
    pending ticket needs them, so no other write reads the settings for it."""
    if ticket.status != TicketStatus.PENDING:
        return None
    return support_settings(ticket.business).calendar


def _event(
    ticket: Ticket, event: str, from_status: str, *, by: uuid.UUID | None, note: str = ""
) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        event=event,
        from_status=from_status,
        to_status=ticket.status,
        at=clock.now(),
        by_id=by,
        note=note,
    )


def _transition_refused(exc: InvalidTransition) -> Conflict:
    return Conflict(str(exc), code="invalid_transition")


def _customer_users(ticket: Ticket) -> list[uuid.UUID]:
    return [ticket.customer.user_id] if ticket.customer.user_id else []


def _support_side(ticket: Ticket) -> list[uuid.UUID]:
    """Who should hear from the customer: the agent while they own the ticket, else the
    business's owners and managers."""
    if ticket.assigned_agent_id and ticket.status in {TicketStatus.OPEN, TicketStatus.PENDING}:
        return [ticket.assigned_agent_id]
    return staff_user_ids(ticket.business_id, *ADMIN_ROLES)


def _tell(user_ids: Sequence[uuid.UUID], ticket: Ticket, kind: str, text: str) -> None:
    notification_send(
        user_ids=user_ids,
        business_id=ticket.business_id,
        kind=kind,
        text=text,
        link=f"/b/{ticket.business_id}/",
    )


def warnings_out(warnings: Sequence[TopicWarning]) -> list[dict[str, str]]:
    return [{"category": w.category.value, "reason": w.reason} for w in warnings]


@transaction.atomic
def ticket_create(
    *,
    actor: Actor,
    customer_id: uuid.UUID,
    subject: str,
    body: str,
    tags: Sequence[str],
    priority: str,
) -> Ticket:
    """PRODUCT.md §6: a customer opens a ticket for themself (or staff for any customer). Its
    SLA deadlines come from the business's settings for the customer's tier, counted in
    calendar or business hours; it goes where routing decides (PRODUCT.md §7, decision
    recorded); the topic detector suggests an escalation category."""
    if not actor.is_staff and not actor.has(Role.CUSTOMER):
        raise Forbidden("Tickets are opened by customers or the business's staff.")
    try:
        customer = customer_get_for(actor, customer_id)
    except NotFound:
        raise field_error("customer_id", "no such customer", code="unknown_customer") from None
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise field_error("subject", "must not be blank")
    if not body:
        raise field_error("body", "must not be blank")
    business = business_get_for(actor)
    sla = support_settings(business)
    now = clock.now()
    timeline = open_ticket(
        created_at=now, terms=sla.terms_for(customer.tier), calendar=sla.calendar
    )
    topics, _ = escalation_topics_for(business.id)
    suggestion = suggested_escalation(f"{subject}\n{body}", topics)
    decision = route_ticket(
        business=business,
        customer=customer,
        tags=tags,
        priority=priority,
        suggested_escalation=suggestion.value if suggestion else None,
        now=now,
    )
    ticket = Ticket.objects.create(
        business=business,
        customer=customer,
        subject=subject,
        body=body,
        tags=list(tags),
        priority=priority,
        status=timeline.status.value,
        assigned_agent_id=decision.agent_id,
        routing=decision.as_json(),
        suggested_escalation=suggestion.value if suggestion else "",
        created_by_id=actor.user_id,
        created_at=now,
        first_response_due_at=timeline.first_response_due,
        resolution_due_at=timeline.resolution_due,
    )
    ticket.overdue = False  # type: ignore[attr-defined]
    routing_decision_record(
        business_id=ticket.business_id, ticket_id=ticket.id, subject=ticket.subject, routed=decision
    )
    _event(ticket, "open", "", by=actor.user_id, note=decision.fallback or "")
    recipients = (
        [decision.agent_id] if decision.agent_id else staff_user_ids(business.id, *ADMIN_ROLES)
    )
    _tell(recipients, ticket, "ticket_opened", f"New ticket from {customer.name}: {subject}")
    return ticket


@transaction.atomic
def ticket_message_add(
    *, actor: Actor, ticket: Ticket, body: str
) -> tuple[TicketMessage, list[TopicWarning]]:
    """PRODUCT.md §6 / API.md: the agent's (or staff's) first message is the first response.
    An agent's message is checked for must-escalate topics and the warnings are returned and
    kept with the message; a closed ticket takes no messages until its customer reopens it."""
    body = body.strip()
    if not body:
        raise field_error("body", "must not be blank")
    ticket = _lock(ticket)
    party = ticket_party(actor, ticket)
    try:
        timeline = record_reply(
            _timeline(ticket), by=party, at=clock.now(), calendar=_calendar(ticket)
        )
    except InvalidTransition as exc:
        raise _transition_refused(exc) from None
    warnings: list[TopicWarning] = []
    if party is Party.AGENT:
        warnings = detect_topics(body, escalation_topics_for(ticket.business_id)[0])
    message = TicketMessage.objects.create(
        ticket=ticket,
        author_id=actor.user_id,
        party=party.value,
        body=body,
        warnings=warnings_out(warnings),
        created_at=clock.now(),
    )
    if timeline != _timeline(ticket):
        before = ticket.status
        _store(ticket, timeline)
        if ticket.status != before:
            _event(ticket, "resume", before, by=actor.user_id, note="the customer replied")
    if party is Party.CUSTOMER:
        _tell(_support_side(ticket), ticket, "ticket_message", f"New message on: {ticket.subject}")
    else:
        _tell(_customer_users(ticket), ticket, "ticket_reply", f"New reply on: {ticket.subject}")
    return message, warnings


def ticket_message_check(*, actor: Actor, ticket: Ticket, body: str) -> list[TopicWarning]:
    """PRODUCT.md §6: warn the agent before sending a draft that touches a must-escalate topic
    (e.g. promising a refund). Nothing is stored."""
    if ticket_party(actor, ticket) is not Party.AGENT:
        raise Forbidden("Only the ticket's agent checks a draft reply.")
    return detect_topics(body, escalation_topics_for(ticket.business_id)[0])


@transaction.atomic
def ticket_escalate(*, actor: Actor, ticket: Ticket, category: str, note: str) -> Ticket:
    """PRODUCT.md §6: the agent acknowledges the customer and escalates with a category. The
    acknowledgement is the first response; the ticket moves to the business (account security
    to the ``security`` staff) and its later deadlines leave the agent's SLA."""
    ticket = _lock(ticket)
    if ticket_party(actor, ticket) is Party.CUSTOMER:
        raise Forbidden("Only the ticket's agent or the business's staff escalate a ticket.")
    before = ticket.status
    try:
        timeline = record_escalation(
            _timeline(ticket),
            category=Category(category),
            at=clock.now(),
            calendar=_calendar(ticket),
        )
    except InvalidTransition as exc:
        raise _transition_refused(exc) from None
    ticket.escalation_note = note.strip()
    _store(ticket, timeline, "escalation_note")
    _event(
        ticket, "escalate", before, by=actor.user_id, note=f"{category}: {ticket.escalation_note}"
    )
    security = routes_to_security(category)
    recipients = staff_user_ids(ticket.business_id, Role.SECURITY) if security else []
    # A business without security staff still has someone who must act on it.
    recipients = recipients or staff_user_ids(ticket.business_id, *ADMIN_ROLES)
    _tell(
        recipients,
        ticket,
        "ticket_escalated_security" if security else "ticket_escalated",
        f"Escalated ({Category(category).label}): {ticket.subject}",
    )
    return ticket


@transaction.atomic
def ticket_resolve(*, actor: Actor, ticket: Ticket) -> Ticket:
    """PRODUCT.md §6: the ticket's agent or staff close it. Once escalated the ticket belongs to
    the business, so only staff close it."""
    ticket = _lock(ticket)
    party = ticket_party(actor, ticket)
    if party is Party.CUSTOMER:
        raise Forbidden("Only the ticket's agent or the business's staff resolve a ticket.")
    if party is Party.AGENT and ticket.status == TicketStatus.ESCALATED:
        raise Forbidden("This ticket was escalated; the business resolves it.")
    before = ticket.status
    try:
        timeline = record_resolution(_timeline(ticket), at=clock.now(), calendar=_calendar(ticket))
    except InvalidTransition as exc:
        raise _transition_refused(exc) from None
    _store(ticket, timeline)
    _event(ticket, "resolve", before, by=actor.user_id)
    _tell(_customer_users(ticket), ticket, "ticket_resolved", f"Resolved: {ticket.subject}")
    return ticket


@transaction.atomic
def ticket_reopen(*, actor: Actor, ticket: Ticket) -> Ticket:
    """PRODUCT.md §6: the customer reopens a closed ticket. The resolution clock restarts from
    now under the business's current SLA, and the ticket is routed again (the customer's
    agent is preferred, as when it was opened)."""
    ticket = _lock(ticket)
    if ticket.customer_id not in actor.customer_ids:
        raise Forbidden("Only the ticket's customer reopens it.")
    business = ticket.business
    sla = support_settings(business)
    now = clock.now()
    before = ticket.status
    try:
        timeline = record_reopen(
            _timeline(ticket),
            at=now,
            terms=sla.terms_for(ticket.customer.tier),
            calendar=sla.calendar,
        )
    except InvalidTransition as exc:
        raise _transition_refused(exc) from None
    decision = route_ticket(
        business=business,
        customer=ticket.customer,
        tags=ticket.tags,
        priority=ticket.priority,
        suggested_escalation=ticket.suggested_escalation or None,
        now=now,
    )
    ticket.assigned_agent_id = decision.agent_id
    ticket.routing = decision.as_json()
    ticket.escalation_note = ""
    _store(ticket, timeline, "assigned_agent", "routing", "escalation_note")
    routing_decision_record(
        business_id=ticket.business_id, ticket_id=ticket.id, subject=ticket.subject, routed=decision
    )
    _event(ticket, "reopen", before, by=actor.user_id, note=decision.fallback or "")
    _tell(_support_side(ticket), ticket, "ticket_reopened", f"Reopened: {ticket.subject}")
    return ticket


def tickets_requeue_for_agent(
    *, business_id: uuid.UUID, agent_id: uuid.UUID, by: uuid.UUID | None, note: str
) -> int:
    """PRODUCT.md §6: a suspended or removed agent takes no tickets, so their open (and
    pending) tickets go back to the business queue (escalated and closed ones keep their
    history). Callers hold a transaction."""
    tickets = list(
        Ticket.objects.select_for_update()
        .filter(
            business_id=business_id,
            assigned_agent_id=agent_id,
            status__in=[TicketStatus.OPEN, TicketStatus.PENDING],
        )
        .only("id", "status")
    )
    at = clock.now()
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=t,
            event="requeue",
            from_status=t.status,
            to_status=t.status,
            at=at,
            by_id=by,
            note=note,
        )
        for t in tickets
    )
    return Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
        assigned_agent=None,
        routing={"rule": None, "pool_size": 0, "fallback": BUSINESS_QUEUE, "reason": note},
    )
