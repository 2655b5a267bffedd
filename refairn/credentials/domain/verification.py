"""What a verifier concludes about a credential (PRODUCT.md §11: valid, expired or revoked).

The same steps an outside verifier takes (OB 3.0 §8.2.4, Bitstring Status List §3.2): the
signature against the issuer's published keys, the JWT claims against the credential, then the
revocation bit in the issuer's signed status list, then the dates against ``now``. Revoked
wins over expired: a revoked credential stays revoked after its end date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from refairn.credentials.domain import status_list, vc_jwt
from refairn.credentials.domain.badge import TYPES
from refairn.credentials.domain.times import parse_iso


class Status(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INVALID = "invalid"  # not ours, altered, or unreadable: nothing it says can be trusted


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str
    credential: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.status == Status.ACTIVE


def status_at(*, valid_until: datetime | None, revoked: bool, now: datetime) -> Status:
    """A credential's status from what the platform knows about it."""
    if revoked:
        return Status.REVOKED
    if valid_until is not None and valid_until <= now:
        return Status.EXPIRED
    return Status.ACTIVE


_REASONS = {
    Status.ACTIVE: "The signature is the issuer's and the credential is current.",
    Status.EXPIRED: "The signature is the issuer's, but the credential has expired.",
    Status.REVOKED: "The signature is the issuer's, but the issuer has revoked the credential.",
}


def verify(
    token: str,
    *,
    jwks: Sequence[dict[str, Any]],
    status_lists: Mapping[str, str],
    now: datetime,
) -> Verdict:
    """The verdict on ``token`` given the issuer's published keys and its status lists (URL →
    signed list) as they stand ``now``."""
    try:
        credential = vc_jwt.verify(token, jwks)
        _check_open_badge(credential)
        valid_from = parse_iso(credential["validFrom"])
        until = credential.get("validUntil")
        valid_until = parse_iso(until) if isinstance(until, str) else None
        if valid_from > now:
            raise vc_jwt.InvalidCredential("The credential is not valid yet.")
        revoked = _revoked(credential, jwks=jwks, status_lists=status_lists)
    except vc_jwt.InvalidCredential as exc:
        return Verdict(Status.INVALID, str(exc))
    except (KeyError, TypeError, ValueError) as exc:
        return Verdict(Status.INVALID, f"The credential is malformed ({exc.__class__.__name__}).")
    status = status_at(valid_until=valid_until, revoked=revoked, now=now)
    return Verdict(status, _REASONS[status], credential)


def _check_open_badge(credential: dict[str, Any]) -> None:
    types = credential.get("type")
    if not isinstance(types, list) or not set(TYPES) <= set(types):
        raise vc_jwt.InvalidCredential("This is not an Open Badges 3.0 credential.")


def _revoked(
    credential: dict[str, Any], *, jwks: Sequence[dict[str, Any]], status_lists: Mapping[str, str]
) -> bool:
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        raise vc_jwt.InvalidCredential("The credential has no revocation status entry.")
    if entry.get("statusPurpose") != status_list.PURPOSE:
        raise vc_jwt.InvalidCredential("The credential's status entry is not for revocation.")
    published = status_lists.get(str(entry.get("statusListCredential")))
    if published is None:
        raise vc_jwt.InvalidCredential("The credential's status list is not the issuer's.")
    # The list is a credential too: it counts only with the issuer's signature on it.
    listed = vc_jwt.verify(published, jwks)
    if listed.get("iss") != credential.get("iss"):
        raise vc_jwt.InvalidCredential("The status list has another issuer.")
    subject = listed["credentialSubject"]
    if subject.get("statusPurpose") != status_list.PURPOSE:
        raise vc_jwt.InvalidCredential("The status list is not a revocation list.")
    index = int(entry["statusListIndex"])
    try:
        return status_list.is_set(status_list.decode(subject["encodedList"]), index)
    except status_list.StatusListError as exc:
        raise vc_jwt.InvalidCredential(f"The status list cannot be read: {exc}") from exc
