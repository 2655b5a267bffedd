"""API token lifetimes (issue 18): named tokens with an optional expiry, revocable.

A token is live while it is not revoked and its expiry, if any, is in the future. A token made
by another token (``POST /me/tokens`` with a bearer token) never outlives the token that made
it: otherwise a stolen short-lived token could mint a permanent one, and expiry would protect
nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# The lifetime of tokens made by signing in (``POST /auth/token``, sign-up) when the caller
# asks for nothing else; the operator may change it (REFAIRN_TOKEN_LIFETIME_DAYS).
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 3650


def expiry(now: datetime, days: int | None) -> datetime | None:
    """When a token made at ``now`` for ``days`` days expires; None: never."""
    if days is None:
        return None
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise ValueError(f"a token lives between 1 and {MAX_LIFETIME_DAYS} days")
    return now + timedelta(days=days)


def capped(expires_at: datetime | None, maker_expires_at: datetime | None) -> datetime | None:
    """The expiry of a token made by a token that expires at ``maker_expires_at`` (None when
    the new token is made by a signed-in person, or by a token without expiry)."""
    if maker_expires_at is None:
        return expires_at
    if expires_at is None:
        return maker_expires_at
    return min(expires_at, maker_expires_at)


def is_live(*, expires_at: datetime | None, revoked_at: datetime | None, now: datetime) -> bool:
    return revoked_at is None and (expires_at is None or now < expires_at)
