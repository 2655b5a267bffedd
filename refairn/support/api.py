from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from refairn.accounts.auth import request_user
from refairn.core import pagination
from refairn.core.answers import json_answer
from refairn.programs.edge import api_actor
from refairn.programs.selectors import agent_get_for, customer_actor
from refairn.support import selectors, services
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import (
    AgentWarning,
    Assignment,
    PerformanceReview,
    Rating,
    Ticket,
    Unavailability,
)
from refairn.support.schemas import (
    AccessRequestOut,
    AgentOut,
    AgentSlaOut,
    AssignmentIn,
    AssignmentOut,
    EscalateIn,
    MessageCreatedOut,
    MessageIn,
    ProfileOut,
    RatingIn,
    RatingOut,
    ReassignIn,
    ReviewDecideIn,
    ReviewOut,
    SupportAccessIn,
    SupportAccessOut,
    SupportPolicyIn,
    SupportPolicyOut,
    TicketDetailOut,
    TicketIn,
    TicketOut,
    TopicsIn,
    TopicsOut,
    UnavailabilityIn,
    UnavailabilityOut,
    WarningIn,
    WarningOut,
    WarningsOut,
    WorkspaceOut,
    ticket_answer,
)
from refairn.support.selectors.intake import Policy
from refairn.support.services import ticket_workflow

router = Router(tags=["support"])


# Support access and assignments


@router.get("/businesses/{b}/agents", response=list[AgentOut], tags=["businesses"])
def list_agents(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    status: str | None = None,
    limit: int = pagination.DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[dict[str, Any]]:
    """The agents with their level, support access and certifications (staff), earliest
    applicant first; when more remain, ``X-Next-Cursor`` carries the ``cursor`` of the next
    page."""
    page = selectors.agent_rows_page_for(
        api_actor(request, b), status=status, limit=limit, cursor=cursor
    )
    return pagination.paged(response, page)


@router.post("/businesses/{b}/support-access/request", response={201: AccessRequestOut})
def request_support_access(request: HttpRequest, b: str) -> Status[dict[str, str]]:
    """Unlocks the training library at once when training access is ``on_request``."""
    status = services.support_access_request(actor=api_actor(request, b))
    return Status(201, {"status": status.value, "support_access": status.value})


@router.post("/businesses/{b}/agents/{a}/support-access", response=SupportAccessOut)
def change_support_access(
    request: HttpRequest, b: str, a: str, payload: SupportAccessIn
) -> dict[str, Any]:
    caller = api_actor(request, b)
    status = services.support_access_change(
        actor=caller, agent_id=a, action=payload.action, reason=payload.reason
    )
    return {"agent_id": agent_get_for(caller, a).user_id, "support_access": status.value}


@router.put("/customers/{c}/assignment", response=AssignmentOut)
def assign(request: HttpRequest, c: str, payload: AssignmentIn) -> Assignment:
    caller, customer = customer_actor(request_user(request), c)
    return services.assignment_set(actor=caller, customer=customer, agent_id=payload.agent_id)


@router.delete("/customers/{c}/assignment", response={204: None})
def unassign(request: HttpRequest, c: str) -> Status[None]:
    caller, customer = customer_actor(request_user(request), c)
    services.assignment_end(actor=caller, customer=customer)
    return Status(204, None)


@router.get("/customers/{c}/assignments", response=list[AssignmentOut])
def assignment_history(
    request: HttpRequest,
    response: HttpResponse,
    c: str,
    limit: int = pagination.DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[Assignment]:
    """Oldest first, a page at a time (``X-Next-Cursor``)."""
    caller, customer = customer_actor(request_user(request), c)
    page = selectors.assignments_page_for(caller, customer, limit=limit, cursor=cursor)
    return pagination.paged(response, page)


# Tickets


@router.post("/businesses/{b}/tickets", response={201: TicketOut})
def create_ticket(request: HttpRequest, b: str, payload: TicketIn) -> Status[Ticket]:
    actor = api_actor(request, b)
    ticket = services.ticket_create(actor=actor, **payload.dict())
    return Status(201, selectors.ticket_as_seen_by(actor, ticket))


@router.get("/businesses/{b}/tickets", response=list[TicketOut])
def list_tickets(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    status: TicketStatus | None = None,
    overdue: bool | None = None,
    agent_id: uuid.UUID | None = None,
    q: str = "",
    limit: int = selectors.DEFAULT_PAGE,
    cursor: str | None = None,
) -> HttpResponse:
    """Newest first; when more remain, ``X-Next-Cursor`` carries the ``cursor`` of the next
    page. ``q``: text in the subject, the opening message or the customer's name."""
    page = selectors.ticket_rows_page_for(
        api_actor(request, b),
        status=status,
        overdue=overdue,
        agent_id=agent_id,
        q=q[:200],
        limit=limit,
        cursor=cursor,
    )
    return pagination.paged_answer(
        response, page.map(lambda rows: [ticket_answer(r) for r in rows])
    )


@router.get("/businesses/{b}/support/workspace", response=WorkspaceOut)
def workspace(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = pagination.MAX_PAGE,
    cursor: str | None = None,
) -> HttpResponse:
    """Up to ``limit`` of each list; when any has more, ``X-Next-Cursor`` carries the
    ``cursor`` of the next page, which holds the next rows of the lists that have more."""
    lists, next_cursor = selectors.workspace_rows_for(
        api_actor(request, b), limit=limit, cursor=cursor
    )
    if next_cursor:
        response[pagination.NEXT_CURSOR_HEADER] = next_cursor
    return json_answer(response, lists)


@router.get("/tickets/{t}", response=TicketDetailOut)
def get_ticket(request: HttpRequest, t: str) -> Ticket:
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    return selectors.ticket_as_seen_by(caller, selectors.ticket_with_messages(caller, ticket))


@router.post("/tickets/{t}/messages", response={201: MessageCreatedOut})
def add_message(request: HttpRequest, t: str, payload: MessageIn) -> Status[dict[str, Any]]:
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    if payload.internal:
        note = ticket_workflow.ticket_note_add(actor=caller, ticket=ticket, body=payload.body)
        return Status(201, {"id": note.id, "warnings": []})
    message, warnings = services.ticket_message_add(actor=caller, ticket=ticket, body=payload.body)
    return Status(201, {"id": message.id, "warnings": warnings})


@router.post("/tickets/{t}/messages/check", response=WarningsOut)
def check_message(request: HttpRequest, t: str, payload: MessageIn) -> dict[str, Any]:
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    warnings = services.ticket_message_check(actor=caller, ticket=ticket, body=payload.body)
    return {"warnings": warnings}


@router.post("/tickets/{t}/escalate", response=TicketOut)
def escalate(request: HttpRequest, t: str, payload: EscalateIn) -> Ticket:
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    escalated = services.ticket_escalate(
        actor=caller, ticket=ticket, category=payload.category, note=payload.note
    )
    return selectors.ticket_as_seen_by(caller, escalated)


@router.post("/tickets/{t}/dismiss-suggestion", response=TicketOut)
def dismiss_suggestion(request: HttpRequest, t: str) -> Ticket:
    """Issue 14: "not an escalation"; the text trains the business's own detector."""
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    dismissed = services.ticket_suggestion_dismiss(actor=caller, ticket=ticket)
    return selectors.ticket_as_seen_by(caller, dismissed)


@router.post("/tickets/{t}/resolve", response=TicketOut)
def resolve(request: HttpRequest, t: str) -> Ticket:
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    return selectors.ticket_as_seen_by(caller, services.ticket_resolve(actor=caller, ticket=ticket))


@router.post("/tickets/{t}/pending", response=TicketOut)
def pend(request: HttpRequest, t: str) -> Ticket:
    """Waiting on the customer: the SLA clock pauses until they reply or it is resumed."""
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    return ticket_workflow.ticket_pend(actor=caller, ticket=ticket)


@router.post("/tickets/{t}/resume", response=TicketOut)
def resume(request: HttpRequest, t: str) -> Ticket:
    """The SLA clock runs again; deadlines still ahead move by the time the pause took."""
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    return ticket_workflow.ticket_resume(actor=caller, ticket=ticket)


@router.post("/tickets/{t}/reassign", response=TicketOut)
def reassign(request: HttpRequest, t: str, payload: ReassignIn) -> Ticket:
    """Staff hand the ticket to another agent routing could pick now; the decision is
    recorded."""
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    return ticket_workflow.ticket_reassign(
        actor=caller, ticket=ticket, agent_id=payload.agent_id, note=payload.note
    )


@router.post("/tickets/{t}/reopen", response=TicketOut)
def reopen(request: HttpRequest, t: str) -> Ticket:
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    return selectors.ticket_as_seen_by(caller, services.ticket_reopen(actor=caller, ticket=ticket))


@router.post("/tickets/{t}/rating", response={201: RatingOut})
def rate(request: HttpRequest, t: str, payload: RatingIn) -> Status[Rating]:
    caller, ticket = selectors.ticket_actor(request_user(request), t)
    scores = payload.dict(exclude={"comment"})
    rating = services.ticket_rate(
        actor=caller, ticket=ticket, scores=scores, comment=payload.comment
    )
    return Status(201, rating)


@router.get("/agents/{a}/profile", response=ProfileOut, auth=None)
def agent_profile(request: HttpRequest, a: str) -> dict[str, Any]:
    return selectors.agent_profile(a)


# SLA record, warnings, reviews


@router.post("/businesses/{b}/agents/{a}/warnings", response={201: WarningOut})
def send_warning(request: HttpRequest, b: str, a: str, payload: WarningIn) -> Status[AgentWarning]:
    return Status(
        201, services.warning_send(actor=api_actor(request, b), agent_id=a, message=payload.message)
    )


@router.get("/businesses/{b}/agents/{a}/sla", response=AgentSlaOut)
def agent_sla(request: HttpRequest, b: str, a: str) -> dict[str, Any]:
    return selectors.agent_sla_for(api_actor(request, b), a)


@router.post("/businesses/{b}/performance-reviews/{r}/decide", response=ReviewOut)
def decide_review(
    request: HttpRequest, b: str, r: str, payload: ReviewDecideIn
) -> PerformanceReview:
    return services.review_decide(
        actor=api_actor(request, b), review_id=r, outcome=payload.outcome, reason=payload.reason
    )


# Settings and unavailability


@router.get("/businesses/{b}/escalation-topics", response=TopicsOut)
def get_topics(request: HttpRequest, b: str) -> dict[str, Any]:
    return selectors.topics_view_for(api_actor(request, b))


@router.put("/businesses/{b}/escalation-topics", response=TopicsOut)
def put_topics(request: HttpRequest, b: str, payload: TopicsIn) -> dict[str, Any]:
    caller = api_actor(request, b)
    services.escalation_topics_update(actor=caller, categories=payload.categories)
    return selectors.topics_view_for(caller)


@router.delete("/businesses/{b}/escalation-topics", response={204: None})
def reset_topics(request: HttpRequest, b: str) -> Status[None]:
    services.escalation_topics_reset(actor=api_actor(request, b))
    return Status(204, None)


@router.get("/businesses/{b}/support-policy", response=SupportPolicyOut)
def get_support_policy(request: HttpRequest, b: str) -> Policy:
    return selectors.support_policy_view_for(api_actor(request, b))


@router.put("/businesses/{b}/support-policy", response=SupportPolicyOut)
def put_support_policy(request: HttpRequest, b: str, payload: SupportPolicyIn) -> Policy:
    return services.support_policy_update(
        actor=api_actor(request, b),
        unavailability_policy=payload.unavailability_policy,
        reassign_to=payload.reassign_to,
    )


@router.post("/businesses/{b}/unavailability", response={201: UnavailabilityOut})
def give_notice(request: HttpRequest, b: str, payload: UnavailabilityIn) -> Status[Unavailability]:
    notice = services.unavailability_create(
        actor=api_actor(request, b),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        reason=payload.reason,
    )
    return Status(201, notice)


@router.get("/businesses/{b}/unavailability", response=list[UnavailabilityOut])
def list_notices(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = pagination.DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[Unavailability]:
    """Earliest start first, a page at a time (``X-Next-Cursor``)."""
    page = selectors.unavailability_page_for(api_actor(request, b), limit=limit, cursor=cursor)
    return pagination.paged(response, page)
