"""Support eligibility: the one place that decides what an agent may do in support (PRODUCT.md
§5, used by assignment §6 and routing §7).

Decisions where the product text is silent:

- A support track the agent holds no certification record for counts as ``not_certified``.
- A track that was certified and has lapsed counts as expired while the agent retakes it
  (status submitted, failed, ... with an old ``expires_at``): retaking must not leave the agent
  worse off than not retaking. Reopening after a revoke clears ``expires_at``.
- Only the expired-but-not-security-critical case keeps tickets; a never-certified or revoked
  support track stops tickets.
- A business with no support tracks has no Certified Support Agents (``no_support_tracks``),
  rather than every agent being one.
- Reasons come in a fixed order, each once, so the API's ``detail`` is stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from refairn.certification.domain.access import SupportAccess
from refairn.certification.domain.expiry import is_expired
from refairn.certification.domain.status import Status
from refairn.training.domain.tracks import Requirement


class Standing(StrEnum):
    CERTIFIED = "certified"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_CERTIFIED = "not_certified"


class IneligibleReason(StrEnum):
    SUPPORT_ACCESS_REMOVED = "support_access_removed"
    SUPPORT_ACCESS_SUSPENDED = "support_access_suspended"
    SUPPORT_ACCESS_NOT_ACTIVE = "support_access_not_active"
    NO_SUPPORT_TRACKS = "no_support_tracks"
    CERTIFICATION_REVOKED = "certification_revoked"
    CERTIFICATION_EXPIRED = "certification_expired"
    NOT_CERTIFIED = "not_certified"


@dataclass(frozen=True)
class CertSnapshot:
    """One track's certification as eligibility needs it."""

    status: Status
    expires_at: datetime | None
    requirement: Requirement
    security_critical: bool


@dataclass(frozen=True)
class Eligibility:
    can_be_assigned_new_customers: bool
    can_receive_tickets: bool
    is_certified_support_agent: bool
    reasons: tuple[IneligibleReason, ...]


_ACCESS_REASONS = {
    SupportAccess.REMOVED: IneligibleReason.SUPPORT_ACCESS_REMOVED,
    SupportAccess.SUSPENDED: IneligibleReason.SUPPORT_ACCESS_SUSPENDED,
    SupportAccess.NONE: IneligibleReason.SUPPORT_ACCESS_NOT_ACTIVE,
    SupportAccess.REQUESTED: IneligibleReason.SUPPORT_ACCESS_NOT_ACTIVE,
}

_STANDING_REASONS = {
    Standing.EXPIRED: IneligibleReason.CERTIFICATION_EXPIRED,
    Standing.REVOKED: IneligibleReason.CERTIFICATION_REVOKED,
    Standing.NOT_CERTIFIED: IneligibleReason.NOT_CERTIFIED,
}


def track_standing(snapshot: CertSnapshot | None, now: datetime) -> Standing:
    """PRODUCT.md §5: certified (not expired, not revoked), expired, revoked, or not certified."""
    if snapshot is None:
        return Standing.NOT_CERTIFIED
    if snapshot.status == Status.REVOKED:
        return Standing.REVOKED
    if snapshot.status == Status.CERTIFIED:
        return Standing.EXPIRED if is_expired(snapshot.expires_at, now) else Standing.CERTIFIED
    if snapshot.status == Status.EXPIRED or snapshot.expires_at is not None:
        return Standing.EXPIRED
    return Standing.NOT_CERTIFIED


def _stops_tickets(standing: Standing, snapshot: CertSnapshot | None) -> bool:
    if standing is Standing.CERTIFIED:
        return False
    if standing is Standing.EXPIRED and snapshot is not None:
        return snapshot.requirement == Requirement.REQUIRED and snapshot.security_critical
    return True


def support_eligibility(
    *,
    support_track_certs: Mapping[str, CertSnapshot],
    support_track_ids: Sequence[str],
    support_access: str,
    now: datetime,
) -> Eligibility:
    """PRODUCT.md §5: a Certified Support Agent is certified (not expired, not revoked) in every
    support track and has active support access. Expired: keeps current customers (and their
    tickets) but gets no new customers; a required, security-critical expired track also stops
    tickets. Revoked: no support at all. Suspended or removed access: no tickets, no customers.

    ``support_track_certs`` maps a track id to the agent's certification in it; support tracks
    missing from it are not certified. ``support_access`` is a ``SupportAccess`` value.
    """
    access = SupportAccess(support_access)
    found: set[IneligibleReason] = set()
    tickets = access is SupportAccess.ACTIVE
    if not tickets:
        found.add(_ACCESS_REASONS[access])
    if not support_track_ids:
        found.add(IneligibleReason.NO_SUPPORT_TRACKS)
        tickets = False
    for track_id in support_track_ids:
        snapshot = support_track_certs.get(track_id)
        standing = track_standing(snapshot, now)
        if standing is not Standing.CERTIFIED:
            found.add(_STANDING_REASONS[standing])
        if _stops_tickets(standing, snapshot):
            tickets = False
    reasons = tuple(reason for reason in IneligibleReason if reason in found)
    certified_support_agent = not reasons
    return Eligibility(
        can_be_assigned_new_customers=certified_support_agent,
        can_receive_tickets=tickets,
        is_certified_support_agent=certified_support_agent,
        reasons=reasons,
    )
