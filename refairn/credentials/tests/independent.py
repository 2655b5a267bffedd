"""Checks written against the specifications with other libraries than the code under test:
PyJWT for signatures, base64 + gzip for the status list. Nothing here imports
``refairn.credentials``."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime
from typing import Any

import jwt as pyjwt


def verify_with_pyjwt(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """PyJWT's EdDSA verification against a published JWK set, the key chosen by ``kid``.

    Dates are compared by the caller against the platform clock (PyJWT would use the machine's).
    """
    header = pyjwt.get_unverified_header(token)
    key = pyjwt.PyJWKSet.from_dict(jwks)[header["kid"]]
    return pyjwt.decode(
        token,
        key=key,
        algorithms=["EdDSA"],
        options={
            "require": ["iss", "sub", "jti", "nbf"],
            "verify_exp": False,
            "verify_nbf": False,
        },
    )


def unverified_payload(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def numeric_date(iso: str) -> int:
    return int(datetime.fromisoformat(iso).astimezone(UTC).timestamp())


def status_bit(encoded_list: str, index: int) -> bool:
    """W3C Bitstring Status List v1.0 §3.2: multibase 'u' + base64url (no padding) of the
    GZIP-compressed bitstring; index 0 is the left-most bit of the first byte."""
    assert encoded_list.startswith("u")
    body = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bits) * 8 >= 131_072
    return bool(bits[index // 8] >> (7 - index % 8) & 1)
