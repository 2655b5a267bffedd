import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from refairn.core import clock
from refairn.credentials.models import Credential
from refairn.credentials.services import credential_revoke
from tests.support import assert_problem

pytestmark = pytest.mark.django_db


def tampered(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_verifier_checks_an_issued_credential(anon: Any, issued: Credential) -> None:
    response = anon.post("/credentials/verify", {"credential": issued.jwt})
    assert response.status_code == 200
    assert response.body == {
        "valid": True,
        "status": "active",
        "reason": "The signature is the issuer's and the credential is current.",
        "credential_id": str(issued.id),
        "issuer": "Business A",
        "achievement": "Product Fundamentals",
        "holder_name": "Bob Agent",
        "valid_from": "2026-11-02T09:00:00Z",
        "valid_until": "2027-11-02T09:00:00Z",
    }


def test_a_tampered_credential_fails(anon: Any, issued: Credential) -> None:
    forged = tampered(issued.jwt, validUntil="2099-01-01T00:00:00Z", exp=4070908800)
    body = anon.post("/credentials/verify", {"credential": forged}).body
    assert body["valid"] is False and body["status"] == "invalid"
    assert "signature" in body["reason"]
    assert body["issuer"] is None and body["holder_name"] is None


def test_a_revoked_credential_checks_as_revoked(anon: Any, issued: Credential) -> None:
    assert issued.certification is not None
    credential_revoke(certification=issued.certification, reason="Fraud.")
    body = anon.post("/credentials/verify", {"credential": issued.jwt}).body
    assert body["status"] == "revoked" and body["valid"] is False


def test_an_expired_credential_checks_as_expired(anon: Any, issued: Credential) -> None:
    with clock.frozen(issued.valid_until + timedelta(minutes=1)):
        body = anon.post("/credentials/verify", {"credential": issued.jwt}).body
    assert body["status"] == "expired" and body["valid"] is False


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_is_invalid_not_an_error(anon: Any, db: Any, token: str) -> None:
    body = anon.post("/credentials/verify", {"credential": token}).body
    assert body["status"] == "invalid" and body["credential_id"] is None


@pytest.mark.parametrize("payload", [{}, {"credential": ""}, {"credential": "x" * 70_000}])
def test_bad_input_is_422(anon: Any, db: Any, payload: dict[str, str]) -> None:
    assert_problem(anon.post("/credentials/verify", payload), 422, "validation_error")


def test_the_issuer_profile_and_key_documents_are_public(
    anon: Any, business_a: Any, issued: Credential
) -> None:
    profile = anon.get(f"/businesses/{business_a.id}/issuer").body
    assert profile["name"] == "Business A" and profile["type"] == ["Profile"]
    thumbprint = issued.signing_key.thumbprint
    jwk = anon.get(f"/businesses/{business_a.id}/keys/{thumbprint}").body
    assert jwk["kid"] == issued.signing_key.kid and "d" not in jwk
    assert_problem(anon.get(f"/businesses/{business_a.id}/keys/nope"), 404, "not_found")
    assert_problem(anon.get("/businesses/nope/issuer"), 404, "not_found")


def test_hostile_key_names_are_invalid_not_errors(
    anon: Any, business_a: Any, issued: Credential
) -> None:
    """PostgreSQL refuses NUL characters: they must never reach a query."""
    header = base64.urlsafe_b64encode(b'{"alg":"EdDSA","kid":"x\\u0000y"}').rstrip(b"=")
    token = f"{header.decode()}.e30.c2ln"
    assert anon.post("/credentials/verify", {"credential": token}).body["status"] == "invalid"
    page = Client().post("/credentials/verify/", {"credential": token})
    assert page.status_code == 200 and "Not valid" in page.content.decode()
    assert_problem(anon.get(f"/businesses/{business_a.id}/keys/a%00b"), 404, "not_found")
    long_kid = base64.urlsafe_b64encode(json.dumps({"alg": "EdDSA", "kid": "k" * 5000}).encode())
    body = anon.post("/credentials/verify", {"credential": f"{long_kid.decode()}.e30.c2ln"}).body
    assert body["status"] == "invalid"
