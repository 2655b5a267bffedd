from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from refairn.core.schemas import StrictIn
from refairn.credentials.domain.vc_jwt import MAX_TOKEN_LENGTH


class JwkOut(Schema):
    kty: str
    crv: str
    x: str
    kid: str
    alg: str
    use: str


class JwksOut(Schema):
    keys: list[JwkOut]


class IssuerOut(Schema):
    """The business as an Open Badges 3.0 issuer ``Profile`` (the ``issuer`` of its
    credentials; ``id`` is this document's own URL)."""

    id: str
    type: list[str]
    name: str
    url: str


class CredentialStatusOut(Schema):
    valid: bool
    status: Literal["active", "expired", "revoked"]
    credential_id: str
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None


class VerifyIn(StrictIn):
    credential: Annotated[str, Field(min_length=1, max_length=MAX_TOKEN_LENGTH)] = Field(
        description="A VC-JWT (compact JWS), as downloaded from the credential endpoint."
    )


class VerificationOut(Schema):
    valid: bool
    status: Literal["active", "expired", "revoked", "invalid"]
    reason: str
    credential_id: str | None
    issuer: str | None
    achievement: str | None
    holder_name: str | None
    valid_from: datetime | None
    valid_until: datetime | None
