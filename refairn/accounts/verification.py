"""E-mail address verification (issue 12): a link with Django's own signed, expiring token.

The token hashes the address and the verification time, so it stops working once followed or
once the address changes; it lasts ``PASSWORD_RESET_TIMEOUT`` (three days by default).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from refairn.accounts.events import EmailVerified
from refairn.accounts.models import User
from refairn.core import clock, events
from refairn.core.errors import InvalidInput


class _VerificationTokens(PasswordResetTokenGenerator):
    key_salt = "refairn.accounts.verification"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


tokens = _VerificationTokens()


def verification_link(user: User) -> str:
    path = reverse(
        "accounts:email_verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": tokens.make_token(user),
        },
    )
    return settings.REFAIRN_PUBLIC_URL + path


def email_verification_send(*, user: User) -> None:
    """Mail the link once the sign-up has committed (a rolled-back sign-up mails nothing)."""
    if user.email_verified_at is not None:
        return
    context = {"user": user, "link": verification_link(user)}
    transaction.on_commit(
        lambda: send_mail(
            subject="Confirm your e-mail address for Refairn",
            message=render_to_string("accounts/email/verify_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )


def email_verify(*, uidb64: str, token: str) -> User:
    """Follow a link: 422 ``invalid_verification_link`` if it is wrong, used or expired."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (User.DoesNotExist, ValidationError, ValueError, UnicodeDecodeError, OverflowError):
        user = None
    if user is None or not tokens.check_token(user, token):
        raise InvalidInput(
            "This link is not valid any more: it was already used, it expired, or it was "
            "copied incompletely. Ask for a new one from your account.",
            code="invalid_verification_link",
        )
    with transaction.atomic():
        user.email_verified_at = clock.now()
        user.save(update_fields=["email_verified_at"])
        events.publish(EmailVerified(user_id=user.pk, email=user.email))
    return user


def already_confirmed(user: User | AnonymousUser, uidb64: str) -> bool:
    """Whether a refused link is the signed-in person's own, for an address they have since
    confirmed another way: accepting an invitation mailed to it confirms it too, which changes
    the token, so the first mail's link stops working although nothing is left to do."""
    if not user.is_authenticated or user.email_verified_at is None:
        return False
    try:
        return urlsafe_base64_decode(uidb64).decode() == str(user.pk)
    except (ValueError, UnicodeDecodeError):
        return False
