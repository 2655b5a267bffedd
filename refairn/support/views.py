"""Support pages: the agent's workspace, a ticket's conversation, the customer portal and the
public agent profile (PRODUCT.md §6). Thin: the same selectors and services as the API."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from refairn.core import clock
from refairn.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.credentials.selectors import current_credential_pages_for_agent
from refairn.programs.edge import page_actor, page_user
from refairn.programs.selectors import business_get_for
from refairn.support import selectors, services
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.eligibility import IneligibleReason
from refairn.support.domain.escalation import Category, TopicWarning
from refairn.support.domain.tickets import Party, TicketEvent, TicketStatus, allowed_events
from refairn.support.forms import (
    TEXT_MAX,
    EscalateForm,
    NoteForm,
    RatingForm,
    ReassignForm,
    ReplyForm,
    TicketForm,
    UnavailabilityForm,
    show_errors,
)
from refairn.support.models import Ticket, Unavailability
from refairn.support.selectors.intake import policy_for
from refairn.support.selectors.routing import reassign_choices, routing_rules_tags
from refairn.support.services import ticket_workflow
from refairn.training.selectors import has_training_access
from refairn.training.settings_section import training_settings

# What each must-escalate topic means for the agent's draft (the second seed's scope rules).
SCOPE_WARNINGS = {
    Category.BILLING_DISPUTE: "This reply touches a billing dispute",
    Category.ACCOUNT_SECURITY: "This reply touches account security",
    Category.FINANCIAL_DATA: "This reply touches the customer's financial data",
    Category.PLATFORM_DEFECT: "This reply discusses a possible platform defect",
    Category.REFUND: "This reply promises a refund",
    Category.ACCOUNT_DELETION: "This reply touches account deletion or cancellation",
}

SUPPORT_ACCESS_LABELS: dict[AccessStatus, str] = {
    AccessStatus.NONE: "Not requested",
    AccessStatus.REQUESTED: "Requested",
    AccessStatus.ACTIVE: "Active",
    AccessStatus.SUSPENDED: "Suspended",
    AccessStatus.REMOVED: "Removed",
}

SUPPORT_ACCESS_MEANINGS: dict[AccessStatus, str] = {
    AccessStatus.NONE: "You have not requested support access in this program yet.",
    AccessStatus.REQUESTED: "You asked for support access: the training library is "
    "open to you, and access becomes active once you are certified in every support track.",
    AccessStatus.ACTIVE: "Your support access is active.",
    AccessStatus.SUSPENDED: "The business suspended your support access: no tickets, "
    "no new customers and no support commission until it reinstates you. Your training stays "
    "open and your referral commissions continue.",
    AccessStatus.REMOVED: "The business removed your support access; it may re-approve "
    "it later. Your referral commissions continue.",
}


@login_required
@require_http_methods(["GET", "POST"])
def access(request: HttpRequest, business_id: str) -> HttpResponse:
    """``[Business] → Certification → Request Support Access`` (the first seed): the agent's
    support access in words, whether they are a Certified Support Agent, and the request."""
    actor = page_actor(request, business_id)
    actor.require(Role.AGENT)
    if request.method == "POST":
        try:
            services.support_access_request(actor=actor)
        except DomainError as exc:
            if exc.status in {403, 404}:
                raise
            messages.error(request, exc.detail)
        else:
            messages.success(
                request,
                "Support access requested: the training library is open and the business has "
                "been told.",
            )
        return redirect("support:access", business_id=actor.business_id)
    business = business_get_for(actor)
    status = selectors.support_access_of(business_id=business.id, agent_id=actor.user_id)
    eligibility = selectors.support_eligibility_for(
        business=business, agent_id=actor.user_id, now=clock.now()
    )
    context = {
        "business": business,
        "actor": actor,
        "support_access": SUPPORT_ACCESS_LABELS[status],
        "support_access_meaning": SUPPORT_ACCESS_MEANINGS[status],
        "can_request": status is AccessStatus.NONE,
        "awaiting_certification": status in {AccessStatus.REQUESTED, AccessStatus.ACTIVE},
        "training_access": has_training_access(actor, business),
        "automatic_training": training_settings(business).training_access == "automatic",
        "certified_support_agent": eligibility.is_certified_support_agent,
        "security_restricted": IneligibleReason.SECURITY_CERTIFICATION_LAPSED
        in eligibility.reasons,
    }
    return render(request, "support/access.html", context)


def _scope_warnings(warnings: Sequence[TopicWarning]) -> list[dict[str, str]]:
    return [
        {
            "category": w.category.value,
            "label": w.category.label,
            "text": SCOPE_WARNINGS[w.category],
            "reason": w.reason,
        }
        for w in warnings
    ]


def _label(category: str) -> str:
    return Category(category).label if category else ""


def _sent_warnings(warnings: Sequence[dict[str, str]]) -> str:
    """The warnings an agent saw and sent anyway, as kept with their message."""
    return "; ".join(f"{_label(w['category'])} ({w['reason']})" for w in warnings)


# The agent's workspace


@login_required
def workspace(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §6: customers (never their billing), tickets with their deadlines, the SLA
    record and the coming unavailability notices. Up to 100 rows of each list; "Next" reads on
    in the lists that have more."""
    actor = page_actor(request, business_id)
    cursor = request.GET.get("cursor")
    workspace = selectors.workspace_page_for(actor, cursor=cursor)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "workspace": workspace,
        "continued": cursor is not None,
        "record": selectors.agent_sla_for(actor, actor.user_id),
        "notices": _coming(selectors.unavailability_list_for(actor)),
    }
    return render(request, "support/workspace.html", context)


def _coming(notices: Sequence[Unavailability]) -> list[Unavailability]:
    now = clock.now()
    return [n for n in notices if n.ends_at > now]


@login_required
def unavailability(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §6: the agent gives notice of a period away; the business's policy decides
    whether their intake pauses or their tickets go to a stand-in."""
    actor = page_actor(request, business_id)
    actor.require(Role.AGENT)
    notices = _coming(selectors.unavailability_list_for(actor))
    form = UnavailabilityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.unavailability_create(actor=actor, **form.cleaned_data)
            except InvalidInput as exc:
                show_errors(form, exc)
            else:
                messages.success(request, "Your notice was sent to the business.")
                return redirect("support:workspace", business_id=actor.business_id)
        status = 422
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "form": form,
        "notices": notices,
        "policy": policy_for(actor.business_id),
    }
    return render(request, "support/unavailability.html", context, status=status)


# A ticket's conversation


def _ticket_page(
    request: HttpRequest,
    actor: Actor,
    ticket: Ticket,
    *,
    reply: ReplyForm | None = None,
    escalate: EscalateForm | None = None,
    rating: RatingForm | None = None,
    note: NoteForm | None = None,
    reassign: ReassignForm | None = None,
    confirm: Sequence[TopicWarning] = (),
    status: int = 200,
) -> HttpResponse:
    """Each party sees what they may: the customer the conversation; the agent also the SLA
    deadlines and the scope warnings kept with their messages; staff also the escalation
    note and how the ticket was routed. Actions follow the transition table."""
    ticket = selectors.ticket_with_messages(actor, ticket)
    party = selectors.ticket_party(actor, ticket)
    events = allowed_events(TicketStatus(ticket.status))
    can_reassign = actor.has(*ADMIN_ROLES) and TicketEvent.REASSIGN in events
    if can_reassign and reassign is None:
        choices = reassign_choices(business=ticket.business, now=clock.now())
        current = str(ticket.assigned_agent_id)
        reassign = ReassignForm(agents=[c for c in choices if c[0] != current])
    is_customer = ticket.customer_id in actor.customer_ids
    support_side = party is not Party.CUSTOMER
    check_url = reverse("support:check_reply", args=[ticket.id]) if party is Party.AGENT else None
    can_rate = (
        is_customer
        and TicketStatus(ticket.status) is TicketStatus.CLOSED
        and not selectors.ticket_is_rated(ticket)
    )
    if reply is None:
        reply = ReplyForm(check_url=check_url)
    if escalate is None:
        # The category the warnings name, else the one the ticket's own text suggests.
        category = confirm[0].category.value if confirm else ticket.suggested_escalation
        escalate = EscalateForm(initial={"category": category})
    context = {
        "business": ticket.business,
        "actor": actor,
        "ticket": ticket,
        "party": party.value,
        "support_side": support_side,
        "agent": ticket.assigned_agent,
        "can_reply": TicketEvent.REPLY in events,
        "can_escalate": support_side and TicketEvent.ESCALATE in events,
        "can_resolve": TicketEvent.RESOLVE in events
        and (
            party is Party.STAFF
            or (party is Party.AGENT and ticket.status != TicketStatus.ESCALATED)
        ),
        "can_pend": support_side and TicketEvent.PEND in events,
        "can_resume": support_side and TicketEvent.RESUME in events,
        "status_label": TicketStatus(ticket.status).label,
        "note": note or (NoteForm() if support_side else None),
        "reassign": reassign if can_reassign else None,
        "panel": selectors.customer_panel_for(actor, ticket) if support_side else None,
        "can_reopen": is_customer and TicketEvent.REOPEN in events,
        "can_rate": can_rate,
        "reply": reply,
        "escalate": escalate,
        "rating": rating or (RatingForm() if can_rate else None),
        "confirm": _scope_warnings(confirm),
        "acknowledged": ",".join(w.category.value for w in confirm),
        "check_url": check_url,
        "is_customer": is_customer,
        "conversation": [(m, _sent_warnings(m.warnings)) for m in ticket.messages.all()],
        "suggested_label": _label(ticket.suggested_escalation),
        "suggested_confidence": _confidence(ticket.suggested_escalation_confidence),
        "suggestion_routes": services.suggestion_routes(ticket),
        "escalation_label": _label(ticket.escalation_category),
    }
    return render(request, "support/ticket.html", context, status=status)


@login_required
def ticket(request: HttpRequest, ticket_id: str) -> HttpResponse:
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    return _ticket_page(request, actor, found)


@login_required
@require_POST
def reply(request: HttpRequest, ticket_id: str) -> HttpResponse:
    """An agent's reply is checked first: a draft touching a must-escalate topic is sent only
    after the agent confirms those very warnings (PRODUCT.md §6)."""
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    agent = selectors.ticket_party(actor, found) is Party.AGENT
    check_url = reverse("support:check_reply", args=[found.id]) if agent else None
    form = ReplyForm(request.POST, check_url=check_url)
    if form.is_valid():
        body = form.cleaned_data["body"]
        if agent:
            warnings = services.ticket_message_check(actor=actor, ticket=found, body=body)
            if {w.category.value for w in warnings} - form.acknowledged_categories():
                return _ticket_page(request, actor, found, reply=form, confirm=warnings)
        try:
            services.ticket_message_add(actor=actor, ticket=found, body=body)
        except (InvalidInput, Conflict) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Your message was sent.")
            return redirect("support:ticket", ticket_id=found.id)
    return _ticket_page(request, actor, found, reply=form, status=422)


def _form_error(form: Any, exc: InvalidInput | Conflict) -> None:
    if isinstance(exc, InvalidInput):
        show_errors(form, exc)
    else:
        form.add_error(None, exc.detail)


@login_required
@require_POST
def check_reply(request: HttpRequest, ticket_id: str) -> HttpResponse:
    """htmx: the scope warnings for the agent's draft, nothing stored."""
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    # Text past the reply limit can never be sent, so it is not worth scanning.
    body = request.POST.get("body", "")[:TEXT_MAX]
    warnings = services.ticket_message_check(actor=actor, ticket=found, body=body)
    return render(request, "support/_scope_warnings.html", {"warnings": _scope_warnings(warnings)})


@login_required
@require_POST
def escalate(request: HttpRequest, ticket_id: str) -> HttpResponse:
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_escalate(actor=actor, ticket=found, **form.cleaned_data)
        except (InvalidInput, Conflict) as exc:
            _form_error(form, exc)
        else:
            label = Category(form.cleaned_data["category"]).label
            messages.success(request, f"Escalated to the business ({label}).")
            return redirect("support:ticket", ticket_id=found.id)
    return _ticket_page(request, actor, found, escalate=form, status=422)


@login_required
@require_POST
def dismiss_suggestion(request: HttpRequest, ticket_id: str) -> HttpResponse:
    """Issue 14: "not an escalation"; the text trains the business's own detector."""
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    try:
        services.ticket_suggestion_dismiss(actor=actor, ticket=found)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Suggestion dismissed; the detector will learn from it.")
    return redirect("support:ticket", ticket_id=found.id)


def _confidence(value: float | None) -> str:
    return "" if value is None else f"{value:.0%} sure"


_TRANSITIONS = {
    "resolve": (services.ticket_resolve, "Ticket resolved."),
    "reopen": (services.ticket_reopen, "Ticket reopened."),
    "pend": (
        ticket_workflow.ticket_pend,
        "Waiting on the customer: the SLA clock is paused until they reply.",
    ),
    "resume": (ticket_workflow.ticket_resume, "The SLA clock runs again."),
}


def _transition(request: HttpRequest, ticket_id: str, action: str) -> HttpResponse:
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    change, done = _TRANSITIONS[action]
    try:
        change(actor=actor, ticket=found)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect("support:ticket", ticket_id=found.id)


@login_required
@require_http_methods(["GET", "POST"])
def resolve(request: HttpRequest, ticket_id: str) -> HttpResponse:
    """Closing asks first (issue 12 item 7): the GET is the confirm step, a page of its own
    so no script is needed under the strict CSP."""
    if request.method == "POST":
        return _transition(request, ticket_id, "resolve")
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    if selectors.ticket_party(actor, found) is Party.CUSTOMER:
        raise Forbidden("Only the ticket's agent or the business's staff resolve a ticket.")
    context = {"business": found.business, "actor": actor, "ticket": found}
    return render(request, "support/resolve_confirm.html", context)


@login_required
@require_POST
def pend(request: HttpRequest, ticket_id: str) -> HttpResponse:
    return _transition(request, ticket_id, "pend")


@login_required
@require_POST
def resume(request: HttpRequest, ticket_id: str) -> HttpResponse:
    return _transition(request, ticket_id, "resume")


@login_required
@require_POST
def note(request: HttpRequest, ticket_id: str) -> HttpResponse:
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            ticket_workflow.ticket_note_add(actor=actor, ticket=found, **form.cleaned_data)
        except (InvalidInput, Conflict) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Internal note added.")
            return redirect("support:ticket", ticket_id=found.id)
    return _ticket_page(request, actor, found, note=form, status=422)


@login_required
@require_POST
def reassign(request: HttpRequest, ticket_id: str) -> HttpResponse:
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    actor.require(*ADMIN_ROLES)
    choices = reassign_choices(business=found.business, now=clock.now())
    form = ReassignForm(request.POST, agents=choices)
    if form.is_valid():
        try:
            ticket_workflow.ticket_reassign(
                actor=actor,
                ticket=found,
                agent_id=uuid.UUID(form.cleaned_data["agent_id"]),
                note=form.cleaned_data["note"],
            )
        except (InvalidInput, Conflict) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Ticket reassigned.")
            return redirect("support:ticket", ticket_id=found.id)
    return _ticket_page(request, actor, found, reassign=form, status=422)


@login_required
@require_POST
def reopen(request: HttpRequest, ticket_id: str) -> HttpResponse:
    return _transition(request, ticket_id, "reopen")


@login_required
@require_POST
def rate(request: HttpRequest, ticket_id: str) -> HttpResponse:
    actor, found = selectors.ticket_actor(page_user(request), ticket_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_rate(
                actor=actor,
                ticket=found,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except (InvalidInput, Conflict) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Thank you for rating this ticket.")
            return redirect("support:ticket", ticket_id=found.id)
    return _ticket_page(request, actor, found, rating=form, status=422)


# The customer portal


@login_required
def portal(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = page_actor(request, business_id)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "tickets": selectors.customer_tickets_for(actor),
    }
    return render(request, "support/portal.html", context)


@login_required
def new_ticket(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = page_actor(request, business_id)
    form = TicketForm(
        request.POST or None,
        customers=selectors.customers_of(actor),
        categories=routing_rules_tags(actor.business_id),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.ticket_create(actor=actor, **form.ticket_fields())
            except (InvalidInput, Conflict) as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "Your ticket was opened. We will reply here.")
                return redirect("support:ticket", ticket_id=created.id)
        status = 422
    context = {"business": business_get_for(actor), "actor": actor, "form": form}
    return render(request, "support/new_ticket.html", context, status=status)


# The public agent profile


def profile(request: HttpRequest, agent_id: str) -> HttpResponse:
    """PRODUCT.md §5–§6: anyone may see an approved agent's badges, support partnerships and
    ratings with the quality tier."""
    data = selectors.agent_profile(agent_id)
    names = selectors.business_names(
        [b["business_id"] for b in data["badges"]] + data["certified_support_partner"]
    )
    pages = current_credential_pages_for_agent(data["agent_id"], clock.now())
    context = {
        **data,
        "badges": [
            {
                **b,
                "business_name": names.get(b["business_id"], ""),
                # PRODUCT.md §11: each badge links to its credential's public verification page.
                "verification_url": pages.get((b["business_id"], b["track_id"]), ""),
            }
            for b in data["badges"]
        ],
        "partners": [names[b] for b in data["certified_support_partner"] if b in names],
    }
    return render(request, "support/profile.html", context)
