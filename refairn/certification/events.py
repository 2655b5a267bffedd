"""What certification announces to the apps above it (``refairn.core.events``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Certified:
    """An agent became certified in a track, or renewed it (PRODUCT.md §5): support access may
    activate, a credential is issued."""

    certification_id: int
    business_id: uuid.UUID
    track_id: uuid.UUID
    agent_id: uuid.UUID
    renewed: bool
    at: datetime


@dataclass(frozen=True)
class Revoked:
    """The business revoked an agent's certification in a track (PRODUCT.md §5): if that costs
    the agent support eligibility, their support assignments end; its credential is revoked."""

    certification_id: int
    business_id: uuid.UUID
    track_id: uuid.UUID
    agent_id: uuid.UUID
    reason: str
    by: uuid.UUID | None
    at: datetime


@dataclass(frozen=True)
class Expired:
    """An agent's certification in a track ran out (PRODUCT.md §5), dated at its expiry: an
    expired security-critical track restricts the agent's support until renewed."""

    certification_id: int
    business_id: uuid.UUID
    track_id: uuid.UUID
    agent_id: uuid.UUID
    at: datetime
