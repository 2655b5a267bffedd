"""Signing in at the edge, for the API and the pages: the password, then a TOTP code when the
user has turned it on (issue 18), every failure counted by the throttle (``throttle``).

This lives at the edge rather than in ``services`` because throttling is about the request:
the address it comes from is part of what is counted.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest

from refairn.accounts import services, throttle
from refairn.accounts.models import User
from refairn.core.errors import InvalidInput, NotAuthenticated


def password_check(request: HttpRequest, *, email: str, password: str) -> User:
    """The user with these credentials; 401 ``invalid_credentials``; 429 ``too_many_attempts``
    when this account at this address, the address or the account is locked out (the password
    is not even checked then, right or wrong)."""
    email = email.strip().lower()
    throttle.guard(request, email)
    user = authenticate(request, username=email, password=password)
    if throttle.is_locked_out(request):
        raise throttle.too_many_attempts(request, email)
    if not isinstance(user, User):
        raise NotAuthenticated("Wrong email or password.", code="invalid_credentials")
    return user


def code_check(request: HttpRequest, *, user: User, code: str) -> bool:
    """Whether ``code`` is the user's current TOTP code; a wrong one counts as a failed
    sign-in; 429 ``too_many_attempts`` when locked out."""
    throttle.guard(request, user.email)
    if services.totp_verify(user=user, code=code):
        return True
    throttle.record_failure(request, user.email)
    return False


def api_sign_in(request: HttpRequest, *, email: str, password: str, otp: str | None) -> User:
    """``POST /auth/token``: password, then ``otp`` when TOTP is on (422 ``otp_required``
    without it, 401 ``invalid_otp`` when wrong or already used)."""
    user = password_check(request, email=email, password=password)
    if services.totp_enabled(user):
        if not otp:
            raise InvalidInput(
                "otp: this account has two-factor authentication: send the current code.",
                code="otp_required",
                fields={"otp": "Send the current code from your authenticator app."},
            )
        if not code_check(request, user=user, code=otp):
            raise NotAuthenticated(
                "The authentication code is wrong or was already used.", code="invalid_otp"
            )
    throttle.record_success(request, user)
    return user
