"""Whether an agent may take new customers and new tickets right now (PRODUCT.md §5, §6).

Eligibility (``support.selectors.support_eligibility_for``) decides what certification allows; this
module adds the support side's own reasons: an unavailability notice, read through the
business's unavailability policy. Assignment and routing both ask here, so they never disagree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business
from refairn.support.models import SupportPolicy, Unavailability
from refairn.support.selectors.access import support_eligibility_for

UNAVAILABLE = "unavailable"
NOT_APPROVED = "not_an_approved_agent"

# The API's ``detail`` names why in words; the codes travel alongside in ``reasons``.
REASON_TEXT = {
    "support_access_removed": "support access was removed",
    "support_access_suspended": "support access is suspended",
    "support_access_not_active": "support access is not active",
    "no_support_tracks": "the business has no support tracks",
    "certification_revoked": "a support certification was revoked",
    "certification_expired": "a support certification has expired",
    "not_certified": "not certified in every support track",
    "security_certification_lapsed": (
        "a security-critical certification has expired or been revoked; restricted until renewed"
    ),
    UNAVAILABLE: "unavailable (an unavailability notice covers this time)",
    NOT_APPROVED: "not an approved agent of this business",
}


def reasons_text(reasons: tuple[str, ...]) -> str:
    return "; ".join(REASON_TEXT.get(reason, reason.replace("_", " ")) for reason in reasons)


@dataclass(frozen=True)
class Policy:
    unavailability_policy: str
    reassign_to_id: uuid.UUID | None

    @property
    def pauses_intake(self) -> bool:
        return self.unavailability_policy == SupportPolicy.Unavailability.PAUSE_INTAKE


def policy_for(business_id: uuid.UUID) -> Policy:
    row = SupportPolicy.objects.filter(business_id=business_id).first()
    if row is None:
        return Policy(SupportPolicy.Unavailability.PAUSE_INTAKE, None)
    return Policy(row.unavailability_policy, row.reassign_to_id)


def is_unavailable(business_id: uuid.UUID, agent_id: uuid.UUID, at: datetime) -> bool:
    """An unavailability notice covers ``at`` (start inclusive, end exclusive)."""
    return Unavailability.objects.filter(
        business_id=business_id, agent_id=agent_id, starts_at__lte=at, ends_at__gt=at
    ).exists()


@dataclass(frozen=True)
class Intake:
    new_customer_blockers: tuple[str, ...]
    receives_tickets: bool
    unavailable: bool

    @property
    def takes_new_customers(self) -> bool:
        return not self.new_customer_blockers


def intake_for(
    *, business: Business, agent_id: uuid.UUID, now: datetime, policy: Policy | None = None
) -> Intake:
    """PRODUCT.md §6: new customers need a Certified Support Agent who is not away under the
    pause-intake policy; new tickets need ticket eligibility and no unavailability at all
    (under the reassign policy the away agent's tickets go to the stand-in instead)."""
    approved = Agent.objects.filter(
        business=business, user_id=agent_id, status=AgentStatus.APPROVED
    ).exists()
    if not approved:
        return Intake((NOT_APPROVED,), receives_tickets=False, unavailable=False)
    eligibility = support_eligibility_for(business=business, agent_id=agent_id, now=now)
    away = is_unavailable(business.id, agent_id, now)
    policy = policy or policy_for(business.id)
    blockers = (
        () if eligibility.can_be_assigned_new_customers else tuple(map(str, eligibility.reasons))
    )
    if away and policy.pauses_intake:
        blockers += (UNAVAILABLE,)
    return Intake(
        new_customer_blockers=blockers,
        receives_tickets=eligibility.can_receive_tickets and not away,
        unavailable=away,
    )
