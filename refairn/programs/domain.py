"""Pure program rules (PRODUCT.md §1–§2): customer tiers, an agent's application, invitations,
the currency a program pays in, and how a settings PATCH merges into the stored document."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import pycountry


class Tier(StrEnum):
    STANDARD = "standard"
    PREMIUM = "premium"
    ENTERPRISE = "enterprise"
    STRATEGIC = "strategic"


class AgentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class SupportLevel(StrEnum):
    """An agent's support level, set by staff (issue 11 item 6). In this order: a track
    "Required — L2+" is required for L2, L3 and CSM agents."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    CSM = "CSM"


def level_at_least(level: str, minimum: str) -> bool:
    """Is an agent at ``level`` at ``minimum`` or above? An empty minimum: every level."""
    if not minimum:
        return True
    order = list(SupportLevel)
    return order.index(SupportLevel(level)) >= order.index(SupportLevel(minimum))


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


# Long enough for a holiday, short enough that a forgotten mail stops being a key.
INVITATION_DAYS = 14


def invitation_state(
    *,
    now: datetime,
    expires_at: datetime,
    accepted_at: datetime | None,
    revoked_at: datetime | None,
) -> InvitationState:
    """Accepted and revoked are final; otherwise an invitation lapses at ``expires_at`` (the
    minute it expires it can no longer be accepted)."""
    if accepted_at is not None:
        return InvitationState.ACCEPTED
    if revoked_at is not None:
        return InvitationState.REVOKED
    return InvitationState.PENDING if now < expires_at else InvitationState.EXPIRED


def currency_code(value: str) -> str:
    """PRODUCT.md §2: a program pays in one currency, an ISO 4217 code ("USD", "EUR")."""
    code = value.strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code (e.g. USD, EUR)")
    return code


def merge_patch(
    current: dict[str, Any],
    patch: dict[str, Any],
    *,
    replaced_whole: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """A partial update (RFC 7396 in spirit): objects merge key by key, any other value
    (``null`` included, meaning "none") replaces the stored one; top-level keys in
    ``replaced_whole`` (one choice among alternatives) are always replaced."""
    merged = dict(current)
    for key, value in patch.items():
        stored = merged.get(key)
        if isinstance(value, dict) and isinstance(stored, dict) and key not in replaced_whole:
            merged[key] = merge_patch(stored, value)
        else:
            merged[key] = value
    return merged
