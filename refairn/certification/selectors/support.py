"""Support eligibility (PRODUCT.md §5), reused by assignment and routing; badges and partner
businesses for the public profile; levels and certification summaries for the staff."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from refairn.certification import domain
from refairn.certification.models import Certification
from refairn.certification.selectors.certifications import (
    support_track_ids_for,
)
from refairn.programs.models import Agent, Business
from refairn.training.domain import Requirement
from refairn.training.models import Track


def _snapshot(certification: Certification, track: Track) -> domain.CertSnapshot:
    return domain.CertSnapshot(
        status=domain.Status(certification.status),
        expires_at=certification.expires_at,
        requirement=Requirement(track.requirement),
        security_critical=track.security_critical,
    )


def support_eligibility_map(
    *, business: Business, agent_ids: Iterable[uuid.UUID], now: datetime
) -> dict[uuid.UUID, domain.Eligibility]:
    """PRODUCT.md §5: each agent's support eligibility in ``business``, in three queries
    (support tracks, agents' support access, their certifications in those tracks).

    An id that is not an agent of the business gets support access ``none`` (not eligible).
    """
    keys = list(dict.fromkeys(agent_ids))
    if not keys:
        return {}
    tracks = {str(t.id): t for t in Track.objects.filter(business=business)}
    # A listed id that is not (or no longer) a track of the business can never be certified.
    support_ids = support_track_ids_for(business, tracks.values())
    access = dict(
        Agent.objects.filter(business=business, user_id__in=keys).values_list(
            "user_id", "support_access"
        )
    )
    snapshots: dict[uuid.UUID, dict[str, domain.CertSnapshot]] = defaultdict(dict)
    for certification in Certification.objects.filter(
        business=business, agent_id__in=keys, track_id__in=[t for t in support_ids if t in tracks]
    ):
        track_key = str(certification.track_id)
        snapshots[certification.agent_id][track_key] = _snapshot(certification, tracks[track_key])
    return {
        agent_id: domain.support_eligibility(
            support_track_certs=snapshots.get(agent_id, {}),
            support_track_ids=support_ids,
            support_access=access.get(agent_id, domain.SupportAccess.NONE),
            now=now,
        )
        for agent_id in keys
    }


def support_eligibility_for(
    *, business: Business, agent_id: uuid.UUID, now: datetime
) -> domain.Eligibility:
    """PRODUCT.md §5: one agent's support eligibility in ``business``."""
    return support_eligibility_map(business=business, agent_ids=[agent_id], now=now)[agent_id]


def support_certified(*, business: Business, agent_id: uuid.UUID, now: datetime) -> bool:
    """Certified (not expired, not revoked) in every support track, whatever the support
    access: the condition that activates access (PRODUCT.md §5)."""
    eligibility = support_eligibility_map(business=business, agent_ids=[agent_id], now=now)
    access_reasons = {
        domain.IneligibleReason.SUPPORT_ACCESS_NOT_ACTIVE,
        domain.IneligibleReason.SUPPORT_ACCESS_SUSPENDED,
        domain.IneligibleReason.SUPPORT_ACCESS_REMOVED,
    }
    return not set(eligibility[agent_id].reasons) - access_reasons


# -- public profile (badges) -----------------------------------------------------------------


def badges_for_agent(*, agent_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    """PRODUCT.md §5: each certified, unexpired track shows its badge, across businesses."""
    certifications = (
        Certification.objects.filter(
            agent_id=agent_id, status=domain.Status.CERTIFIED, expires_at__gt=now
        )
        .select_related("track")
        .order_by("business_id", "track__position", "track__created_at")
    )
    return [
        {
            "business_id": c.business_id,
            "track_id": c.track_id,
            "name": c.track.badge_name,
            "icon": c.track.badge_icon,
            "expires_at": c.expires_at,
        }
        for c in certifications
    ]


def support_partner_business_ids(*, agent_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    """PRODUCT.md §5: the businesses where the agent is a Certified Support Agent (the
    "Certified Support Partner" badge). Four queries whatever the number of businesses."""
    memberships = Agent.objects.filter(
        user_id=agent_id, support_access=domain.SupportAccess.ACTIVE
    ).select_related("business")
    businesses = {m.business_id: m.business for m in memberships}
    if not businesses:
        return []
    tracks_by_business: dict[uuid.UUID, dict[str, Track]] = defaultdict(dict)
    for track in Track.objects.filter(business_id__in=businesses):
        tracks_by_business[track.business_id][str(track.id)] = track
    snapshots: dict[uuid.UUID, dict[str, domain.CertSnapshot]] = defaultdict(dict)
    for c in Certification.objects.filter(agent_id=agent_id, business_id__in=businesses):
        track = tracks_by_business[c.business_id][str(c.track_id)]
        snapshots[c.business_id][str(c.track_id)] = _snapshot(c, track)
    partners = []
    for business_id, business in businesses.items():
        eligibility = domain.support_eligibility(
            support_track_certs=snapshots.get(business_id, {}),
            support_track_ids=support_track_ids_for(
                business, tracks_by_business[business_id].values()
            ),
            support_access=domain.SupportAccess.ACTIVE,
            now=now,
        )
        if eligibility.is_certified_support_agent:
            partners.append(business_id)
    return sorted(partners, key=str)


# -- levels and the staff's agent list --------------------------------------------------------


def agent_levels_for(
    *, business: Business, agent_ids: Iterable[uuid.UUID], now: datetime
) -> dict[uuid.UUID, str]:
    """PRODUCT.md §5: each agent's level over all the business's tracks, counting certified,
    unexpired tracks (two queries). Values are ``domain.Level`` (master, strong, ...)."""
    keys = list(dict.fromkeys(agent_ids))
    track_count = Track.objects.filter(business=business).count()
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for agent_id in Certification.objects.filter(
        business=business, agent_id__in=keys, status=domain.Status.CERTIFIED, expires_at__gt=now
    ).values_list("agent_id", flat=True):
        counts[agent_id] += 1
    return {key: domain.agent_level(counts[key], track_count).value for key in keys}


def certification_summaries_for(
    *, business: Business, agent_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """One row per track of the business for each agent (``not_started`` where the agent has
    no certification yet), for ``GET /businesses/{b}/agents``. Two queries."""
    keys = list(dict.fromkeys(agent_ids))
    tracks = list(Track.objects.filter(business=business))
    found = {
        (c.agent_id, c.track_id): c
        for c in Certification.objects.filter(business=business, agent_id__in=keys)
    }
    summaries: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for agent_id in keys:
        rows = []
        for track in tracks:
            certification = found.get((agent_id, track.id))
            rows.append(
                {
                    "track_id": track.id,
                    "status": certification.status if certification else domain.Status.NOT_STARTED,
                    "expires_at": certification.expires_at if certification else None,
                }
            )
        summaries[agent_id] = rows
    return summaries
