"""A lapsed security-critical certification restricts support (issue 11 item 1, PRODUCT.md
§5 and §7): the agent takes no new tickets and no new customers until it is renewed, which
eligibility reads at any minute (``support.domain.eligibility``). What cannot be read has to
be done once, when certification announces the expiry or the revocation: the agent's open
tickets are re-routed and the business's owners and managers are told. Renewal needs no
action: eligibility reads the renewed certification."""

from __future__ import annotations

import uuid

from django.db import transaction

from refairn.core import clock
from refairn.core.tenancy import Role
from refairn.notifications.services import notification_send
from refairn.programs.models import Business
from refairn.programs.selectors import agent_name, staff_user_ids
from refairn.support.domain.eligibility import IneligibleReason
from refairn.support.selectors import support_eligibility_for
from refairn.support.services.tickets import tickets_reroute_for_agent
from refairn.training.models import Track

EXPIRED = "expired"
REVOKED = "revoked"


@transaction.atomic
def security_restriction_apply(
    *, business: Business, agent_id: uuid.UUID, track_id: uuid.UUID, cause: str
) -> int:
    """The agent's certification in ``track_id`` has just ``cause`` (expired or revoked): when
    the track is security-critical and the agent is now restricted, their open tickets are
    re-routed and the owners and managers told, by name. Returns how many tickets moved."""
    track = Track.objects.only("name", "security_critical").get(pk=track_id, business=business)
    if not track.security_critical:
        return 0
    eligibility = support_eligibility_for(business=business, agent_id=agent_id, now=clock.now())
    if IneligibleReason.SECURITY_CERTIFICATION_LAPSED not in eligibility.reasons:
        return 0
    name = agent_name(business.id, agent_id)
    why = f"{name}'s {track.name} certification {cause}: support restricted until renewed"
    moved = tickets_reroute_for_agent(business=business, agent_id=agent_id, why=why)
    tickets = "1 open ticket was" if moved == 1 else f"{moved} open tickets were"
    notification_send(
        user_ids=staff_user_ids(business.id, Role.OWNER, Role.MANAGER),
        business_id=business.id,
        kind="support_access_restricted",
        event="support_access.restricted",
        text=(
            f"{name}'s {track.name} certification {cause}: no new tickets or customers until "
            f"it is renewed; {tickets} re-routed."
        ),
        link=f"/b/{business.id}/agents/{agent_id}/",
        data={
            "agent_name": name,
            "track_name": track.name,
            "cause": cause,
            "tickets_rerouted": moved,
        },
    )
    return moved
