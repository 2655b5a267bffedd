from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Router, Status

from refairn.accounts.auth import request_user
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.core.schemas import JsonObject, ReasonIn
from refairn.programs import selectors, services
from refairn.programs.edge import api_actor
from refairn.programs.models import Agent, Business, Customer, StaffMembership
from refairn.programs.schemas import (
    AgentApplicationOut,
    BusinessIn,
    BusinessOut,
    CustomerCancelIn,
    CustomerIn,
    CustomerOut,
    MeOut,
    StaffIn,
    StaffOut,
)

router = Router(tags=["businesses"])


@router.get("/me", response=MeOut, tags=["accounts"])
def me(request: HttpRequest) -> dict[str, object]:
    """The caller and every tie they have to a business (staff roles, agent, customer)."""
    user = request_user(request)
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "memberships": [
            {"business_id": m.business_id, "role": m.role, "status": m.status}
            for m in selectors.memberships_for_user(user)
        ],
    }


@router.post("/businesses", response={201: BusinessOut})
def create_business(request: HttpRequest, payload: BusinessIn) -> Status[Business]:
    return Status(201, services.business_create(user=request_user(request), name=payload.name))


@router.get("/businesses/{b}", response=BusinessOut)
def get_business(request: HttpRequest, b: str) -> dict[str, Any]:
    """Owners and managers read the whole settings document; other members the part they
    need (currency, training access, the certification rules, the SLA)."""
    actor = api_actor(request, b)
    business = selectors.business_get_for(actor)
    return {
        "id": business.id,
        "name": business.name,
        "slug": business.slug,
        "settings": selectors.business_settings_for(actor, business),
    }


@router.patch("/businesses/{b}/settings", response=dict[str, Any])
def patch_settings(request: HttpRequest, b: str, payload: Body[JsonObject]) -> dict[str, Any]:
    """Partial update: objects merge key by key; see ``programs.domain.merge_patch``."""
    return services.settings_update(actor=api_actor(request, b), patch=payload)


@router.post("/businesses/{b}/staff", response={201: StaffOut})
def add_staff(request: HttpRequest, b: str, payload: StaffIn) -> Status[StaffMembership]:
    return Status(
        201, services.staff_add(actor=api_actor(request, b), email=payload.email, role=payload.role)
    )


@router.post("/businesses/{b}/agents", response={201: AgentApplicationOut})
def apply(request: HttpRequest, b: str) -> Status[Agent]:
    return Status(201, services.agent_apply(user=request_user(request), business_id=b))


@router.post("/businesses/{b}/agents/{a}/approve", response=AgentApplicationOut)
def approve_agent(request: HttpRequest, b: str, a: str) -> Agent:
    return services.agent_approve(actor=api_actor(request, b), agent_id=a)


@router.post("/businesses/{b}/agents/{a}/reject", response=AgentApplicationOut)
def reject_agent(request: HttpRequest, b: str, a: str, payload: ReasonIn) -> Agent:
    return services.agent_reject(actor=api_actor(request, b), agent_id=a, reason=payload.reason)


@router.post("/businesses/{b}/customers", response={201: CustomerOut})
def create_customer(request: HttpRequest, b: str, payload: CustomerIn) -> Status[Customer]:
    return Status(201, services.customer_create(actor=api_actor(request, b), **payload.dict()))


@router.get("/businesses/{b}/customers", response=list[CustomerOut])
def list_customers(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[Customer]:
    """Oldest first; when more remain, ``X-Next-Cursor`` carries the ``cursor`` of the next
    page."""
    page = selectors.customers_page_for(api_actor(request, b), limit=limit, cursor=cursor)
    return paged(response, page)


@router.get("/customers/{c}", response=CustomerOut)
def get_customer(request: HttpRequest, c: str) -> Customer:
    return selectors.customer_actor(request_user(request), c)[1]


@router.post("/customers/{c}/cancel", response=CustomerOut)
def cancel_customer(request: HttpRequest, c: str, payload: CustomerCancelIn) -> Customer:
    caller, customer = selectors.customer_actor(request_user(request), c)
    return services.customer_cancel(actor=caller, customer=customer, at=payload.at)
