import pytest

from refairn.credentials.domain import keys


def test_a_sealed_key_opens_with_the_secret_and_context_it_was_sealed_with() -> None:
    pair = keys.generate()
    sealed = keys.seal(pair.private_raw, secret="platform-secret", context=b"biz|kid")
    assert pair.private_raw not in sealed
    assert keys.unseal(sealed, secrets=["platform-secret"], context=b"biz|kid") == pair.private_raw


def test_a_sealed_key_does_not_open_with_another_secret() -> None:
    sealed = keys.seal(keys.generate().private_raw, secret="old", context=b"biz|kid")
    with pytest.raises(keys.KeyUnsealError):
        keys.unseal(sealed, secrets=["new"], context=b"biz|kid")


def test_a_sealed_key_copied_to_another_business_does_not_open() -> None:
    sealed = keys.seal(keys.generate().private_raw, secret="s", context=b"business-a|kid")
    with pytest.raises(keys.KeyUnsealError):
        keys.unseal(sealed, secrets=["s"], context=b"business-b|kid")


def test_fallback_secrets_still_open_keys_sealed_before_a_secret_change() -> None:
    pair = keys.generate()
    sealed = keys.seal(pair.private_raw, secret="old", context=b"c")
    assert keys.unseal(sealed, secrets=["new", "old"], context=b"c") == pair.private_raw


def test_a_tampered_sealed_key_does_not_open() -> None:
    sealed = bytearray(keys.seal(keys.generate().private_raw, secret="s", context=b"c"))
    sealed[-1] ^= 1
    with pytest.raises(keys.KeyUnsealError):
        keys.unseal(bytes(sealed), secrets=["s"], context=b"c")
    with pytest.raises(keys.KeyUnsealError):
        keys.unseal(b"", secrets=["s"], context=b"c")


def test_the_published_jwk_is_public_only_and_named_by_its_kid() -> None:
    pair = keys.generate()
    jwk = keys.public_jwk(pair.public_raw, "https://x.test/k/1")
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["alg"] == "EdDSA"
    assert jwk["kid"] == "https://x.test/k/1" and jwk["use"] == "sig"
    assert "d" not in jwk


def test_the_thumbprint_is_stable_and_differs_per_key() -> None:
    a, b = keys.generate(), keys.generate()
    assert keys.thumbprint(a.public_raw) == keys.thumbprint(a.public_raw)
    assert keys.thumbprint(a.public_raw) != keys.thumbprint(b.public_raw)
    assert len(keys.thumbprint(a.public_raw)) == 43  # base64url SHA-256, RFC 7638
