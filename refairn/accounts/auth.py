from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from refairn.accounts.models import ApiToken, User
from refairn.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the user lands in ``request.auth``, the token row in
    ``request.api_token``. An expired or revoked token is no token (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = token_authenticate(token)
        if row is None:
            return None
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


def request_user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # TokenAuth guarantees it on authenticated routes
    return user


def request_token(request: HttpRequest) -> ApiToken | None:
    """The token the request was authenticated with (None outside TokenAuth)."""
    token = getattr(request, "api_token", None)
    return token if isinstance(token, ApiToken) else None
