from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from refairn.accounts.models import User
from refairn.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the user lands in ``request.auth``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return user_for_token(token)


def request_user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # TokenAuth guarantees it on authenticated routes
    return user
