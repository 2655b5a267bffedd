"""Credential reads: the public ones (keys, issuer, status list, a credential's status and
verification) need no caller; the agent's own credential is scoped by ``Actor``."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from refairn.certification.models import Certification
from refairn.core.errors import NotFound
from refairn.core.tenancy import Actor, parse_uuid
from refairn.credentials import links
from refairn.credentials.domain import keys, linkedin, vc_jwt, verification
from refairn.credentials.domain.times import parse_iso
from refairn.credentials.models import Credential, SigningKey, StatusList


def jwks_for(business_id: uuid.UUID) -> list[dict[str, str]]:
    """Every key the business ever signed with, retired ones included (PRODUCT.md §11)."""
    return [
        keys.public_jwk(bytes(key.public_key), key.kid)
        for key in SigningKey.objects.filter(business_id=business_id)
    ]


_THUMBPRINT = re.compile(r"[A-Za-z0-9_-]{43}")  # base64url of a SHA-256 (RFC 7638)
_MAX_KID = SigningKey._meta.get_field("kid").max_length


def jwk_get(business_id: object, thumbprint: str) -> dict[str, str]:
    if not _THUMBPRINT.fullmatch(thumbprint):
        raise NotFound("key")
    key = SigningKey.objects.filter(
        business_id=parse_uuid(business_id, what="key"), thumbprint=thumbprint
    ).first()
    if key is None:
        raise NotFound("key")
    return keys.public_jwk(bytes(key.public_key), key.kid)


def status_list_jwt(business_id: object, number: str) -> str:
    if not (number.isascii() and number.isdigit() and len(number) <= 9):
        raise NotFound("status list")
    status = StatusList.objects.filter(
        business_id=parse_uuid(business_id, what="status list"), number=int(number)
    ).first()
    if status is None or not status.jwt:
        raise NotFound("status list")
    return status.jwt


def credential_public(credential_id: object) -> Credential:
    """Any credential by id: its id is in the credential the holder chose to share."""
    key = parse_uuid(credential_id, what="credential")
    credential = Credential.objects.select_related("business").filter(pk=key).first()
    if credential is None:
        raise NotFound("credential")
    return credential


def credential_status(credential: Credential, now: datetime) -> verification.Status:
    """PRODUCT.md §11: revoked, expired (``validUntil`` reached) or active."""
    return verification.status_at(
        valid_until=credential.valid_until, revoked=credential.revoked_at is not None, now=now
    )


def certification_for(actor: Actor, agent_id: object, track_id: object) -> Certification:
    """The certification a ``…/agents/{a}/certifications/{t}`` path names: staff may name any
    agent of the business, an agent only themselves; anything else is not found."""
    agent_key = parse_uuid(agent_id, what="certification")
    if not actor.is_staff and agent_key != actor.user_id:
        raise NotFound("certification")
    certification = (
        Certification.objects.for_actor(actor)
        .select_related("business", "agent")
        .filter(agent_id=agent_key, track_id=parse_uuid(track_id, what="certification"))
        .first()
    )
    if certification is None:
        raise NotFound("certification")
    return certification


@dataclass(frozen=True)
class Checked:
    """A verification verdict and, when the credential is one of ours, its record."""

    verdict: verification.Verdict
    credential: Credential | None


def verify_token(token: str, now: datetime) -> Checked:
    """PRODUCT.md §11: check a pasted VC-JWT as any verifier would, against the keys and status
    lists its issuer publishes here."""
    token = token.strip()
    try:
        kid = vc_jwt.unverified_header(token).get("kid")
    except vc_jwt.InvalidCredential as exc:
        return Checked(verification.Verdict(verification.Status.INVALID, str(exc)), None)
    known = isinstance(kid, str) and len(kid) <= (_MAX_KID or 0) and "\x00" not in kid
    key = SigningKey.objects.filter(kid=kid).first() if known else None
    if key is None:
        reason = "The credential was not signed by any issuer on this platform."
        return Checked(verification.Verdict(verification.Status.INVALID, reason), None)
    verdict = verification.verify(
        token,
        jwks=jwks_for(key.business_id),
        status_lists=_status_lists_of(key.business_id),
        now=now,
    )
    credential = None
    if verdict.status != verification.Status.INVALID:
        credential = _credential_named(str(verdict.credential.get("id")), key.business_id)
    return Checked(verdict, credential)


def verification_row(checked: Checked) -> dict[str, Any]:
    """A verdict as ``VerificationOut`` and the verification page show it."""
    verdict, document = checked.verdict, checked.verdict.credential
    trusted = verdict.status != verification.Status.INVALID
    subject = document.get("credentialSubject") or {}
    issuer = document.get("issuer")
    return {
        "valid": verdict.valid,
        "status": verdict.status.value,
        "reason": verdict.reason,
        "credential_id": str(checked.credential.id) if checked.credential else None,
        "issuer": issuer.get("name") if trusted and isinstance(issuer, dict) else None,
        "achievement": (subject.get("achievement") or {}).get("name") if trusted else None,
        "holder_name": checked.credential.holder_name if checked.credential else None,
        "valid_from": _when(document.get("validFrom")) if trusted else None,
        "valid_until": _when(document.get("validUntil")) if trusted else None,
    }


def _when(value: object) -> datetime | None:
    return parse_iso(value) if isinstance(value, str) else None


def verify_credential(credential: Credential, now: datetime) -> verification.Verdict:
    """The verdict on one of our own credentials, reached the way an outside verifier would."""
    return verification.verify(
        credential.jwt,
        jwks=jwks_for(credential.business_id),
        status_lists=_status_lists_of(credential.business_id),
        now=now,
    )


def _status_lists_of(business_id: uuid.UUID) -> dict[str, str]:
    return {
        links.status_list_url(business_id, number): jwt
        for number, jwt in StatusList.objects.filter(business_id=business_id).values_list(
            "number", "jwt"
        )
    }


def _credential_named(credential_url: str, business_id: uuid.UUID) -> Credential | None:
    """Our record of the credential whose ``id`` is ``credential_url`` (a verification page)."""
    if not credential_url.startswith(settings.REFAIRN_PUBLIC_URL + "/"):
        return None
    try:
        match = resolve(urlsplit(credential_url).path)
    except Resolver404:
        return None
    if match.view_name != "credentials:public":
        return None
    return Credential.objects.filter(
        pk=match.kwargs["credential_id"], business_id=business_id
    ).first()


def credential_links(credential: Credential) -> dict[str, Any]:
    """What the holder shares: the verification page and LinkedIn's "add certification"."""
    document = vc_jwt.unverified_payload(credential.jwt)
    page = links.credential_page(credential.id)
    return {
        "verification_url": page,
        "linkedin_url": linkedin.add_certification_url(
            name=document["credentialSubject"]["achievement"]["name"],
            organization_name=credential.business.name,
            issued_at=credential.valid_from,
            expires_at=credential.valid_until,
            cert_url=page,
            cert_id=str(credential.id),
        ),
    }


def current_credential_pages_for_agent(
    agent_id: uuid.UUID, now: datetime
) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    """For the agent's public profile (PRODUCT.md §5 badges, §11): (business id, track id) →
    the verification page of the agent's current credential for that badge."""
    pages: dict[tuple[uuid.UUID, uuid.UUID], str] = {}
    rows = Credential.objects.filter(
        agent_id=agent_id, revoked_at__isnull=True, valid_until__gt=now, valid_from__lte=now
    ).order_by("valid_until")
    for credential in rows:  # the latest expiry wins
        pages[(credential.business_id, credential.track_id)] = links.credential_page(credential.id)
    return pages
