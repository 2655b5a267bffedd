from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.management import CommandError, call_command

from refairn.core.errors import Conflict
from refairn.credentials.domain import keys
from refairn.credentials.models import Credential, SigningKey
from refairn.credentials.services import credential_issue, credential_revoke
from refairn.credentials.tests.conftest import certify
from refairn.credentials.tests.independent import (
    status_bit,
    unverified_payload,
    verify_with_pyjwt,
)
from tests.support import make_user

pytestmark = pytest.mark.django_db


def test_the_key_is_made_on_first_need_and_stored_sealed(
    anon: Any, business_a: Any, certification: Any
) -> None:
    assert anon.get(f"/businesses/{business_a.id}/jwks.json").body == {"keys": []}
    credential_issue(certification=certification)
    key = SigningKey.objects.get()
    private_raw = keys.unseal(
        bytes(key.sealed_private_key),
        secrets=[settings.SECRET_KEY],
        context=keys.seal_context(str(business_a.id), key.kid),
    )
    assert private_raw not in bytes(key.sealed_private_key)
    public = Ed25519PrivateKey.from_private_bytes(private_raw).public_key()
    assert public.public_bytes(Encoding.Raw, PublicFormat.Raw) == bytes(key.public_key)
    with pytest.raises(keys.KeyUnsealError):
        keys.unseal(
            bytes(key.sealed_private_key),
            secrets=["another platform secret"],
            context=keys.seal_context(str(business_a.id), key.kid),
        )


def test_the_jwk_set_publishes_public_keys_with_their_kid(
    anon: Any, business_a: Any, issued: Credential
) -> None:
    (jwk,) = anon.get(f"/businesses/{business_a.id}/jwks.json").body["keys"]
    assert jwk["kid"] == issued.signing_key.kid
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk


def test_a_changed_platform_secret_stops_signing_with_a_clear_error(
    settings: Any, business_a: Any, track_id: str, issued: Credential
) -> None:
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "a completely different secret key for this platform"
    with pytest.raises(Conflict) as raised:
        credential_issue(certification=certify(business_a, track_id, make_user("x@a.test")))
    assert raised.value.code == "signing_key_unavailable"
    # Django's SECRET_KEY_FALLBACKS open keys sealed under the previous secret.
    settings.SECRET_KEY_FALLBACKS = [original]
    credential_issue(certification=certify(business_a, track_id, make_user("y@a.test")))


def test_rotation_keeps_old_credentials_verifiable(
    anon: Any, business_a: Any, track_id: str, issued: Credential
) -> None:
    old_kid = issued.signing_key.kid
    call_command("credentials", "rotate-key", "--business", business_a.slug)

    jwks = anon.get(f"/businesses/{business_a.id}/jwks.json").body
    assert len(jwks["keys"]) == 2 and old_kid in {k["kid"] for k in jwks["keys"]}
    verify_with_pyjwt(issued.jwt, jwks)

    newer = credential_issue(certification=certify(business_a, track_id, make_user("n@a.test")))
    assert newer.signing_key.kid != old_kid
    verify_with_pyjwt(newer.jwt, jwks)
    assert SigningKey.objects.filter(business=business_a, retired_at__isnull=True).count() == 1

    # The status list is signed again with the new key, and still revokes the old credential.
    credential_revoke(certification=issued.certification, reason="Policy breach.")
    list_url = unverified_payload(issued.jwt)["credentialStatus"]["statusListCredential"]
    listed = anon.get(list_url.split("/api/v1", 1)[1])
    claims = verify_with_pyjwt(listed.content.decode(), jwks)
    assert status_bit(claims["credentialSubject"]["encodedList"], issued.status_index)
    assert anon.get(f"/credentials/{issued.id}/status").body["status"] == "revoked"
    assert anon.get(f"/credentials/{newer.id}/status").body["status"] == "active"


def test_rotating_a_business_without_keys_makes_its_first(business_a: Any) -> None:
    call_command("credentials", "rotate-key", "--business", business_a.slug)
    assert SigningKey.objects.filter(business=business_a).count() == 1
    assert not Credential.objects.exists()


def test_rotate_key_names_an_unknown_business(db: Any) -> None:
    with pytest.raises(CommandError, match="nope"):
        call_command("credentials", "rotate-key", "--business", "nope")
