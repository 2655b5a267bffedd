"""What support does when certification announces something (``refairn.core.events``);
registered in ``SupportConfig.ready``."""

from __future__ import annotations

from refairn.certification.events import Certified, Expired, Revoked
from refairn.programs.models import Business
from refairn.support.domain.eligibility import IneligibleReason
from refairn.support.selectors import support_eligibility_for
from refairn.support.services.access import support_access_activate_if_certified
from refairn.support.services.assignments import assignments_end_for_agent
from refairn.support.services.restriction import EXPIRED, REVOKED, security_restriction_apply
from refairn.training.models import Track


def on_certified(event: Certified) -> None:
    """PRODUCT.md §5: certified in every support track makes a Certified Support Agent."""
    business = Business.objects.get(pk=event.business_id)
    support_access_activate_if_certified(business=business, agent_id=event.agent_id, now=event.at)


def on_revoked(event: Revoked) -> None:
    """PRODUCT.md §5: a revoked support certification loses support eligibility, and every
    support assignment ends at once (referral commissions are never touched). A revoked
    security-critical track also restricts support (``security_restriction_apply``)."""
    business = Business.objects.get(pk=event.business_id)
    security_restriction_apply(
        business=business, agent_id=event.agent_id, track_id=event.track_id, cause=REVOKED
    )
    eligibility = support_eligibility_for(business=business, agent_id=event.agent_id, now=event.at)
    if IneligibleReason.CERTIFICATION_REVOKED not in eligibility.reasons:
        return
    track_name = Track.objects.filter(pk=event.track_id).values_list("name", flat=True).get()
    assignments_end_for_agent(
        business_id=event.business_id,
        agent_id=event.agent_id,
        reason=f"Certification revoked ({track_name}): {event.reason}",
        by=event.by,
        at=event.at,
    )


def on_expired(event: Expired) -> None:
    """Issue 11 item 1: an expired security-critical track restricts support until renewed."""
    business = Business.objects.get(pk=event.business_id)
    security_restriction_apply(
        business=business, agent_id=event.agent_id, track_id=event.track_id, cause=EXPIRED
    )
