from __future__ import annotations

import uuid
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, Field

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


class CredentialsIn(StrictIn):
    email: Email
    password: Annotated[str, Field(max_length=1000)]


class UserOut(Schema):
    id: uuid.UUID
    email: str
    name: str


class SignupOut(Schema):
    user: UserOut
    token: str


class TokenOut(Schema):
    token: str
