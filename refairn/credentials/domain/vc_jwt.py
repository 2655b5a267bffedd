"""Credentials as VC-JWTs (OB 3.0 §8.2 "JSON Web Token Proof Format"), signed and checked with
joserfc.

The JWT payload is the credential itself plus the registered claims OB 3.0 §8.2.4 requires to
match it: ``iss`` = ``issuer.id``, ``sub`` = ``credentialSubject.id``, ``jti`` = ``id``,
``nbf`` = ``validFrom`` and ``exp`` = ``validUntil``. The JOSE header carries only ``alg``,
``kid`` and ``typ`` (§8.2.3: no other header is allowed, and ``typ``, when present, is
"JWT"); the HTTP media type of the whole is ``application/vc+jwt``.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from refairn.credentials.domain.keys import ALGORITHM, signing_key
from refairn.credentials.domain.times import numeric_date, parse_iso

MEDIA_TYPE = "application/vc+jwt"
# joserfc warns on every use of "EdDSA" since RFC 9864; the choice is deliberate (see keys.py).
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)
_REGISTRY = JWSRegistry(algorithms=[ALGORITHM])
# Far above any credential of ours (a badge image inlined as a data URI is ~1 KB).
MAX_TOKEN_LENGTH = 64 * 1024


class InvalidCredential(Exception):
    """The token is not a credential we can accept; the message says why, for people."""


def registered_claims(credential: dict[str, Any]) -> dict[str, Any]:
    issuer = credential["issuer"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "sub": credential["credentialSubject"]["id"],
        "jti": credential["id"],
        "nbf": numeric_date(parse_iso(credential["validFrom"])),
    }
    if "validUntil" in credential:
        claims["exp"] = numeric_date(parse_iso(credential["validUntil"]))
    return claims


def sign(credential: dict[str, Any], *, private_raw: bytes, kid: str) -> str:
    """The compact JWS of ``credential`` with its registered claims."""
    claims = {**credential, **registered_claims(credential)}
    header = {"alg": ALGORITHM, "kid": kid, "typ": "JWT"}
    return jwt.encode(header, claims, signing_key(private_raw, kid), registry=_REGISTRY)


def unverified_header(token: str) -> dict[str, Any]:
    """The JOSE header, read without checking anything (to find which key to check with)."""
    _check_shape(token)
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidCredential("This is not a signed credential (a compact JWS).") from exc
    return dict(header)


def unverified_payload(token: str) -> dict[str, Any]:
    """The payload of a token we signed ourselves, for display only."""
    payload = jws.extract_compact(token.encode()).payload
    value = json.loads(payload) if payload else None
    if not isinstance(value, dict):
        raise InvalidCredential("The token's payload is not a JSON object.")
    return value


def verify(token: str, jwks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The payload of ``token`` once its EdDSA signature checks out against one of the ``jwks``
    (chosen by ``kid``) and its registered claims match the credential inside it."""
    header = unverified_header(token)
    if header.get("alg") != ALGORITHM:
        raise InvalidCredential(f"The credential is not signed with {ALGORITHM}.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not any(key.get("kid") == kid for key in jwks):
        raise InvalidCredential("The credential names a key its issuer has not published.")
    try:
        keys = KeySet.import_key_set({"keys": [dict(key) for key in jwks]})
        claims = jwt.decode(token, keys, registry=_REGISTRY).claims
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidCredential(
            "The signature does not match: the credential was altered or not signed by this issuer."
        ) from exc
    _check_registered_claims(claims)
    return claims


def _check_shape(token: str) -> None:
    if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
        raise InvalidCredential("This is not a signed credential (a compact JWS).")


def _check_registered_claims(claims: dict[str, Any]) -> None:
    try:
        expected = registered_claims(claims)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidCredential("The credential is missing its issuer, subject or dates.") from exc
    for name, value in expected.items():
        if claims.get(name) != value:
            raise InvalidCredential(
                f"The JWT claim {name!r} does not match the credential (OB 3.0 §8.2.4)."
            )
    if "exp" in claims and "validUntil" not in claims:
        raise InvalidCredential("The JWT claim 'exp' does not match the credential.")
