"""Certifications per agent: each track's standing as support and reports read it, badges for the
public profile, levels and certification summaries for the staff (PRODUCT.md §5)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from refairn.certification import domain
from refairn.certification.models import Certification
from refairn.programs.models import Business
from refairn.training.domain import ContentStatus, Requirement
from refairn.training.models import Track


def cert_snapshot(certification: Certification, track: Track) -> domain.CertSnapshot:
    """A stored certification as the standing rules read it."""
    return domain.CertSnapshot(
        status=domain.Status(certification.status),
        expires_at=certification.expires_at,
        requirement=Requirement(track.requirement),
        security_critical=track.security_critical,
    )


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


# -- levels and the staff's agent list --------------------------------------------------------


def agent_levels_for(
    *, business: Business, agent_ids: Iterable[uuid.UUID], now: datetime
) -> dict[uuid.UUID, str]:
    """PRODUCT.md §5: each agent's level over all the business's tracks, counting certified,
    unexpired tracks (two queries). Values are ``domain.Level`` (master, strong, ...)."""
    keys = list(dict.fromkeys(agent_ids))
    # Levels count published tracks, as the dashboard's matrix does (issue 12 item 5).
    track_count = Track.objects.filter(business=business, status=ContentStatus.PUBLISHED).count()
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
    no certification yet), for ``GET /businesses/{b}/agents``. Two queries. A draft track is
    the business's work in progress, not part of any agent's record (issue 12): it has no row."""
    keys = list(dict.fromkeys(agent_ids))
    tracks = list(Track.objects.filter(business=business).exclude(status=ContentStatus.DRAFT))
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
