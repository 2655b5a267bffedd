from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, Field

from refairn.accounts.domain.tokens import MAX_LIFETIME_DAYS
from refairn.core.schemas import StrictIn


def _email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("is not a valid email address") from None
    return value


def _optional_email(value: str) -> str:
    return _email(value) if value.strip() else ""


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
OptionalEmail = Annotated[str, Field(max_length=254), AfterValidator(_optional_email)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class SignupIn(StrictIn):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=1000)]
    name: Name


TokenName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")]
Otp = Annotated[str, Field(max_length=20)]
LifetimeDays = Annotated[int, Field(ge=1, le=MAX_LIFETIME_DAYS)]


class CredentialsIn(StrictIn):
    email: Email
    password: Annotated[str, Field(max_length=1000)]
    # Required when the account has two-factor authentication (422 ``otp_required``).
    otp: Otp | None = None
    name: TokenName = "API token"


class UserOut(Schema):
    id: uuid.UUID
    email: str
    name: str
    email_verified: bool

    @staticmethod
    def resolve_email_verified(user: Any) -> bool:
        return user.email_verified_at is not None


class SignupOut(Schema):
    user: UserOut
    token: str


class TokenOut(Schema):
    """The token made by signing in; ``token`` is shown this once."""

    token: str
    id: uuid.UUID
    name: str
    expires_at: datetime | None


class TokenIn(StrictIn):
    name: TokenName
    expires_in_days: LifetimeDays | None = Field(
        default=None,
        description=(
            "Lifetime in days. Omitted: the default lifetime (90 days unless the operator "
            "changed it); null: no expiry. Never later than the calling token's own expiry."
        ),
    )


class ApiTokenOut(Schema):
    id: uuid.UUID
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class NewApiTokenOut(ApiTokenOut):
    """A new token; ``token`` is its secret, shown this once."""

    token: str
