from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt as pyjwt
import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction

from refairn.certification.models import Certification
from refairn.core.errors import Conflict
from refairn.credentials.models import Credential, SigningKey
from refairn.credentials.services import credential_issue
from refairn.credentials.tests.conftest import certify, make_track
from refairn.credentials.tests.independent import (
    numeric_date,
    unverified_payload,
    verify_with_pyjwt,
)
from refairn.credentials.tests.schema import validate_open_badge
from tests.support import T0, make_user

pytestmark = pytest.mark.django_db

JWT_CLAIMS = {"iss", "sub", "jti", "nbf", "exp"}


def test_an_issued_credential_verifies_with_pyjwt_against_the_published_jwk_set(
    anon: Any, business_a: Any, issued: Credential
) -> None:
    jwks = anon.get(f"/businesses/{business_a.id}/jwks.json")
    assert jwks.status_code == 200
    claims = verify_with_pyjwt(issued.jwt, jwks.body)
    assert claims["iss"] == claims["issuer"]["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"]
    assert claims["jti"] == claims["id"]
    assert claims["nbf"] == numeric_date(claims["validFrom"]) == int(T0.timestamp())
    assert claims["exp"] == numeric_date(claims["validUntil"])
    assert claims["nbf"] <= int(T0.timestamp()) < claims["exp"]


def test_the_issued_credential_validates_against_the_open_badges_3_schema(
    issued: Credential,
) -> None:
    payload = unverified_payload(issued.jwt)
    validate_open_badge(payload)
    validate_open_badge({k: v for k, v in payload.items() if k not in JWT_CLAIMS})


def test_the_credential_names_business_track_agent_and_dates(
    issued: Credential, certification: Certification, business_a: Any
) -> None:
    document = unverified_payload(issued.jwt)
    assert document["issuer"]["name"] == "Business A"
    assert document["issuer"]["type"] == ["Profile"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == "Product Fundamentals"
    assert achievement["description"] == "Core product knowledge for support agents."
    assert "at least 80%" in achievement["criteria"]["narrative"]
    assert achievement["image"]["caption"] == "Product Expert"
    assert document["name"] == "Product Expert"
    assert document["validFrom"] == "2026-11-02T09:00:00Z"
    assert document["validUntil"] == "2027-11-02T09:00:00Z"
    assert document["credentialSubject"]["id"] == f"urn:uuid:{certification.agent_id}"
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert document["credentialStatus"]["statusListIndex"] == str(issued.status_index)
    assert "bob@a.test" not in issued.jwt and "bob@a.test" not in str(document).lower()
    assert issued.holder_name == "Bob Agent"


def test_every_url_in_the_credential_answers(anon: Any, issued: Credential) -> None:
    """The issuer, the key named by ``kid`` and the status list can be fetched by anyone."""
    document = unverified_payload(issued.jwt)
    key = SigningKey.objects.get()
    for url, kind in [
        (document["issuer"]["id"], "application/json"),
        (key.kid, "application/json"),
        (document["credentialStatus"]["statusListCredential"], "application/vc+jwt"),
    ]:
        response = anon.get(urlsplit(url).path.removeprefix("/api/v1"))
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(kind)
    assert anon.get(urlsplit(key.kid).path.removeprefix("/api/v1")).body["kid"] == key.kid
    page = anon.client.get(urlsplit(document["id"]).path)
    assert page.status_code == 200


def test_issuing_is_idempotent_per_certification_and_expiry(certification: Certification) -> None:
    first = credential_issue(certification=certification)
    again = credential_issue(certification=certification)
    assert again.id == first.id and again.jwt == first.jwt
    assert Credential.objects.count() == 1


def test_a_renewal_issues_a_new_credential_and_the_old_one_stays(
    anon: Any, business_a: Any, certification: Certification, issued: Credential
) -> None:
    # What certification's renewal leaves behind: certified again, expiry one interval later.
    certification.certified_at = T0 + relativedelta(months=11)
    certification.expires_at = T0 + relativedelta(months=24)
    certification.save()
    renewed = credential_issue(certification=certification)
    assert renewed.id != issued.id
    assert renewed.status_index != issued.status_index or (
        renewed.status_list_id != issued.status_list_id
    )
    document = unverified_payload(renewed.jwt)
    assert document["validUntil"] == "2028-11-02T09:00:00Z"
    assert document["validFrom"] == "2027-10-02T09:00:00Z"
    jwks = anon.get(f"/businesses/{business_a.id}/jwks.json").body
    verify_with_pyjwt(issued.jwt, jwks)
    verify_with_pyjwt(renewed.jwt, jwks)


@pytest.mark.parametrize("status", ["in_progress", "passed", "failed", "revoked", "expired"])
def test_only_a_current_certification_gets_a_credential(
    certification: Certification, status: str
) -> None:
    certification.status = status
    certification.save()
    with pytest.raises(Conflict) as raised:
        credential_issue(certification=certification)
    assert raised.value.code == "certification_not_active"
    assert not Credential.objects.exists() and not SigningKey.objects.exists()


def test_a_certification_past_its_expiry_gets_no_new_credential(
    certification: Certification,
) -> None:
    from refairn.core import clock

    with clock.frozen(certification.expires_at + timedelta(seconds=1)), pytest.raises(Conflict):
        credential_issue(certification=certification)


def test_status_indices_are_distinct_and_never_reused(
    as_alice: Any, business_a: Any, track_id: str
) -> None:
    credentials = []
    for n in range(6):
        agent = make_user(f"agent{n}@a.test", f"Agent {n}")
        credentials.append(credential_issue(certification=certify(business_a, track_id, agent)))
    indices = {c.status_index for c in credentials}
    assert len(indices) == 6
    assert {c.status_list_id for c in credentials} == {credentials[0].status_list_id}
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.filter(pk=credentials[1].pk).update(
            status_index=credentials[0].status_index
        )


def test_a_deleted_certification_keeps_its_credential_and_index(
    certification: Certification, issued: Credential
) -> None:
    certification.delete()
    issued.refresh_from_db()
    assert issued.certification_id is None and issued.status_index is not None


def test_each_business_signs_with_its_own_key(
    as_alice: Any, as_charlie: Any, business_a: Any, business_b: Any, issued: Credential
) -> None:
    other_track = make_track(as_charlie, business_b)
    theirs = credential_issue(certification=certify(business_b, other_track, make_user("e@b.t")))
    assert theirs.signing_key.business_id == business_b.id != issued.signing_key.business_id
    jwks_a = as_alice.get(f"/businesses/{business_a.id}/jwks.json").body
    with pytest.raises(KeyError):  # B's kid is not among A's keys...
        verify_with_pyjwt(theirs.jwt, jwks_a)
    (key_a,) = pyjwt.PyJWKSet.from_dict(jwks_a).keys
    with pytest.raises(pyjwt.InvalidSignatureError):  # ...and A's key does not verify it
        pyjwt.decode(theirs.jwt, key=key_a, algorithms=["EdDSA"], options={"verify_exp": False})


def test_a_full_status_list_is_followed_by_a_new_one(
    anon: Any, business_a: Any, track_id: str, monkeypatch: Any
) -> None:
    # Lists of 16 entries instead of 131,072, so the test fills one in a moment.
    monkeypatch.setattr("refairn.credentials.domain.status_list.LIST_SIZE", 16)
    credentials = [
        credential_issue(certification=certify(business_a, track_id, make_user(f"{n}@a.test")))
        for n in range(17)
    ]
    first, last = credentials[:16], credentials[16]
    assert sorted(c.status_index for c in first) == list(range(16))
    assert {c.status_list.number for c in first} == {1} and last.status_list.number == 2
    list_url = unverified_payload(last.jwt)["credentialStatus"]["statusListCredential"]
    assert list_url.endswith(f"/businesses/{business_a.id}/credentials/status/2")
    assert anon.get(urlsplit(list_url).path.removeprefix("/api/v1")).status_code == 200
