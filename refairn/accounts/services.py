"""Account writes: sign-up and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from refairn.accounts.models import ApiToken, User
from refairn.core import clock
from refairn.core.errors import Conflict, InvalidInput, NotAuthenticated

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_signup(*, email: str, password: str, name: str) -> User:
    """API.md accounts: 409 ``email_taken``, 422 ``weak_password`` naming why."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise Conflict("An account with this email already exists.", code="email_taken")
    try:
        validate_password(password, user=User(email=email, name=name))
    except ValidationError as exc:
        message = " ".join(exc.messages)
        raise InvalidInput(
            f"password: {message}", code="weak_password", fields={"password": message}
        ) from None
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name.strip())
    except IntegrityError:
        # Lost a race with a concurrent sign-up for the same address.
        raise Conflict("An account with this email already exists.", code="email_taken") from None


def token_issue(*, user: User) -> str:
    """Create a token and return it: the only moment its clear value exists."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    ApiToken.objects.create(user=user, key_hash=hash_token(token))
    return token


def token_for_credentials(*, email: str, password: str) -> str:
    user = authenticate(username=email.strip().lower(), password=password)
    if user is None or not isinstance(user, User):
        raise NotAuthenticated("Wrong email or password.", code="invalid_credentials")
    return token_issue(user=user)


def user_for_token(token: str) -> User | None:
    """The active user owning ``token``, or None. Marks the token used (at most once a minute)."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = clock.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
