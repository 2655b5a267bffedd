"""Support access and support eligibility (PRODUCT.md §2, §5–§6): each agent's access, which
tracks make a Certified Support Agent, who may take customers and tickets, the support
partnerships of the public profile, and the staff's agent directory."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from refairn.certification.domain import CertSnapshot
from refairn.certification.domain import Status as CertStatus
from refairn.certification.models import Certification
from refairn.certification.selectors import (
    agent_levels_for,
    cert_snapshot,
    certification_summaries_for,
)
from refairn.core import clock
from refairn.core.pagination import Page
from refairn.core.tenancy import Actor
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import agents_list_for, agents_page_for
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.eligibility import Eligibility, IneligibleReason, support_eligibility
from refairn.support.models import SupportAccess
from refairn.support.settings_section import support_settings
from refairn.training.domain import ContentStatus, Requirement
from refairn.training.models import Track

# Above this many agents, eligibility reads the business's rows rather than the listed ones.
WHOLE_TEAM = 100


def support_access_of(*, business_id: uuid.UUID, agent_id: uuid.UUID) -> AccessStatus:
    """The agent's current support access in the business (``none`` without a record)."""
    status = (
        SupportAccess.objects.filter(business_id=business_id, agent_id=agent_id)
        .values_list("status", flat=True)
        .first()
    )
    return AccessStatus(status or AccessStatus.NONE)


def support_access_map(
    *, business_id: uuid.UUID, agent_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, AccessStatus]:
    """Each listed agent's support access (one query); agents without a record are ``none``."""
    keys = list(dict.fromkeys(agent_ids))
    found = dict(
        SupportAccess.objects.filter(business_id=business_id, agent_id__in=keys).values_list(
            "agent_id", "status"
        )
    )
    return {key: AccessStatus(found.get(key, AccessStatus.NONE)) for key in keys}


def support_track_ids_for(business: Business, tracks: Iterable[Track] | None = None) -> list[str]:
    """PRODUCT.md §2: the tracks that make a Certified Support Agent — the ``support_track_ids``
    setting, or every ``required`` track when it is null. ``tracks``: the business's tracks when
    the caller has them already (saves a query)."""
    chosen = support_settings(business).support_track_ids
    if chosen is not None:
        return [str(track_id) for track_id in chosen]
    if tracks is None:
        tracks = Track.objects.filter(business=business, requirement=Requirement.REQUIRED)
    # A draft or archived track makes no one ineligible (issue 12 item 5).
    return [
        str(t.id)
        for t in tracks
        if t.requirement == Requirement.REQUIRED and t.status == ContentStatus.PUBLISHED
    ]


# A certification as plain values: (agent_id, track_id, status, expires_at).
CertRow = tuple[uuid.UUID, uuid.UUID, str, datetime | None]


def support_eligibility_map(
    *,
    business: Business,
    agent_ids: Iterable[uuid.UUID],
    now: datetime,
    certifications: Iterable[CertRow] | None = None,
) -> dict[uuid.UUID, Eligibility]:
    """PRODUCT.md §5: each agent's support eligibility in ``business``, in three queries
    (tracks, agents' support access, their certifications in the support and
    security-critical tracks). ``certifications``: the business's certification rows when the
    caller read them already (routing does), in any tracks; saves the third query.

    An id that is not an agent of the business gets support access ``none`` (not eligible).
    """
    keys = list(dict.fromkeys(agent_ids))
    if not keys:
        return {}
    tracks = {str(t.id): t for t in Track.objects.filter(business=business)}
    # A listed id that is not (or no longer) a track of the business can never be certified.
    support_ids = support_track_ids_for(business, tracks.values())
    security_ids = {key for key, track in tracks.items() if track.security_critical}
    read_ids = {t for t in support_ids if t in tracks} | security_ids
    rows = Certification.objects.filter(business=business, track_id__in=read_ids).values_list(
        "agent_id", "track_id", "status", "expires_at"
    )
    if len(keys) > WHOLE_TEAM:
        # The business's team (routing): its rows by the business index cost less than an
        # IN list of thousands of ids; the rows of agents not listed are skipped below.
        access: Mapping[uuid.UUID, str] = dict(
            SupportAccess.objects.filter(business_id=business.id).values_list("agent_id", "status")
        )
    else:
        access = support_access_map(business_id=business.id, agent_ids=keys)
        rows = rows.filter(agent_id__in=keys)
    snapshots: dict[uuid.UUID, dict[str, CertSnapshot]] = defaultdict(dict)
    # Plain rows, as ``cert_snapshot`` reads them: a team's worth of model instances is most
    # of a routing decision's time otherwise (issue 17).
    for agent_id, track_id, status, expires_at in (
        rows if certifications is None else certifications
    ):
        if str(track_id) not in read_ids:
            continue
        track = tracks[str(track_id)]
        snapshots[agent_id][str(track_id)] = CertSnapshot(
            status=CertStatus(status),
            expires_at=expires_at,
            requirement=Requirement(track.requirement),
            security_critical=track.security_critical,
        )
    return {
        agent_id: support_eligibility(
            support_track_certs=snapshots.get(agent_id, {}),
            support_track_ids=support_ids,
            support_access=AccessStatus(access.get(agent_id, AccessStatus.NONE)),
            now=now,
            security_critical_certs=_security_critical(snapshots.get(agent_id, {})),
        )
        for agent_id in keys
    }


def _security_critical(certs: dict[str, CertSnapshot]) -> dict[str, CertSnapshot]:
    return {key: snapshot for key, snapshot in certs.items() if snapshot.security_critical}


def support_eligibility_for(
    *, business: Business, agent_id: uuid.UUID, now: datetime
) -> Eligibility:
    """PRODUCT.md §5: one agent's support eligibility in ``business``."""
    return support_eligibility_map(business=business, agent_ids=[agent_id], now=now)[agent_id]


def support_certified(*, business: Business, agent_id: uuid.UUID, now: datetime) -> bool:
    """Certified (not expired, not revoked) in every support track, whatever the support
    access: the condition that activates access (PRODUCT.md §5)."""
    eligibility = support_eligibility_map(business=business, agent_ids=[agent_id], now=now)
    access_reasons = {
        IneligibleReason.SUPPORT_ACCESS_NOT_ACTIVE,
        IneligibleReason.SUPPORT_ACCESS_SUSPENDED,
        IneligibleReason.SUPPORT_ACCESS_REMOVED,
    }
    return not set(eligibility[agent_id].reasons) - access_reasons


def support_partner_business_ids(*, agent_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    """PRODUCT.md §5: the businesses where the agent is a Certified Support Agent (the
    "Certified Support Partner" badge). Four queries whatever the number of businesses."""
    businesses = {
        business.id: business
        for business in Business.objects.filter(
            pk__in=SupportAccess.objects.filter(
                agent_id=agent_id, status=AccessStatus.ACTIVE
            ).values("business_id")
        )
    }
    if not businesses:
        return []
    tracks_by_business: dict[uuid.UUID, dict[str, Track]] = defaultdict(dict)
    for track in Track.objects.filter(business_id__in=businesses):
        tracks_by_business[track.business_id][str(track.id)] = track
    snapshots: dict[uuid.UUID, dict[str, CertSnapshot]] = defaultdict(dict)
    for c in Certification.objects.filter(agent_id=agent_id, business_id__in=businesses):
        track = tracks_by_business[c.business_id][str(c.track_id)]
        snapshots[c.business_id][str(c.track_id)] = cert_snapshot(c, track)
    partners = []
    for business_id, business in businesses.items():
        eligibility = support_eligibility(
            support_track_certs=snapshots.get(business_id, {}),
            support_track_ids=support_track_ids_for(
                business, tracks_by_business[business_id].values()
            ),
            support_access=AccessStatus.ACTIVE,
            now=now,
            security_critical_certs=_security_critical(snapshots.get(business_id, {})),
        )
        if eligibility.is_certified_support_agent:
            partners.append(business_id)
    return sorted(partners, key=str)


# -- the staff's agent directory --------------------------------------------------------------


def agent_rows_for(actor: Actor, *, status: str | None = None) -> list[dict[str, Any]]:
    """Every agent of the business with their level, support access and certifications, for
    the staff; a fixed number of queries whatever the number of agents."""
    return _agent_rows(actor, agents_list_for(actor, status=status))


def agent_rows_page_for(
    actor: Actor, *, status: str | None = None, limit: int | None, cursor: str | None
) -> Page[dict[str, Any]]:
    """``GET /businesses/{b}/agents``: a page of ``agent_rows_for``."""
    page = agents_page_for(actor, status=status, limit=limit, cursor=cursor)
    return page.map(lambda agents: _agent_rows(actor, agents))


def _agent_rows(actor: Actor, agents: list[Agent]) -> list[dict[str, Any]]:
    business = Business.objects.get(pk=actor.business_id)
    agent_ids = [agent.user_id for agent in agents]
    levels = agent_levels_for(business=business, agent_ids=agent_ids, now=clock.now())
    certifications = certification_summaries_for(business=business, agent_ids=agent_ids)
    access = support_access_map(business_id=business.id, agent_ids=agent_ids)
    return [
        {
            "agent_id": agent.user_id,
            "name": agent.user.name,
            "email": agent.user.email,
            "status": agent.status,
            "level": levels[agent.user_id],
            "support_level": agent.support_level,
            "support_access": access[agent.user_id].value,
            "applied_at": agent.applied_at,
            "certifications": certifications[agent.user_id],
        }
        for agent in agents
    ]
