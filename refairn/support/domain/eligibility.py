"""Support eligibility: the one place that decides what an agent may do in support (PRODUCT.md
§5, used by assignment §6 and routing §7).

Decisions where the product text is silent:

- Only the expired-but-not-security-critical case keeps tickets; a never-certified or revoked
  support track stops tickets.
- A business with no support tracks has no Certified Support Agents (``no_support_tracks``),
  rather than every agent being one.
- Reasons come in a fixed order, each once, so the API's ``detail`` is stable.
- A security-critical track restricts support whether or not it is a support track (issue 11
  item 1): an agent whose certification in any security-critical track of the business has
  expired or been revoked takes no new tickets and no new customers until it is certified
  again (``security_certification_lapsed``); current customers stay assigned, as for any
  expiry. A security-critical track the agent never held restricts nothing by itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from refairn.certification.domain.standing import CertSnapshot, Standing, track_standing
from refairn.support.domain.access import AccessStatus


class IneligibleReason(StrEnum):
    SUPPORT_ACCESS_REMOVED = "support_access_removed"
    SUPPORT_ACCESS_SUSPENDED = "support_access_suspended"
    SUPPORT_ACCESS_NOT_ACTIVE = "support_access_not_active"
    NO_SUPPORT_TRACKS = "no_support_tracks"
    CERTIFICATION_REVOKED = "certification_revoked"
    CERTIFICATION_EXPIRED = "certification_expired"
    NOT_CERTIFIED = "not_certified"
    SECURITY_CERTIFICATION_LAPSED = "security_certification_lapsed"


@dataclass(frozen=True)
class Eligibility:
    can_be_assigned_new_customers: bool
    can_receive_tickets: bool
    is_certified_support_agent: bool
    reasons: tuple[IneligibleReason, ...]


_ACCESS_REASONS = {
    AccessStatus.REMOVED: IneligibleReason.SUPPORT_ACCESS_REMOVED,
    AccessStatus.SUSPENDED: IneligibleReason.SUPPORT_ACCESS_SUSPENDED,
    AccessStatus.NONE: IneligibleReason.SUPPORT_ACCESS_NOT_ACTIVE,
    AccessStatus.REQUESTED: IneligibleReason.SUPPORT_ACCESS_NOT_ACTIVE,
}


_STANDING_REASONS = {
    Standing.EXPIRED: IneligibleReason.CERTIFICATION_EXPIRED,
    Standing.REVOKED: IneligibleReason.CERTIFICATION_REVOKED,
    Standing.NOT_CERTIFIED: IneligibleReason.NOT_CERTIFIED,
}


_LAPSED = (Standing.EXPIRED, Standing.REVOKED)


def lapsed_security_track_ids(certs: Mapping[str, CertSnapshot], now: datetime) -> tuple[str, ...]:
    """The security-critical tracks whose certification has expired or been revoked at
    ``now``: while there is one, the agent's support is restricted (issue 11 item 1)."""
    return tuple(
        sorted(
            track_id
            for track_id, snapshot in certs.items()
            if snapshot.security_critical and track_standing(snapshot, now) in _LAPSED
        )
    )


def support_eligibility(
    *,
    support_track_certs: Mapping[str, CertSnapshot],
    support_track_ids: Sequence[str],
    support_access: str,
    now: datetime,
    security_critical_certs: Mapping[str, CertSnapshot],
) -> Eligibility:
    """PRODUCT.md §5: a Certified Support Agent is certified (not expired, not revoked) in every
    support track and has active support access. Expired: keeps current customers (and their
    tickets) but gets no new customers; a required, security-critical expired track also stops
    tickets. Revoked: no support at all. Suspended or removed access: no tickets, no customers.
    Any security-critical track expired or revoked: no new tickets, no new customers.

    ``support_track_certs`` maps a track id to the agent's certification in it; support tracks
    missing from it are not certified. ``support_access`` is a ``AccessStatus`` value.
    ``security_critical_certs``: the agent's certifications in the business's security-critical
    tracks, support tracks or not.
    """
    return eligibility_from_standings(
        support_access=support_access,
        support_standings=tuple(
            track_standing(support_track_certs.get(track_id), now) for track_id in support_track_ids
        ),
        security_lapsed=bool(lapsed_security_track_ids(security_critical_certs, now)),
    )


@lru_cache(maxsize=256)
def eligibility_from_standings(
    *, support_access: str, support_standings: tuple[Standing, ...], security_lapsed: bool
) -> Eligibility:
    """``support_eligibility`` once each support track's standing is known (in the business's
    order of support tracks) and whether a security-critical track has lapsed. Plain values
    in, so a team of thousands, who share a handful of combinations, decides each once."""
    access = AccessStatus(support_access)
    found: set[IneligibleReason] = set()
    tickets = access is AccessStatus.ACTIVE
    if not tickets:
        found.add(_ACCESS_REASONS[access])
    if not support_standings:
        found.add(IneligibleReason.NO_SUPPORT_TRACKS)
        tickets = False
    for standing in support_standings:
        if standing is not Standing.CERTIFIED:
            found.add(_STANDING_REASONS[standing])
        # An expired support track keeps the current customers' tickets (PRODUCT.md §5).
        if standing not in (Standing.CERTIFIED, Standing.EXPIRED):
            tickets = False
    if security_lapsed:
        found.add(IneligibleReason.SECURITY_CERTIFICATION_LAPSED)
        tickets = False
    reasons = tuple(reason for reason in IneligibleReason if reason in found)
    certified_support_agent = not reasons
    return Eligibility(
        can_be_assigned_new_customers=certified_support_agent,
        can_receive_tickets=tickets,
        is_certified_support_agent=certified_support_agent,
        reasons=reasons,
    )
