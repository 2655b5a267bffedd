from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Router, Status

from refairn.accounts.auth import request_user
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.core.schemas import JsonObject, ReasonIn
from refairn.core.tenancy import ADMIN_ROLES
from refairn.programs import invitations, selectors, services
from refairn.programs.edge import api_actor
from refairn.programs.models import Agent, Business, Customer, Invitation, StaffMembership
from refairn.programs.schemas import (
    AgentApplicationOut,
    AgentLevelOut,
    AgentPatch,
    BusinessIn,
    BusinessOut,
    CustomerCancelIn,
    CustomerIn,
    CustomerOut,
    InvitationAcceptedOut,
    InvitationAcceptIn,
    InvitationIn,
    InvitationOut,
    JoinLinkOut,
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


@router.patch("/businesses/{b}/agents/{a}", response=AgentLevelOut)
def update_agent(request: HttpRequest, b: str, a: str, payload: AgentPatch) -> Agent:
    """Owners and managers set the agent's ``support_level`` (L1, L2, L3, CSM): a track with a
    minimum level is required only for agents at that level or above (issue 11 item 6)."""
    return services.agent_support_level_set(
        actor=api_actor(request, b), agent_id=a, level=payload.support_level
    )


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


# --- getting people in (issue 12) -------------------------------------------------------------


@router.get("/businesses/{b}/join-link", response=JoinLinkOut)
def get_join_link(request: HttpRequest, b: str) -> dict[str, str]:
    actor = api_actor(request, b)
    actor.require(*ADMIN_ROLES)
    return {"url": invitations.join_link(selectors.business_get_for(actor))}


@router.post("/businesses/{b}/join-link/rotate", response=JoinLinkOut)
def rotate_join_link(request: HttpRequest, b: str) -> dict[str, str]:
    """A new link; the old one answers 404 from now on."""
    return {"url": invitations.join_link(invitations.join_link_rotate(actor=api_actor(request, b)))}


def _invitation_out(invitation: Invitation) -> dict[str, object]:
    return {
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role,
        "state": invitations.state_of(invitation),
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


@router.post("/businesses/{b}/invitations", response={201: InvitationOut})
def create_invitation(
    request: HttpRequest, b: str, payload: InvitationIn
) -> Status[dict[str, object]]:
    """Mails a link. Staff roles: the owner only (409 ``already_member``); ``customer``: owners
    and managers, for a customer recorded with that address (409 ``already_linked``)."""
    actor = api_actor(request, b)
    if payload.role == invitations.CUSTOMER:
        made = invitations.customer_invite(actor=actor, email=payload.email)
    else:
        made = invitations.staff_invite(actor=actor, email=payload.email, role=payload.role)
    return Status(201, _invitation_out(made))


@router.get("/businesses/{b}/invitations", response=list[InvitationOut])
def list_invitations(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[dict[str, object]]:
    """The invitations still open (pending), newest first, a page at a time (``X-Next-Cursor``)."""
    page = invitations.invitations_pending_page(api_actor(request, b), limit=limit, cursor=cursor)
    return paged(response, page.map(lambda rows: [_invitation_out(i) for i in rows]))


@router.delete("/businesses/{b}/invitations/{i}", response={204: None})
def revoke_invitation(request: HttpRequest, b: str, i: str) -> Status[None]:
    invitations.invitation_revoke(actor=api_actor(request, b), invitation_id=i)
    return Status(204, None)


@router.post("/invitations/accept", response=InvitationAcceptedOut, tags=["accounts"])
def accept_invitation(request: HttpRequest, payload: InvitationAcceptIn) -> dict[str, object]:
    """The token from the mailed link, accepted for the caller's account (409
    ``invitation_closed`` once accepted, withdrawn or expired; 404 for an unknown token)."""
    accepted = invitations.invitation_accept(user=request_user(request), token=payload.token)
    return {"business_id": accepted.business_id, "role": accepted.role}
