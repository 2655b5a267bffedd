"""Each business's Ed25519 signing keys (PRODUCT.md §11): made, sealed at rest, published.

A private key is stored only sealed: AES-256-GCM under a key derived with HKDF-SHA256 from the
platform secret (Django's ``SECRET_KEY``), so a copy of the database alone cannot sign. The
associated data binds a sealed key to its business and ``kid``: a sealed key copied into
another business's row does not open. Every primitive comes from ``cryptography`` (and the
JWK thumbprint from ``joserfc``); nothing here is hand-made crypto.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from joserfc.jwk import OKPKey

# The JWS algorithm name PyJWT, jwcrypto and most verifiers accept for Ed25519. RFC 9864 (2025)
# prefers the fully specified "Ed25519"; "EdDSA" stays valid and is what wallets read today.
ALGORITHM = "EdDSA"

_SEAL_VERSION = b"\x01"
_NONCE_BYTES = 12  # 96-bit nonces, as AES-GCM wants; random per seal, one seal per key
_HKDF_SALT = b"refairn.credentials"
_HKDF_INFO = b"signing-key-at-rest/v1"


class KeyUnsealError(Exception):
    """The sealed key does not open with any of the platform secrets given."""


@dataclass(frozen=True)
class KeyPair:
    private_raw: bytes  # the 32-byte Ed25519 seed
    public_raw: bytes  # the 32-byte public key


def generate() -> KeyPair:
    private = Ed25519PrivateKey.generate()
    return KeyPair(
        private_raw=private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        public_raw=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )


def _wrapping_key(secret: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        secret.encode()
    )
    return AESGCM(derived)


def seal(private_raw: bytes, *, secret: str, context: bytes) -> bytes:
    """``private_raw`` encrypted for storage: version, nonce, ciphertext and tag."""
    nonce = os.urandom(_NONCE_BYTES)
    return _SEAL_VERSION + nonce + _wrapping_key(secret).encrypt(nonce, private_raw, context)


def unseal(sealed: bytes, *, secrets: Sequence[str], context: bytes) -> bytes:
    """The private key, opened with the first secret that fits (the current ``SECRET_KEY``,
    then Django's ``SECRET_KEY_FALLBACKS``, so a secret can be changed without losing keys)."""
    if sealed[:1] != _SEAL_VERSION or len(sealed) <= 1 + _NONCE_BYTES:
        raise KeyUnsealError("not a sealed signing key")
    nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
    for secret in secrets:
        try:
            return _wrapping_key(secret).decrypt(nonce, body, context)
        except InvalidTag:
            continue
    raise KeyUnsealError("the signing key does not open with the platform secret")


def seal_context(business_id: str, kid: str) -> bytes:
    return f"{business_id}|{kid}".encode()


def thumbprint(public_raw: bytes) -> str:
    """The key's RFC 7638 JWK thumbprint (SHA-256, base64url): its short, stable name."""
    return OKPKey.import_key(Ed25519PublicKey.from_public_bytes(public_raw)).thumbprint()


def public_jwk(public_raw: bytes, kid: str) -> dict[str, str]:
    """The public JWK as published in the JWK set; never carries the private ``d``."""
    if len(public_raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(public_raw),
        "kid": kid,
        "alg": ALGORITHM,
        "use": "sig",
    }


def signing_key(private_raw: bytes, kid: str) -> OKPKey:
    return OKPKey.import_key(
        Ed25519PrivateKey.from_private_bytes(private_raw),
        parameters={"kid": kid, "alg": ALGORITHM, "use": "sig"},
    )


def b64url(data: bytes) -> str:
    """base64url without padding (RFC 7515 §2), as JOSE and multibase ``u`` use it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
