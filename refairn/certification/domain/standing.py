"""A certification's standing as everything after certification reads it (PRODUCT.md §5):
certified, expired, revoked or not certified, whatever the status machine's finer state.

Decisions where the product text is silent:

- A track the agent holds no certification record for is ``not_certified``.
- A track that was certified and has lapsed counts as expired while the agent retakes it
  (status submitted, failed, ... with an old ``expires_at``): retaking must not leave the agent
  worse off than not retaking. Reopening after a revoke clears ``expires_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from refairn.certification.domain.expiry import is_expired
from refairn.certification.domain.status import Status
from refairn.training.domain.tracks import Requirement


class Standing(StrEnum):
    CERTIFIED = "certified"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_CERTIFIED = "not_certified"


@dataclass(frozen=True)
class CertSnapshot:
    """One track's certification as eligibility needs it."""

    status: Status
    expires_at: datetime | None
    requirement: Requirement
    security_critical: bool


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
