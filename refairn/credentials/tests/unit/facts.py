"""A credential's facts and a signing key, for the unit tests (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from refairn.credentials.domain import badge, keys, status_list, vc_jwt

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
T_END = datetime(2027, 11, 2, 9, 0, tzinfo=UTC)
BASE = "https://refairn.example"
LIST_URL = f"{BASE}/api/v1/businesses/b1/credentials/status/1"
ISSUER = badge.Issuer(id=f"{BASE}/api/v1/businesses/b1/issuer", name="Acme", url=f"{BASE}/i/b1")


def facts(**overrides: Any) -> badge.BadgeFacts:
    values: dict[str, Any] = {
        "id": f"{BASE}/credentials/00000000-0000-4000-8000-000000000001/",
        "issuer": ISSUER,
        "subject_id": "urn:uuid:00000000-0000-4000-8000-0000000000b0",
        "email": "Bob@A.test",
        "salt": "5a1t",
        "achievement": badge.Achievement(
            id=f"{ISSUER.id}#achievement-t1",
            name="Product Fundamentals",
            description="Core product knowledge.",
            criteria=badge.criteria_narrative(
                track_name="Product Fundamentals",
                passing_score=Decimal("80.00"),
                recertification_months=12,
            ),
            badge_name="Product Expert",
            badge_icon="📘",
        ),
        "awarded_at": T0,
        "valid_from": T0,
        "valid_until": T_END,
        "status_list_url": LIST_URL,
        "status_index": 42,
    }
    values.update(overrides)
    return badge.BadgeFacts(**values)


class Issuer:
    """One issuer's key material, signing like the service does."""

    def __init__(self, kid: str = f"{BASE}/api/v1/businesses/b1/keys/k1") -> None:
        self.pair = keys.generate()
        self.kid = kid

    @property
    def jwk(self) -> dict[str, str]:
        return keys.public_jwk(self.pair.public_raw, self.kid)

    def sign(self, document: dict[str, Any]) -> str:
        return vc_jwt.sign(document, private_raw=self.pair.private_raw, kid=self.kid)

    def status_list(self, revoked: list[int], at: datetime = T0) -> str:
        document = status_list.list_credential(
            list_url=LIST_URL,
            issuer=ISSUER.profile(),
            valid_from=at,
            encoded_list=status_list.encode(revoked),
        )
        return self.sign(document)
