import base64
import json

import pytest

from refairn.credentials.domain import badge, vc_jwt
from refairn.credentials.tests.independent import numeric_date, verify_with_pyjwt
from refairn.credentials.tests.unit.facts import Issuer, facts


def test_a_signed_credential_verifies_with_pyjwt_against_the_jwk_set() -> None:
    issuer = Issuer()
    document = badge.open_badge_credential(facts())
    token = issuer.sign(document)
    claims = verify_with_pyjwt(token, {"keys": [issuer.jwk]})
    assert claims["iss"] == document["issuer"]["id"]
    assert claims["sub"] == document["credentialSubject"]["id"]
    assert claims["jti"] == document["id"]
    assert claims["nbf"] == numeric_date(document["validFrom"])
    assert claims["exp"] == numeric_date(document["validUntil"])
    assert {k: v for k, v in claims.items() if k not in {"iss", "sub", "jti", "nbf", "exp"}} == (
        document
    )


def test_the_header_has_only_alg_kid_and_typ() -> None:
    issuer = Issuer()
    token = issuer.sign(badge.open_badge_credential(facts()))
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": issuer.kid, "typ": "JWT"}


def test_our_verifier_accepts_the_issuers_token() -> None:
    issuer = Issuer()
    token = issuer.sign(badge.open_badge_credential(facts()))
    assert vc_jwt.verify(token, [issuer.jwk])["jti"] == facts().id


def _tampered(token: str, change: dict[str, object]) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(change)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_tampered_credential_fails_with_both_verifiers() -> None:
    import jwt as pyjwt

    issuer = Issuer()
    token = _tampered(issuer.sign(badge.open_badge_credential(facts())), {"name": "CEO"})
    with pytest.raises(vc_jwt.InvalidCredential, match="signature"):
        vc_jwt.verify(token, [issuer.jwk])
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify_with_pyjwt(token, {"keys": [issuer.jwk]})


def test_a_credential_signed_by_another_key_fails() -> None:
    ours, theirs = Issuer(), Issuer()
    token = theirs.sign(badge.open_badge_credential(facts()))
    with pytest.raises(vc_jwt.InvalidCredential, match="signature"):
        vc_jwt.verify(token, [ours.jwk])
    with pytest.raises(vc_jwt.InvalidCredential, match="not published"):
        elsewhere = Issuer(kid="https://elsewhere.example/k")
        vc_jwt.verify(elsewhere.sign(badge.open_badge_credential(facts())), [ours.jwk])


def test_claims_that_disagree_with_the_credential_fail() -> None:
    issuer = Issuer()
    document = badge.open_badge_credential(facts())
    token = vc_jwt.jwt.encode(
        {"alg": "EdDSA", "kid": issuer.kid},
        {**document, **vc_jwt.registered_claims(document), "sub": "urn:uuid:someone-else"},
        vc_jwt.signing_key(issuer.pair.private_raw, issuer.kid),
        registry=vc_jwt._REGISTRY,
    )
    with pytest.raises(vc_jwt.InvalidCredential, match="'sub'"):
        vc_jwt.verify(token, [issuer.jwk])


@pytest.mark.parametrize(
    "token", ["", "abc", "a.b.c", "a.b", "x" * 70_000, "eyJhbGciOiJub25lIn0.e30.", "ä.ö.ü"]
)
def test_garbage_is_invalid_not_an_error(token: str) -> None:
    with pytest.raises(vc_jwt.InvalidCredential):
        vc_jwt.verify(token, [Issuer().jwk])
