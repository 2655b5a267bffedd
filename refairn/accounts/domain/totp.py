"""The optional second factor (issue 18): time-based one-time passwords (RFC 6238) with pyotp.

Codes are 6 digits over 30-second steps, the values every authenticator app uses. One step of
clock drift either way is accepted, and a code is accepted once: the step it matched must be
later than the last step accepted for that user (RFC 6238 §5.2), so a code seen over a
shoulder or in a log cannot be replayed.

The shared secret is stored sealed (AES-256-GCM under a key derived with HKDF-SHA256 from the
platform secret, bound to its user): a copy of the database, a backup for instance, does not
give anyone the second factor. Every primitive comes from ``cryptography`` and ``pyotp``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from datetime import datetime

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pyotp.exceptions import OTPVerificationError

ISSUER = "Refairn"
DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1

_SEAL_VERSION = b"\x01"
_NONCE_BYTES = 12
_HKDF_SALT = b"refairn.accounts"
_HKDF_INFO = b"totp-secret-at-rest/v1"


class SecretUnsealError(Exception):
    """The sealed secret does not open with any of the platform secrets given."""


def new_secret() -> str:
    """A fresh 160-bit base32 secret (RFC 4226 recommends 160 bits)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, *, account: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` URI an authenticator app reads (typed in, or shown as a QR code)."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)


def normalized(code: str) -> str:
    """What the user typed, without the spaces and dashes apps show inside codes."""
    return "".join(ch for ch in code if ch not in " -\t")


def matching_step(secret: str, code: str, *, now: datetime, after: int | None) -> int | None:
    """The time step ``code`` is valid for at ``now`` (within the drift allowed), when that
    step is later than ``after`` (the last one accepted); otherwise None."""
    code = normalized(code)
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    try:
        step = _totp(secret).verify_and_get_timecode(code, for_time=now, valid_window=DRIFT_STEPS)
    except OTPVerificationError:
        return None
    if after is not None and step <= after:
        return None
    return step


def code_at(secret: str, now: datetime) -> str:
    """The code an authenticator shows at ``now`` (tests and the set-up page use it)."""
    return _totp(secret).at(now)


def seal(secret: str, *, key_material: str, context: bytes) -> bytes:
    """``secret`` encrypted for storage: version, nonce, ciphertext and tag."""
    nonce = os.urandom(_NONCE_BYTES)
    return _SEAL_VERSION + nonce + _key(key_material).encrypt(nonce, secret.encode(), context)


def unseal(sealed: bytes, *, key_materials: Sequence[str], context: bytes) -> str:
    """The secret, opened with the first platform secret that fits (the current one, then the
    fallbacks, so the platform secret can be changed without disabling anyone's second factor).
    """
    if sealed[:1] != _SEAL_VERSION or len(sealed) <= 1 + _NONCE_BYTES:
        raise SecretUnsealError("not a sealed TOTP secret")
    nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
    for material in key_materials:
        try:
            return _key(material).decrypt(nonce, body, context).decode()
        except InvalidTag:
            continue
    raise SecretUnsealError("the TOTP secret does not open with the platform secret")


def display_secret(secret: str) -> str:
    """The secret in groups of four, as people type it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _totp(secret: str) -> pyotp.TOTP:
    base64.b32decode(secret, casefold=True)  # a malformed secret fails here, loudly
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def _key(material: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        material.encode()
    )
    return AESGCM(derived)
