"""Credential writes (PRODUCT.md §11): signing keys, issuing, revoking, publishing the status
list.

Each business's row lock is the one serialization point for its keys and status lists: issuing,
revoking and rotating all take it (after the certification's, when there is one), so two of them
never allocate the same index, open the same list twice or race a key rotation.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.db import transaction

from refairn.certification import domain as certification_domain
from refairn.certification.models import Certification
from refairn.core import clock
from refairn.core.errors import Conflict, field_error
from refairn.credentials import links
from refairn.credentials.domain import badge, keys, status_list, vc_jwt
from refairn.credentials.domain.times import whole_seconds
from refairn.credentials.models import Credential, SigningKey, StatusList
from refairn.programs.models import Business


def _lock_business(business_id: uuid.UUID) -> Business:
    return Business.objects.select_for_update().get(pk=business_id)


def _platform_secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _key_create(business: Business, now: datetime) -> SigningKey:
    pair = keys.generate()
    thumbprint = keys.thumbprint(pair.public_raw)
    kid = links.key_url(business.id, thumbprint)
    return SigningKey.objects.create(
        business=business,
        kid=kid,
        thumbprint=thumbprint,
        public_key=pair.public_raw,
        sealed_private_key=keys.seal(
            pair.private_raw,
            secret=settings.SECRET_KEY,
            context=keys.seal_context(str(business.id), kid),
        ),
        created_at=now,
    )


def _active_key(business: Business, now: datetime) -> SigningKey:
    """The business's signing key, made on first need (the caller holds the business lock)."""
    key = SigningKey.objects.filter(business=business, retired_at__isnull=True).first()
    return key or _key_create(business, now)


def _private_key(key: SigningKey) -> bytes:
    try:
        return keys.unseal(
            bytes(key.sealed_private_key),
            secrets=_platform_secrets(),
            context=keys.seal_context(str(key.business_id), key.kid),
        )
    except keys.KeyUnsealError:
        raise Conflict(
            "This business's signing key cannot be opened with the platform secret (was "
            "SECRET_KEY changed?). An operator must run `refairn credentials rotate-key`.",
            code="signing_key_unavailable",
        ) from None


def _sign(document: dict[str, object], key: SigningKey) -> str:
    return vc_jwt.sign(document, private_raw=_private_key(key), kid=key.kid)


def issuer_for(business: Business) -> badge.Issuer:
    return badge.Issuer(
        id=links.issuer_id(business.id), name=business.name, url=links.issuer_page(business.id)
    )


def _status_list_publish(status: StatusList, key: SigningKey, now: datetime) -> None:
    """Sign the list as it stands: every revoked credential's bit set (PRODUCT.md §11)."""
    revoked = Credential.objects.filter(status_list=status, revoked_at__isnull=False)
    document = status_list.list_credential(
        list_url=links.status_list_url(status.business_id, status.number),
        issuer=issuer_for(status.business).profile(),
        valid_from=now,
        encoded_list=status_list.encode(
            revoked.values_list("status_index", flat=True), status.size
        ),
    )
    status.jwt = _sign(document, key)
    status.published_at = now
    status.save(update_fields=["jwt", "published_at"])


def _status_list_open(
    business: Business, number: int, key: SigningKey, now: datetime
) -> StatusList:
    status = StatusList.objects.create(business=business, number=number, size=status_list.LIST_SIZE)
    _status_list_publish(status, key, now)
    return status


def _status_slot(business: Business, key: SigningKey, now: datetime) -> tuple[StatusList, int]:
    """A never-used index, drawn at random in the business's newest list (a new list when it
    is full). The caller holds the business lock; the unique constraint backs it up."""
    current = StatusList.objects.filter(business=business).order_by("-number").first()
    if current is None:
        current = _status_list_open(business, 1, key, now)
    in_list = Credential.objects.filter(status_list=current)
    candidates = status_list.draw_candidates(secrets.randbelow, current.size)
    taken = set(in_list.filter(status_index__in=candidates).values_list("status_index", flat=True))
    index = next((c for c in candidates if c not in taken), None)
    if index is None:  # a crowded list: choose among what is really left
        used = set(in_list.values_list("status_index", flat=True))
        index = status_list.pick_free_index(used, secrets.randbelow, current.size)
    if index is None:
        current = _status_list_open(business, current.number + 1, key, now)
        index = status_list.pick_free_index(set(), secrets.randbelow, current.size)
    assert index is not None  # a new list is empty
    return current, index


def _locked_certification(certification: Certification) -> Certification:
    return (
        Certification.objects.select_for_update(of=("self",))
        .select_related("business", "track", "agent")
        .get(pk=certification.pk)
    )


@transaction.atomic
def credential_issue(*, certification: Certification) -> Credential:
    """PRODUCT.md §11: an Open Badges 3.0 credential for a current certification, signed with
    the business's key, valid from when the agent was certified (or last renewed) until the
    expiry. Idempotent per certification and expiry date: a renewal (PRODUCT.md §5, a later
    expiry) issues a new credential, calling it again returns the same one. 409
    ``certification_not_active`` unless the certification is certified and unexpired."""
    cert = _locked_certification(certification)
    now = clock.now()
    status = certification_domain.Status(cert.status)
    if (
        not certification_domain.is_currently_certified(status, cert.expires_at, now)
        or cert.expires_at is None
        or cert.certified_at is None
    ):
        raise Conflict(
            "Only a current (certified, unexpired) certification has a credential.",
            code="certification_not_active",
        )
    valid_until = whole_seconds(cert.expires_at)
    existing = Credential.objects.filter(certification=cert, valid_until=valid_until).first()
    if existing is not None:
        return existing

    business = _lock_business(cert.business_id)
    key = _active_key(business, now)
    slot, index = _status_slot(business, key, now)
    credential = Credential(
        id=uuid.uuid4(),
        business=business,
        certification=cert,
        agent=cert.agent,
        track_id=cert.track_id,
        # Shown on the public page: the name, never the e-mail address (PRODUCT.md §11).
        holder_name=cert.agent.name.strip() or "Name not given",
        identity_salt=secrets.token_hex(16),
        valid_from=whole_seconds(cert.certified_at),
        valid_until=valid_until,
        status_list=slot,
        status_index=index,
        signing_key=key,
        issued_at=now,
    )
    track = cert.track
    facts = badge.BadgeFacts(
        id=links.credential_page(credential.id),
        issuer=issuer_for(business),
        subject_id=links.subject_id(cert.agent_id),
        email=cert.agent.email,
        salt=credential.identity_salt,
        achievement=badge.Achievement(
            id=links.achievement_id(business.id, cert.track_id),
            name=track.name,
            description=track.description.strip()
            or f"The {track.name} certification of {business.name}.",
            criteria=badge.criteria_narrative(
                track_name=track.name,
                passing_score=track.passing_score,
                recertification_months=track.recertification_months,
            ),
            badge_name=track.badge_name or track.name,
            badge_icon=track.badge_icon,
        ),
        awarded_at=credential.valid_from,
        valid_from=credential.valid_from,
        valid_until=credential.valid_until,
        status_list_url=links.status_list_url(business.id, slot.number),
        status_index=index,
    )
    credential.jwt = _sign(badge.open_badge_credential(facts), key)
    credential.save(force_insert=True)
    return credential


@transaction.atomic
def credential_revoke(*, certification: Certification, reason: str) -> list[Credential]:
    """PRODUCT.md §5/§11: when the business revokes a certification, every credential issued
    for it is revoked: its bit is set in the business's status list, which is signed again.
    Idempotent: credentials already revoked keep their first revocation."""
    if not reason.strip():
        raise field_error("reason", "a reason is required")
    cert = _locked_certification(certification)
    business = _lock_business(cert.business_id)
    now = clock.now()
    revoked = list(Credential.objects.filter(certification=cert, revoked_at__isnull=True))
    if not revoked:
        return []
    for credential in revoked:
        credential.revoked_at = now
        credential.revocation_reason = reason.strip()
        credential.save(update_fields=["revoked_at", "revocation_reason"])
    key = _active_key(business, now)
    for status in StatusList.objects.filter(pk__in={c.status_list_id for c in revoked}):
        _status_list_publish(status, key, now)
    return revoked


@transaction.atomic
def signing_key_rotate(*, business: Business) -> SigningKey:
    """PRODUCT.md §11 ("rotation keeps old public keys published"): retire the business's
    signing key and make a new one. Retired keys stay in the JWK set, so every credential they
    signed still verifies; the status lists are signed again with the new key."""
    business = _lock_business(business.id)
    now = clock.now()
    SigningKey.objects.filter(business=business, retired_at__isnull=True).update(retired_at=now)
    key = _key_create(business, now)
    for status in StatusList.objects.filter(business=business):
        _status_list_publish(status, key, now)
    return key


def credential_current(*, certification: Certification) -> Credential:
    """The credential an agent downloads for a certification: the one for its current expiry
    (issued now if the certification became current before credentials were issued for it),
    else the last one issued (a revoked or expired credential still says so when checked).
    409 ``no_credential`` when there is none."""
    now = clock.now()
    status = certification_domain.Status(certification.status)
    if certification_domain.is_currently_certified(status, certification.expires_at, now):
        return credential_issue(certification=certification)
    latest = Credential.objects.filter(certification=certification).first()
    if latest is None:
        raise Conflict("This certification has no credential yet.", code="no_credential")
    return latest
