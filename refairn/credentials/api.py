"""Credential endpoints (API.md "Reports and credentials", "Additions"): the holder's VC-JWT,
and the public documents any verifier needs (keys, issuer, status list, status, a check)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from refairn.accounts.auth import request_user
from refairn.core import clock
from refairn.credentials import selectors, services
from refairn.credentials.domain.vc_jwt import MEDIA_TYPE
from refairn.credentials.schemas import (
    CredentialStatusOut,
    IssuerOut,
    JwkOut,
    JwksOut,
    VerificationOut,
    VerifyIn,
)
from refairn.programs.selectors import actor_for, business_get

router = Router(tags=["credentials"])

_VC_JWT = {
    200: {
        "description": "A VC-JWT: the signed credential as a compact JWS (OB 3.0 §8.2).",
        "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}


def _vc_jwt(token: str) -> HttpResponse:
    return HttpResponse(token, content_type=MEDIA_TYPE)


@router.get(
    "/businesses/{b}/agents/{a}/certifications/{t}/credential",
    openapi_extra={"responses": _VC_JWT},
    url_name="credentials_credential",
)
def credential(request: HttpRequest, b: str, a: str, t: str) -> HttpResponse:
    """The agent's Open Badges 3.0 credential for the track, for that agent and the business's
    staff. 409 ``no_credential`` when the certification has never been current."""
    certification = selectors.certification_for(actor_for(request_user(request), b), a, t)
    return _vc_jwt(services.credential_current(certification=certification).jwt)


@router.get("/businesses/{b}/jwks.json", response=JwksOut, auth=None, url_name="credentials_jwks")
def jwks(request: HttpRequest, b: str) -> dict[str, Any]:
    """The business's public signing keys, retired ones included, each with its ``kid``."""
    business = business_get(b)
    return {"keys": selectors.jwks_for(business.id)}


@router.get("/businesses/{b}/keys/{k}", response=JwkOut, auth=None, url_name="credentials_key")
def key(request: HttpRequest, b: str, k: str) -> dict[str, str]:
    """One public key: the document a credential's ``kid`` names (OB 3.0 §8.2.3)."""
    return selectors.jwk_get(b, k)


@router.get("/businesses/{b}/issuer", response=IssuerOut, auth=None, url_name="credentials_issuer")
def issuer(request: HttpRequest, b: str) -> dict[str, Any]:
    """The business as the issuer ``Profile`` of its credentials."""
    return services.issuer_for(business_get(b)).profile()


@router.get(
    "/businesses/{b}/credentials/status/{n}",
    auth=None,
    openapi_extra={"responses": _VC_JWT},
    url_name="credentials_status_list",
)
def status_list(request: HttpRequest, b: str, n: str) -> HttpResponse:
    """The business's signed BitstringStatusListCredential: a credential's
    ``credentialStatus.statusListCredential``; a revoked credential's bit is set."""
    return _vc_jwt(selectors.status_list_jwt(b, n))


@router.get(
    "/credentials/{c}/status",
    response=CredentialStatusOut,
    auth=None,
    url_name="credentials_status",
)
def credential_status(request: HttpRequest, c: str) -> dict[str, Any]:
    credential = selectors.credential_public(c)
    status = selectors.credential_status(credential, clock.now())
    return {
        "valid": status == "active",
        "status": status.value,
        "credential_id": str(credential.id),
        "valid_from": credential.valid_from,
        "valid_until": credential.valid_until,
        "revoked_at": credential.revoked_at,
    }


@router.post(
    "/credentials/verify", response=VerificationOut, auth=None, url_name="credentials_verify"
)
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """Check a VC-JWT: the issuer's signature (its published keys), the revocation status list
    and the dates. An unreadable or altered credential is ``invalid`` (200, not an error)."""
    checked = selectors.verify_token(payload.credential, clock.now())
    return selectors.verification_row(checked)
