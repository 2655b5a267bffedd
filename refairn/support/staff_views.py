"""The business's support pages (PRODUCT.md §6): customers with their support agent, assigning
and unassigning, cancelling a subscription, and the ticket list with its overdue and escalated
views. Thin: the same selectors and services as the API.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from refairn.core import clock
from refairn.core.forms import REFUSALS
from refairn.core.pagination import Page, page_links
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs import services as programs
from refairn.programs.domain import AgentStatus
from refairn.programs.edge import staff_actor
from refairn.programs.models import Agent, Customer
from refairn.programs.schemas import CustomerIn
from refairn.programs.selectors import (
    agents_list_for,
    business_get_for,
    customer_get_for,
    customers_page_for,
)
from refairn.support import selectors, services
from refairn.support.domain.escalation import Category
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import Assignment, Ticket
from refairn.support.selectors.intake import reasons_text
from refairn.support.staff_forms import (
    AssignmentForm,
    CancelForm,
    CustomerForm,
    TicketFilterForm,
)

TICKET_PAGE = 50


def _name(agent: Agent) -> str:
    return agent.user.name or agent.user.email


def _approved(actor: Actor) -> list[Agent]:
    return agents_list_for(actor, status=AgentStatus.APPROVED)


# -- customers ------------------------------------------------------------------------------


def _open_assignments(actor: Actor, customers: list[Customer]) -> dict[uuid.UUID, Assignment]:
    """The current assignment of each customer of the page, in one scoped query."""
    rows = (
        Assignment.objects.for_actor(actor)
        .filter(ended_at__isnull=True, customer__in=customers)
        .select_related("agent")
    )
    return {row.customer_id: row for row in rows}


def _customers_page(
    request: HttpRequest, actor: Actor, form: CustomerForm | None = None, status: int = 200
) -> HttpResponse:
    business = business_get_for(actor)
    agents = [(str(a.user_id), _name(a)) for a in _approved(actor)]
    page = customers_page_for(
        actor, limit=None, cursor=request.GET.get("cursor"), before=request.GET.get("before")
    )
    assignments = _open_assignments(actor, page.items)
    customers = [{"customer": c, "assignment": assignments.get(c.id)} for c in page.items]
    context = {
        "business": business,
        "actor": actor,
        "customers": customers,
        "pager": page_links(request.GET, page),
        "currency": business.currency,
        "form": form or CustomerForm(agents=agents),
    }
    return render(request, "support/staff_customers.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def customers(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §1, §6: the business's customers, their support agent, and a new customer."""
    actor = staff_actor(request, business_id)
    if request.method != "POST":
        return _customers_page(request, actor)
    agents = [(str(a.user_id), _name(a)) for a in _approved(actor)]
    form = CustomerForm(request.POST, agents=agents)
    if form.is_valid() and (payload := form.validated(CustomerIn, form.api_body())):
        try:
            customer = programs.customer_create(actor=actor, **payload.dict())
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _customers_page(request, actor, form, exc.status)
        messages.success(request, f"{customer.name} added.")
        return redirect("support:customer", business_id=business_id, customer_id=customer.id)
    return _customers_page(request, actor, form, 422)


def _assignment_choices(
    actor: Actor, business: Any
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Approved agents split by whether they can take a new customer now (PRODUCT.md §5–§6);
    the others carry the reason. Unavailability is left to the service, which says so."""
    agents = _approved(actor)
    eligibility = selectors.support_eligibility_map(
        business=business, agent_ids=[a.user_id for a in agents], now=clock.now()
    )
    eligible, ineligible = [], []
    for agent in agents:
        verdict = eligibility[agent.user_id]
        if verdict.can_be_assigned_new_customers:
            eligible.append((str(agent.user_id), _name(agent)))
        else:
            reasons = reasons_text(tuple(str(r) for r in verdict.reasons))
            ineligible.append((str(agent.user_id), f"{_name(agent)} — {reasons}"))
    return eligible, ineligible


def _customer_page(
    request: HttpRequest,
    actor: Actor,
    customer: Customer,
    *,
    status: int = 200,
    assign_form: AssignmentForm | None = None,
    cancel_form: CancelForm | None = None,
) -> HttpResponse:
    business = business_get_for(actor)
    eligible, ineligible = _assignment_choices(actor, business)
    history = selectors.assignments_list_for(actor, customer)
    context = {
        "business": business,
        "actor": actor,
        "customer": customer,
        "currency": business.currency,
        "current": next((a for a in history if a.ended_at is None), None),
        "history": list(reversed(history)),
        "assign_form": assign_form or AssignmentForm(eligible=eligible, ineligible=ineligible),
        "cancel_form": cancel_form or CancelForm(),
        "can_assign": actor.has(*ADMIN_ROLES),
    }
    return render(request, "support/staff_customer.html", context, status=status)


@login_required
@require_GET
def customer(request: HttpRequest, business_id: str, customer_id: str) -> HttpResponse:
    actor = staff_actor(request, business_id)
    return _customer_page(request, actor, customer_get_for(actor, customer_id))


@login_required
@require_POST
def customer_assign(request: HttpRequest, business_id: str, customer_id: str) -> HttpResponse:
    """PRODUCT.md §6: assign a Certified Support Agent; a refusal (409 ``agent_not_eligible``)
    names why, at the field."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    found = customer_get_for(actor, customer_id)
    eligible, ineligible = _assignment_choices(actor, business_get_for(actor))
    form = AssignmentForm(request.POST, eligible=eligible, ineligible=ineligible)
    if form.is_valid():
        try:
            assignment = services.assignment_set(
                actor=actor, customer=found, agent_id=uuid.UUID(form.cleaned_data["agent_id"])
            )
        except REFUSALS as exc:
            form.add_domain_error(exc, field="agent_id")
            return _customer_page(request, actor, found, status=exc.status, assign_form=form)
        messages.success(request, f"{found.name} is now supported by {assignment.agent.name}.")
        return redirect("support:customer", business_id=business_id, customer_id=found.id)
    return _customer_page(request, actor, found, status=422, assign_form=form)


@login_required
@require_POST
def customer_unassign(request: HttpRequest, business_id: str, customer_id: str) -> HttpResponse:
    """PRODUCT.md §6, §10: unassigning stops only this customer's support commission."""
    actor = staff_actor(request, business_id)
    found = customer_get_for(actor, customer_id)
    try:
        services.assignment_end(actor=actor, customer=found)
    except REFUSALS as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{found.name} no longer has a support agent.")
    return redirect("support:customer", business_id=business_id, customer_id=found.id)


@login_required
@require_POST
def customer_cancel(request: HttpRequest, business_id: str, customer_id: str) -> HttpResponse:
    """PRODUCT.md §10: cancelling stops support and future recurring referral accruals."""
    actor = staff_actor(request, business_id)
    found = customer_get_for(actor, customer_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            programs.customer_cancel(actor=actor, customer=found, at=form.api_at())
        except REFUSALS as exc:
            form.add_domain_error(exc, field="at")
            return _customer_page(request, actor, found, status=exc.status, cancel_form=form)
        messages.success(request, f"{found.name}'s subscription is cancelled.")
        return redirect("support:customer", business_id=business_id, customer_id=found.id)
    return _customer_page(request, actor, found, status=422, cancel_form=form)


# -- tickets --------------------------------------------------------------------------------

VIEWS = {
    "all": {},
    "overdue": {"overdue": "yes"},
    "escalated": {"status": "escalated"},
}


def _category_label(value: str) -> str:
    return Category(value).label if value else ""


def _query(**params: str) -> str:
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in params.items() if v})
    return query.urlencode()


@login_required
@require_GET
def tickets(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §6: the business's tickets, newest first, filtered by status, overdue and
    agent; the overdue and escalated views are saved filters."""
    actor = staff_actor(request, business_id)
    agents = _approved(actor)
    names: dict[uuid.UUID | None, str] = {a.user_id: _name(a) for a in agents}
    form = TicketFilterForm(request.GET or None, agents=[(str(k), v) for k, v in names.items()])
    filters: dict[str, Any] = {}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 422
    elif form.is_bound:
        filters = form.filters()
    page: Page[Ticket] = Page([], None)
    try:
        page = selectors.tickets_list_for(actor, limit=TICKET_PAGE, **filters)
    except REFUSALS as exc:
        form.add_error("cursor", exc.detail)
        status = exc.status
    current = {k: v for k, v in form.data.items() if k not in {"cursor", "before"} and v}
    active = next((name for name, params in VIEWS.items() if params == current), None)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "form": form,
        "tickets": [
            {
                "ticket": t,
                "agent": names.get(t.assigned_agent_id),
                "status": TicketStatus(t.status).label,
                "escalation": _category_label(t.escalation_category),
                "suggested": _category_label(t.suggested_escalation),
                "suggested_confidence": (
                    ""
                    if t.suggested_escalation_confidence is None
                    else f"{t.suggested_escalation_confidence:.0%} sure"
                ),
            }
            for t in page.items
        ],
        "views": [(name, _query(**params)) for name, params in VIEWS.items()],
        "active_view": active,
        "pager": page_links(request.GET, page),
        "now": clock.now(),
    }
    return render(request, "support/staff_tickets.html", context, status=status)
