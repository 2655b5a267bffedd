"""Issue 18: TOTP codes (RFC 6238) and the sealed secret, pure rules."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from refairn.accounts.domain import totp

NOW = datetime(2026, 11, 2, 9, 0, 10, tzinfo=UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def step_of(at: datetime) -> int:
    return int(at.timestamp()) // totp.STEP_SECONDS


def test_the_current_code_matches_its_step() -> None:
    code = totp.code_at(SECRET, NOW)
    assert totp.matching_step(SECRET, code, now=NOW, after=None) == step_of(NOW)


def test_codes_agree_with_an_independent_authenticator() -> None:
    # pyotp's own TOTP with the RFC 6238 defaults: what an authenticator app computes.
    assert totp.code_at(SECRET, NOW) == pyotp.TOTP(SECRET).at(NOW)


@pytest.mark.parametrize("drift", [-30, 30])
def test_one_step_of_clock_drift_is_accepted(drift: int) -> None:
    code = totp.code_at(SECRET, NOW + timedelta(seconds=drift))
    assert totp.matching_step(SECRET, code, now=NOW, after=None) == step_of(NOW) + drift // 30


@pytest.mark.parametrize("drift", [-90, 90])
def test_codes_further_off_are_refused(drift: int) -> None:
    code = totp.code_at(SECRET, NOW + timedelta(seconds=drift))
    assert totp.matching_step(SECRET, code, now=NOW, after=None) is None


def test_a_code_is_accepted_once() -> None:
    code = totp.code_at(SECRET, NOW)
    step = totp.matching_step(SECRET, code, now=NOW, after=None)
    assert totp.matching_step(SECRET, code, now=NOW, after=step) is None
    # nor an older code after a newer one was used
    older = totp.code_at(SECRET, NOW - timedelta(seconds=30))
    assert totp.matching_step(SECRET, older, now=NOW, after=step) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5"])
def test_malformed_codes_are_refused(typed: str) -> None:
    assert totp.matching_step(SECRET, typed, now=NOW, after=None) is None


def test_spaces_and_dashes_inside_a_code_are_ignored() -> None:
    code = totp.code_at(SECRET, NOW)
    assert totp.matching_step(SECRET, f"{code[:3]} {code[3:]}", now=NOW, after=None)
    assert totp.matching_step(SECRET, f"{code[:3]}-{code[3:]}", now=NOW, after=None)


def test_the_provisioning_uri_names_issuer_account_and_parameters() -> None:
    uri = urlparse(totp.provisioning_uri(SECRET, account="alice@a.test"))
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    query = parse_qs(uri.query)
    assert query["secret"] == [SECRET]
    assert query["issuer"] == ["Refairn"]
    assert uri.path == "/Refairn:alice%40a.test"


def test_new_secrets_are_160_bits_and_differ() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert len(first) == 32 and first != second  # 32 base32 characters = 160 bits


def test_a_sealed_secret_opens_with_its_key_and_context_only() -> None:
    sealed = totp.seal(SECRET, key_material="k1", context=b"totp|u1")
    assert SECRET.encode() not in sealed
    assert totp.unseal(sealed, key_materials=["k1"], context=b"totp|u1") == SECRET
    with pytest.raises(totp.SecretUnsealError):
        totp.unseal(sealed, key_materials=["k2"], context=b"totp|u1")
    with pytest.raises(totp.SecretUnsealError):
        totp.unseal(sealed, key_materials=["k1"], context=b"totp|u2")  # copied to another user


def test_a_secret_sealed_under_an_old_key_opens_with_the_fallbacks() -> None:
    sealed = totp.seal(SECRET, key_material="old", context=b"c")
    assert totp.unseal(sealed, key_materials=["new", "old"], context=b"c") == SECRET


def test_garbage_is_not_a_sealed_secret() -> None:
    with pytest.raises(totp.SecretUnsealError):
        totp.unseal(b"\x02" + b"0" * 40, key_materials=["k"], context=b"c")


def test_the_secret_is_shown_in_groups_of_four() -> None:
    assert totp.display_secret("ABCDEFGHIJ") == "ABCD EFGH IJ"
