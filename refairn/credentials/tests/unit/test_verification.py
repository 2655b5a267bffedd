from datetime import timedelta

from refairn.credentials.domain import badge
from refairn.credentials.domain.verification import Status, verify
from refairn.credentials.tests.unit.facts import LIST_URL, T0, T_END, Issuer, facts


def _verdict(issuer: Issuer, *, revoked: list[int] = [], at=T0, **changes):  # noqa: B006
    token = issuer.sign(badge.open_badge_credential(facts(**changes)))
    return verify(
        token, jwks=[issuer.jwk], status_lists={LIST_URL: issuer.status_list(revoked)}, now=at
    )


def test_a_current_credential_is_active_and_valid() -> None:
    verdict = _verdict(Issuer())
    assert verdict.status == Status.ACTIVE and verdict.valid
    assert verdict.credential["credentialSubject"]["achievement"]["name"] == "Product Fundamentals"


def test_a_credential_whose_bit_is_set_is_revoked() -> None:
    assert _verdict(Issuer(), revoked=[41, 42]).status == Status.REVOKED
    assert _verdict(Issuer(), revoked=[41, 43]).status == Status.ACTIVE


def test_a_credential_past_its_valid_until_is_expired_and_revoked_wins() -> None:
    assert _verdict(Issuer(), at=T_END).status == Status.EXPIRED
    assert _verdict(Issuer(), at=T_END - timedelta(seconds=1)).status == Status.ACTIVE
    assert _verdict(Issuer(), at=T_END, revoked=[42]).status == Status.REVOKED


def test_a_credential_not_valid_yet_is_invalid() -> None:
    verdict = _verdict(Issuer(), at=T0 - timedelta(seconds=1))
    assert verdict.status == Status.INVALID and not verdict.valid


def test_a_status_list_signed_by_someone_else_is_not_believed() -> None:
    issuer, forger = Issuer(), Issuer(kid=Issuer().kid)
    token = issuer.sign(badge.open_badge_credential(facts()))
    verdict = verify(
        token, jwks=[issuer.jwk], status_lists={LIST_URL: forger.status_list([])}, now=T0
    )
    assert verdict.status == Status.INVALID


def test_a_credential_pointing_at_an_unknown_status_list_is_invalid() -> None:
    issuer = Issuer()
    token = issuer.sign(badge.open_badge_credential(facts(status_list_url="https://evil/list")))
    verdict = verify(
        token, jwks=[issuer.jwk], status_lists={LIST_URL: issuer.status_list([])}, now=T0
    )
    assert verdict.status == Status.INVALID
    assert "status list" in verdict.reason


def test_a_signed_token_that_is_not_an_open_badge_is_invalid() -> None:
    issuer = Issuer()
    document = {**badge.open_badge_credential(facts()), "type": ["VerifiableCredential"]}
    verdict = verify(issuer.sign(document), jwks=[issuer.jwk], status_lists={}, now=T0)
    assert verdict.status == Status.INVALID
