"""A certification as an Open Badges 3.0 ``OpenBadgeCredential`` (PRODUCT.md §11).

Shape (OB 3.0 §B.1.1 AchievementCredential, VC Data Model 2.0): the VC 2.0 context first, then
the OB 3.0.3 context; types ``VerifiableCredential`` and ``OpenBadgeCredential``; an issuer
``Profile`` for the business; an ``AchievementSubject`` naming the agent by a salted SHA-256 of
their e-mail address (an ``IdentityObject``: the address itself never appears); the
``Achievement`` (track name, description, criteria, badge image); ``validFrom``/``validUntil``
from the certification; and a ``BitstringStatusListEntry`` for revocation.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from html import escape
from typing import Any

from refairn.credentials.domain import status_list
from refairn.credentials.domain.times import iso

CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
TYPES = ("VerifiableCredential", "OpenBadgeCredential")


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str
    url: str

    def profile(self) -> dict[str, Any]:
        return {"id": self.id, "type": ["Profile"], "name": self.name, "url": self.url}


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str  # the track's name
    description: str
    criteria: str
    badge_name: str
    badge_icon: str


@dataclass(frozen=True)
class BadgeFacts:
    """Everything a credential says, as plain values (the service reads them from the
    certification, its track, its business and its agent)."""

    id: str
    issuer: Issuer
    subject_id: str
    email: str
    salt: str
    achievement: Achievement
    awarded_at: datetime
    valid_from: datetime
    valid_until: datetime
    status_list_url: str
    status_index: int


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` and the hex SHA-256 of the address followed by the salt.

    The address is lower-cased first: e-mail addresses are compared case-insensitively in
    practice, so a verifier who hashes what the holder tells them gets the same value.
    """
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def criteria_narrative(
    *, track_name: str, passing_score: Decimal, recertification_months: int
) -> str:
    months = "month" if recertification_months == 1 else f"{recertification_months} months"
    score = f"{passing_score:f}"
    if "." in score:
        score = score.rstrip("0").rstrip(".")  # 80.00 -> 80, 82.50 -> 82.5
    return (
        f"Completed the required training modules of the {track_name} track and passed its "
        f"assessment with a score of at least {score}%, every critical question "
        f"answered correctly. The certification is renewed by passing the assessment again "
        f"every {months}."
    )


def badge_image(name: str, icon: str) -> str:
    """The badge as a self-contained SVG data URI, so wallets show it without fetching
    anything from us."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">'
        '<circle cx="120" cy="120" r="112" fill="#1d4ed8"/>'
        '<circle cx="120" cy="120" r="96" fill="#ffffff"/>'
        f'<text x="120" y="128" font-size="64" text-anchor="middle">{escape(icon or "★")}</text>'
        '<text x="120" y="178" font-size="16" font-family="sans-serif" text-anchor="middle" '
        f'fill="#1e293b">{escape(name[:28])}</text>'
        "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def open_badge_credential(facts: BadgeFacts) -> dict[str, Any]:
    achievement = facts.achievement
    return {
        "@context": list(CONTEXTS),
        "id": facts.id,
        "type": list(TYPES),
        "name": achievement.badge_name,
        "description": f"{facts.issuer.name} certifies that the holder earned the "
        f"{achievement.name} certification.",
        "issuer": facts.issuer.profile(),
        "validFrom": iso(facts.valid_from),
        "validUntil": iso(facts.valid_until),
        "awardedDate": iso(facts.awarded_at),
        "credentialSubject": {
            "id": facts.subject_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(facts.email, facts.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": facts.salt,
                }
            ],
            "achievement": {
                "id": achievement.id,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": achievement.name,
                "description": achievement.description,
                "criteria": {"narrative": achievement.criteria},
                "image": {
                    "id": badge_image(achievement.badge_name, achievement.badge_icon),
                    "type": "Image",
                    "caption": achievement.badge_name,
                },
            },
        },
        "credentialStatus": status_list.entry(
            list_url=facts.status_list_url, index=facts.status_index
        ),
    }
