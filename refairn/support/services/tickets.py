"""Tickets: opening, messages, escalation, resolution and reopening (PRODUCT.md §6).

Status and SLA timestamps change only through the pure timeline in ``support.domain.tickets``;
this module loads a ticket into it, applies one event and writes back what changed, with a
``TicketEvent`` row for every status or ownership change.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction

from refairn.core import clock
from refairn.core.errors import Conflict, Forbidden, NotFound, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.models import Business
from refairn.programs.selectors import business_get_for, customer_get_for, staff_user_ids
from refairn.routing.domain import BUSINESS_QUEUE
from refairn.routing.selectors import Routed
from refairn.routing.services import routing_decision_record
from refairn.support.domain.errors import InvalidTransition
from refairn.support.domain.escalation import (
    Category,
    TopicWarning,
    detect_topics,
    escalates_at_creation,
    routes_to_security,
    suggested_escalation,
)
from refairn.support.domain.escalation_model import Kind
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
from refairn.support.escalation_detectors import detector_for
from refairn.support.models import Ticket, TicketEvent, TicketMessage
from refairn.support.selectors import escalation_topics_for, ticket_party
from refairn.support.selectors.routing import route_ticket
from refairn.support.services.escalation_examples import escalation_example_record
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


def _tell(
    user_ids: Sequence[uuid.UUID],
    ticket: Ticket,
    event: str,
    text: str,
    **data: Any,
) -> None:
    """Tell about ``event`` (a catalogued ``ticket.*`` type; its in-app kind is the same name
    with an underscore), naming the ticket and its customer; ``data`` adds the event's own
    fields. The link is the business's page: the ticket's own page may be closed to an agent
    by the time they read it (the ticket requeued when their access was withdrawn)."""
    notification_send(
        user_ids=user_ids,
        business_id=ticket.business_id,
        kind=event.replace(".", "_"),
        text=text,
        link=f"/b/{ticket.business_id}/",
        event=event,
        data={
            "ticket_id": ticket.id,
            "subject": ticket.subject,
            "customer_id": ticket.customer_id,
            "customer_name": ticket.customer.name,
            **data,
        },
    )


def warnings_out(warnings: Sequence[TopicWarning]) -> list[dict[str, str | float]]:
    return [
        {"category": w.category.value, "reason": w.reason, "confidence": w.confidence}
        for w in warnings
    ]


def _reply_warnings(ticket: Ticket, body: str) -> list[TopicWarning]:
    """Issue 14: an agent's reply through the business's phrases and its detector."""
    topics, _ = escalation_topics_for(ticket.business_id)
    return detect_topics(body, topics, kind=Kind.AGENT, detector=detector_for(ticket.business_id))


def suggestion_routes(ticket: Ticket) -> bool:
    """Whether the ticket's suggested escalation is sure enough for routing's "needs
    escalation" condition (a phrase hit, or the model at its route threshold); a weaker one is
    shown to people only."""
    if not ticket.suggested_escalation or ticket.suggested_escalation_confidence is None:
        return False
    model = detector_for(ticket.business_id).models[Kind.CUSTOMER]
    return ticket.suggested_escalation_confidence >= model.route_threshold


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
    suggestion = suggested_escalation(
        f"{subject}\n{body}", topics, kind=Kind.CUSTOMER, detector=detector_for(business.id)
    )
    # Routing's "needs escalation" reads only a suggestion sure enough to act on.
    routes = suggestion.category.value if suggestion and suggestion.routes else None
    security = escalates_at_creation(suggestion)
    decision: Routed | None = None
    if security:
        # PRODUCT.md §6: a security escalation belongs to the security staff, so the ticket
        # waits in their queue; no agent is routed it or told about it.
        timeline = record_escalation(timeline, category=Category.ACCOUNT_SECURITY, at=now)
    else:
        decision = route_ticket(
            business=business,
            customer=customer,
            tags=tags,
            priority=priority,
            suggested_escalation=routes,
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
        assigned_agent_id=decision.agent_id if decision else None,
        routing=decision.as_json() if decision else dict(_SECURITY_QUEUE),
        suggested_escalation=suggestion.category.value if suggestion else "",
        suggested_escalation_confidence=suggestion.confidence if suggestion else None,
        created_by_id=actor.user_id,
        created_at=now,
        first_response_due_at=timeline.first_response_due,
        resolution_due_at=timeline.resolution_due,
        first_responded_at=timeline.first_responded_at,
        escalated_at=timeline.escalated_at,
        escalation_category=(
            timeline.escalation_category.value if timeline.escalation_category else ""
        ),
    )
    ticket.overdue = False  # type: ignore[attr-defined]
    if decision is None:
        _event(ticket, "open", "", by=actor.user_id)
        if suggestion is not None:
            _escalated_for_security(ticket, suggestion)
        return ticket
    routing_decision_record(
        business_id=ticket.business_id, ticket_id=ticket.id, subject=ticket.subject, routed=decision
    )
    _event(ticket, "open", "", by=actor.user_id, note=decision.fallback or "")
    recipients = (
        [decision.agent_id] if decision.agent_id else staff_user_ids(business.id, *ADMIN_ROLES)
    )
    _tell(recipients, ticket, "ticket.opened", f"New ticket from {customer.name}: {subject}")
    return ticket


# The ticket's ``routing`` when it was escalated to the security team on arrival: routing
# never ran, so no decision is recorded either.
_SECURITY_QUEUE = {
    "rule": None,
    "pool_size": 0,
    "fallback": None,
    "reason": "Escalated to the security team on arrival (account security); no agent routed.",
}


def _escalated_for_security(ticket: Ticket, suggestion: TopicWarning) -> None:
    """Issue 11 item 11: the new ticket went straight to the security team; tell them."""
    _event(ticket, "escalate", TicketStatus.OPEN.value, by=None, note=suggestion.reason)
    category = Category.ACCOUNT_SECURITY
    _tell(
        staff_user_ids(ticket.business_id, Role.SECURITY)
        or staff_user_ids(ticket.business_id, *ADMIN_ROLES),
        ticket,
        "ticket.escalated_security",
        f"Escalated ({category.label}) on arrival: {ticket.subject}",
        category=category.value,
    )


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
        warnings = _reply_warnings(ticket, body)
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
        _tell(_support_side(ticket), ticket, "ticket.message", f"New message on: {ticket.subject}")
    else:
        _tell(_customer_users(ticket), ticket, "ticket.reply", f"New reply on: {ticket.subject}")
    return message, warnings


def ticket_message_check(*, actor: Actor, ticket: Ticket, body: str) -> list[TopicWarning]:
    """PRODUCT.md §6: warn the agent before sending a draft that touches a must-escalate topic
    (e.g. promising a refund). Nothing is stored."""
    if ticket_party(actor, ticket) is not Party.AGENT:
        raise Forbidden("Only the ticket's agent checks a draft reply.")
    return _reply_warnings(ticket, body)


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
    if not ticket.suggested_escalation:
        # Issue 14 feedback loop: a person saw what the detector missed.
        escalation_example_record(
            actor=actor,
            ticket=ticket,
            kind=Kind.CUSTOMER,
            text=_customer_text(ticket),
            category=category,
        )
    security = routes_to_security(category)
    recipients = staff_user_ids(ticket.business_id, Role.SECURITY) if security else []
    # A business without security staff still has someone who must act on it.
    recipients = recipients or staff_user_ids(ticket.business_id, *ADMIN_ROLES)
    _tell(
        recipients,
        ticket,
        "ticket.escalated_security" if security else "ticket.escalated",
        f"Escalated ({Category(category).label}): {ticket.subject}",
        category=Category(category).value,
    )
    return ticket


def _customer_text(ticket: Ticket) -> str:
    # What the detector read when the ticket was opened.
    return f"{ticket.subject}\n{ticket.body}"


@transaction.atomic
def ticket_suggestion_dismiss(*, actor: Actor, ticket: Ticket) -> Ticket:
    """Issue 14 feedback loop: the ticket's agent or the business's staff say its suggested
    escalation is not one. The suggestion is withdrawn (routing no longer reads it, e.g. when the
    ticket is reopened) and the customer's text becomes a "not an escalation" example of the
    business's own detector."""
    ticket = _lock(ticket)
    if ticket_party(actor, ticket) is Party.CUSTOMER:
        raise Forbidden("Only the ticket's agent or the business's staff dismiss a suggestion.")
    if not ticket.suggested_escalation:
        raise Conflict("This ticket has no suggested escalation.", code="no_suggestion")
    dismissed = Category(ticket.suggested_escalation)
    escalation_example_record(
        actor=actor, ticket=ticket, kind=Kind.CUSTOMER, text=_customer_text(ticket), category=None
    )
    ticket.suggested_escalation = ""
    ticket.suggested_escalation_confidence = None
    ticket.save(update_fields=["suggested_escalation", "suggested_escalation_confidence"])
    _event(ticket, "dismiss_flag", ticket.status, by=actor.user_id, note=dismissed.value)
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
    _tell(_customer_users(ticket), ticket, "ticket.resolved", f"Resolved: {ticket.subject}")
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
        suggested_escalation=ticket.suggested_escalation if suggestion_routes(ticket) else None,
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
    _tell(_support_side(ticket), ticket, "ticket.reopened", f"Reopened: {ticket.subject}")
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


def tickets_reroute_for_agent(*, business: Business, agent_id: uuid.UUID, why: str) -> int:
    """PRODUCT.md §7: the open tickets of an agent who may no longer take tickets go where
    routing decides now (the agent is no longer a candidate), each decision recorded with
    ``why`` in its reason; whoever receives a ticket is told (the owners and managers when it
    lands in the business queue). Callers hold a transaction. Returns how many moved."""
    tickets = list(
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(business_id=business.id, assigned_agent_id=agent_id, status=TicketStatus.OPEN)
        .order_by("created_at", "id")
    )
    now = clock.now()
    for ticket in tickets:
        routed = route_ticket(
            business=business,
            customer=ticket.customer,
            tags=ticket.tags,
            priority=ticket.priority,
            suggested_escalation=ticket.suggested_escalation or None,
            now=now,
        )
        reason = f"{why}; re-routed: {routed.decision.reason}"
        routed = Routed(replace(routed.decision, reason=reason))
        ticket.assigned_agent_id = routed.agent_id
        ticket.routing = routed.as_json()
        ticket.save(update_fields=["assigned_agent", "routing"])
        routing_decision_record(
            business_id=business.id, ticket_id=ticket.id, subject=ticket.subject, routed=routed
        )
        _event(ticket, "reroute", ticket.status, by=None, note=why)
        if routed.agent_id:
            told, text = [routed.agent_id], f"Ticket re-routed to you: {ticket.subject}"
        else:
            told = staff_user_ids(business.id, *ADMIN_ROLES)
            text = f"Ticket back in the business queue: {ticket.subject}"
        _tell(told, ticket, "ticket.rerouted", text)
    return len(tickets)
