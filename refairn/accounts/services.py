"""Account writes: sign-up, API tokens (named, expiring, revocable) and the TOTP second factor."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from refairn.accounts.domain import tokens as token_rules
from refairn.accounts.domain import totp
from refairn.accounts.models import ApiToken, TotpDevice, User
from refairn.accounts.verification import email_verification_send
from refairn.core import clock
from refairn.core.errors import Conflict, InvalidInput, NotFound
from refairn.core.tenancy import parse_uuid

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_signup(*, email: str, password: str, name: str) -> User:
    """API.md accounts: 409 ``email_taken``, 422 ``weak_password`` naming why. The address is
    unverified until the mailed link is followed (``verification.email_verify``)."""
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
            user = User.objects.create_user(
                email=email, password=password, name=name.strip(), email_verified=False
            )
            email_verification_send(user=user)
            return user
    except IntegrityError:
        # Lost a race with a concurrent sign-up for the same address.
        raise Conflict("An account with this email already exists.", code="email_taken") from None


# --- API tokens ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """A new token: its row, and its clear value, which exists only now (shown once)."""

    row: ApiToken
    secret: str


def default_token_lifetime_days() -> int:
    return int(getattr(settings, "REFAIRN_TOKEN_LIFETIME_DAYS", token_rules.DEFAULT_LIFETIME_DAYS))


def token_create(
    *,
    user: User,
    name: str,
    expires_in_days: int | None,
    made_by: ApiToken | None = None,
) -> IssuedToken:
    """Issue 18: a named token with an optional expiry (None: never). A token made with
    another token expires no later than it (``domain.tokens.capped``)."""
    now = clock.now()
    try:
        expires_at = token_rules.expiry(now, expires_in_days)
    except ValueError as exc:
        raise InvalidInput(
            f"expires_in_days: {exc}", fields={"expires_in_days": str(exc)}
        ) from None
    if made_by is not None:
        expires_at = token_rules.capped(expires_at, made_by.expires_at)
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(secret),
        name=name.strip(),
        created_at=now,
        expires_at=expires_at,
    )
    return IssuedToken(row=row, secret=secret)


def token_issue(*, user: User, name: str = "API token", expires_in_days: int | None = None) -> str:
    """Create a token and return it: the only moment its clear value exists."""
    return token_create(user=user, name=name, expires_in_days=expires_in_days).secret


def token_revoke(*, user: User, token_id: object) -> None:
    """Issue 18: revoke one of the caller's live tokens; anyone else's, or one already revoked
    or expired, is 404. The row stays, with the time it stopped working."""
    now = clock.now()
    public_id = parse_uuid(token_id, what="token")
    revoked = (
        ApiToken.objects.filter(public_id=public_id, user=user, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .update(revoked_at=now)
    )
    if not revoked:
        raise NotFound("token")


def token_authenticate(token: str) -> ApiToken | None:
    """The live token ``token`` of an active user, or None (unknown, expired, revoked). Marks
    it used, at most once a minute."""
    now = clock.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if row is None or not token_rules.is_live(
        expires_at=row.expires_at, revoked_at=row.revoked_at, now=now
    ):
        return None
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def user_for_token(token: str) -> User | None:
    """The active user owning the live token ``token``, or None."""
    row = token_authenticate(token)
    return row.user if row is not None else None


# --- TOTP second factor ----------------------------------------------------------------------


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str


def _key_materials() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _context(user_id: object) -> bytes:
    return f"totp|{user_id}".encode()


def _secret_of(device: TotpDevice) -> str:
    return totp.unseal(
        bytes(device.sealed_secret),
        key_materials=_key_materials(),
        context=_context(device.user_id),
    )


def totp_enabled(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def totp_setup_start(*, user: User) -> TotpSetup:
    """Issue 18: begin enabling TOTP: a new secret, shown to the user (URI and text) until they
    confirm it with a code. Starting again replaces an unconfirmed secret."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise Conflict("Two-factor authentication is already on.", code="totp_already_enabled")
    secret = totp.new_secret()
    sealed = totp.seal(secret, key_material=settings.SECRET_KEY, context=_context(user.pk))
    TotpDevice.objects.update_or_create(
        user=user,
        defaults={"sealed_secret": sealed, "created_at": clock.now(), "last_step": None},
    )
    return TotpSetup(secret=secret, uri=totp.provisioning_uri(secret, account=user.email))


def totp_setup_pending(*, user: User) -> TotpSetup | None:
    """The secret being set up (not yet confirmed), to show again; None if there is none."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        return None
    try:
        secret = _secret_of(device)
    except totp.SecretUnsealError:
        return None
    return TotpSetup(secret=secret, uri=totp.provisioning_uri(secret, account=user.email))


def _wrong_code() -> InvalidInput:
    return InvalidInput(
        "otp: the code is wrong or was already used.",
        code="invalid_otp",
        fields={"otp": "The code is wrong or was already used."},
    )


@transaction.atomic
def totp_setup_confirm(*, user: User, code: str) -> None:
    """Issue 18: TOTP is on once the user proves their app has the secret: from now on,
    signing in asks for a code."""
    device = (
        TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    )
    if device is None:
        raise Conflict("Start setting up two-factor authentication first.", code="totp_not_started")
    step = totp.matching_step(_secret_of(device), code, now=clock.now(), after=None)
    if step is None:
        raise _wrong_code()
    device.confirmed_at, device.last_step = clock.now(), step
    device.save(update_fields=["confirmed_at", "last_step"])


def totp_verify(*, user: User, code: str) -> bool:
    """Whether ``code`` is the user's current code, never accepted before. The accepted step
    is recorded with a compare-and-set, so two requests with one code cannot both pass."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    try:
        secret = _secret_of(device)
    except totp.SecretUnsealError:
        # The platform secret changed without a fallback: no code can be checked.
        return False
    step = totp.matching_step(secret, code, now=clock.now(), after=device.last_step)
    if step is None:
        return False
    return bool(
        TotpDevice.objects.filter(pk=device.pk)
        .filter(Q(last_step__isnull=True) | Q(last_step__lt=step))
        .update(last_step=step)
    )


def totp_disable(*, user: User, code: str) -> None:
    """Issue 18: turn TOTP off, with a current code (proof of holding the device)."""
    if not totp_enabled(user):
        raise Conflict("Two-factor authentication is not on.", code="totp_not_enabled")
    if not totp_verify(user=user, code=code):
        raise _wrong_code()
    TotpDevice.objects.filter(user=user).delete()


def user_time_zone_set(*, user: User, time_zone: str) -> None:
    """Issue 12 item 7: the zone the pages show this person's times in; an IANA name only."""
    if time_zone not in available_time_zones():
        raise InvalidInput(
            "time_zone: not a known time zone",
            code="unknown_time_zone",
            fields={"time_zone": "choose a time zone from the list, such as Europe/Berlin"},
        )
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() | {"UTC"})
