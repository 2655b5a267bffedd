"""What support does when certification announces something (``refairn.core.events``);
registered in ``SupportConfig.ready``."""

from __future__ import annotations

import uuid
from datetime import datetime

from refairn.certification.events import Certified, Expired, Revoked
from refairn.core.tenancy import ADMIN_ROLES
from refairn.notifications.services import notification_send
from refairn.programs.models import Business
from refairn.programs.selectors import agent_name, staff_user_ids
from refairn.support.domain.eligibility import IneligibleReason
from refairn.support.selectors import support_eligibility_for
from refairn.support.services.access import support_access_activate_if_certified
from refairn.support.services.assignments import assignments_end_for_agent
from refairn.support.services.tickets import tickets_reroute_for_agent
from refairn.training.models import Track


def on_certified(event: Certified) -> None:
    """PRODUCT.md §5: certified in every support track makes a Certified Support Agent."""
    business = Business.objects.get(pk=event.business_id)
    support_access_activate_if_certified(business=business, agent_id=event.agent_id, now=event.at)


def on_revoked(event: Revoked) -> None:
    """PRODUCT.md §5: a revoked support certification loses support eligibility, and every
    support assignment ends at once (referral commissions are never touched); a revoked
    security-critical one also sends the agent's open tickets back to routing."""
    business = Business.objects.get(pk=event.business_id)
    eligibility = support_eligibility_for(business=business, agent_id=event.agent_id, now=event.at)
    if IneligibleReason.CERTIFICATION_REVOKED not in eligibility.reasons:
        return
    track = Track.objects.get(pk=event.track_id)
    assignments_end_for_agent(
        business_id=event.business_id,
        agent_id=event.agent_id,
        reason=f"Certification revoked ({track.name}): {event.reason}",
        by=event.by,
        at=event.at,
    )
    if track.security_critical and not eligibility.can_receive_tickets:
        _restrict(business, event.agent_id, track, "was revoked", by=event.by, at=event.at)


def on_expired(event: Expired) -> None:
    """Issue 11 item 1: an expired security-critical certification stops the agent's tickets
    and new customers until renewed; their open tickets are routed again and staff told."""
    track = Track.objects.get(pk=event.track_id)
    if not track.security_critical:
        return
    business = Business.objects.get(pk=event.business_id)
    eligibility = support_eligibility_for(business=business, agent_id=event.agent_id, now=event.at)
    if eligibility.can_receive_tickets:
        return
    _restrict(business, event.agent_id, track, "expired", by=None, at=event.at)


def _restrict(
    business: Business,
    agent_id: uuid.UUID,
    track: Track,
    what: str,
    *,
    by: uuid.UUID | None,
    at: datetime,
) -> None:
    moved = tickets_reroute_for_agent(
        business=business,
        agent_id=agent_id,
        by=by,
        note=f"Security-critical certification {what} ({track.name})",
        at=at,
    )
    name = agent_name(business.id, agent_id)
    notification_send(
        user_ids=staff_user_ids(business.id, *ADMIN_ROLES),
        business_id=business.id,
        kind="support_restricted",
        text=f"{name}'s {track.name} certification {what}: no new tickets or customers until "
        f"renewed; {moved} open ticket{'s' if moved != 1 else ''} routed to other agents.",
        link=f"/b/{business.id}/",
        at=at,
        event="support.restricted",
        data={"agent_id": agent_id, "track_id": track.id, "rerouted": moved},
    )
