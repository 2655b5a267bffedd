from datetime import timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.core.errors import InvalidInput
from refairn.credentials.models import Credential
from refairn.credentials.services import credential_issue, credential_revoke
from refairn.credentials.tests.conftest import certify
from refairn.credentials.tests.independent import (
    status_bit,
    unverified_payload,
    verify_with_pyjwt,
)
from tests.support import assert_problem, make_user

pytestmark = pytest.mark.django_db


def published_list(anon: Any, credential: Credential) -> dict[str, Any]:
    """The status list as a verifier gets it: fetched from the credential's
    ``statusListCredential`` and checked with PyJWT against the issuer's JWK set."""
    entry = unverified_payload(credential.jwt)["credentialStatus"]
    response = anon.get(entry["statusListCredential"].split("/api/v1", 1)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    jwks = anon.get(f"/businesses/{credential.business_id}/jwks.json").body
    claims = verify_with_pyjwt(response.content.decode(), jwks)
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["credentialSubject"]["statusPurpose"] == "revocation"
    return claims


def test_an_issued_credential_is_active(anon: Any, issued: Credential) -> None:
    response = anon.get(f"/credentials/{issued.id}/status")
    assert response.status_code == 200
    assert response.body["valid"] is True and response.body["status"] == "active"
    encoded = published_list(anon, issued)["credentialSubject"]["encodedList"]
    assert not status_bit(encoded, issued.status_index)


def test_a_revoked_credential_shows_revoked_in_the_status_list_and_at_the_endpoint(
    anon: Any, business_a: Any, track_id: str, issued: Credential
) -> None:
    other = credential_issue(certification=certify(business_a, track_id, make_user("o@a.test")))
    assert issued.certification is not None
    revoked = credential_revoke(certification=issued.certification, reason="Policy breach.")
    assert [c.id for c in revoked] == [issued.id]

    encoded = published_list(anon, issued)["credentialSubject"]["encodedList"]
    assert status_bit(encoded, issued.status_index)
    assert not status_bit(encoded, other.status_index)
    body = anon.get(f"/credentials/{issued.id}/status").body
    assert body["valid"] is False and body["status"] == "revoked"
    assert anon.get(f"/credentials/{other.id}/status").body["status"] == "active"


def test_revoking_twice_keeps_the_first_revocation(issued: Credential) -> None:
    assert issued.certification is not None
    credential_revoke(certification=issued.certification, reason="First.")
    with clock.frozen(clock.now() + timedelta(days=1)):
        assert credential_revoke(certification=issued.certification, reason="Again.") == []
    issued.refresh_from_db()
    assert issued.revocation_reason == "First."


def test_a_revocation_needs_a_reason_and_changes_nothing_without_one(
    issued: Credential,
) -> None:
    assert issued.certification is not None
    with pytest.raises(InvalidInput):
        credential_revoke(certification=issued.certification, reason="  ")
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_an_expired_credential_shows_expired(anon: Any, issued: Credential) -> None:
    with clock.frozen(issued.valid_until - timedelta(seconds=1)):
        assert anon.get(f"/credentials/{issued.id}/status").body["status"] == "active"
    with clock.frozen(issued.valid_until):
        body = anon.get(f"/credentials/{issued.id}/status").body
    assert body == {
        "valid": False,
        "status": "expired",
        "credential_id": str(issued.id),
        "valid_from": "2026-11-02T09:00:00Z",
        "valid_until": "2027-11-02T09:00:00Z",
        "revoked_at": None,
    }


def test_revoked_wins_over_expired(anon: Any, issued: Credential) -> None:
    assert issued.certification is not None
    credential_revoke(certification=issued.certification, reason="Fraud.")
    with clock.frozen(issued.valid_until + timedelta(days=1)):
        assert anon.get(f"/credentials/{issued.id}/status").body["status"] == "revoked"


@pytest.mark.parametrize("credential_id", ["nope", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_credential_is_404(anon: Any, db: Any, credential_id: str) -> None:
    assert_problem(anon.get(f"/credentials/{credential_id}/status"), 404, "not_found")


@pytest.mark.parametrize("number", ["0", "2", "abc", "99999999999999999999", "-1"])
def test_an_unknown_status_list_is_404(
    anon: Any, business_a: Any, issued: Credential, number: str
) -> None:
    url = f"/businesses/{business_a.id}/credentials/status/{number}"
    assert_problem(anon.get(url), 404, "not_found")


def test_another_business_has_its_own_empty_key_set(
    anon: Any, business_b: Any, issued: Credential
) -> None:
    assert anon.get(f"/businesses/{business_b.id}/jwks.json").body == {"keys": []}
    assert_problem(anon.get("/businesses/nope/jwks.json"), 404, "not_found")
