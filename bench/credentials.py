"""What a verifiable credential costs (issue 16): signing, verifying, the status list's size
and the random index draw as a list fills up. Pure domain code, no database.

    .venv/bin/python bench/credentials.py [--rounds 2000]

Figures are printed, never asserted (STYLE.md).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import jwt as pyjwt

from refairn.credentials.domain import badge, keys, status_list, vc_jwt, verification

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BASE = "https://refairn.example"
LIST_URL = f"{BASE}/api/v1/businesses/b/credentials/status/1"


def per_call(label: str, rounds: int, call: Callable[[], Any]) -> None:
    call()
    started = time.perf_counter()
    for _ in range(rounds):
        call()
    micros = (time.perf_counter() - started) / rounds * 1e6
    print(f"  {label:<52} {micros:>9.1f} µs")


def facts() -> badge.BadgeFacts:
    issuer = badge.Issuer(id=f"{BASE}/api/v1/businesses/b/issuer", name="Acme", url=f"{BASE}/")
    return badge.BadgeFacts(
        id=f"{BASE}/credentials/00000000-0000-4000-8000-000000000001/",
        issuer=issuer,
        subject_id="urn:uuid:00000000-0000-4000-8000-0000000000b0",
        email="bob@a.test",
        salt="0123456789abcdef0123456789abcdef",
        achievement=badge.Achievement(
            id=f"{issuer.id}#achievement-t",
            name="Product Fundamentals",
            description="Core product knowledge for support agents.",
            criteria=badge.criteria_narrative(
                track_name="Product Fundamentals",
                passing_score=Decimal(80),
                recertification_months=12,
            ),
            badge_name="Product Expert",
            badge_icon="📘",
        ),
        awarded_at=T0,
        valid_from=T0,
        valid_until=datetime(2027, 11, 2, 9, 0, tzinfo=UTC),
        status_list_url=LIST_URL,
        status_index=94_567,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    rounds = parser.parse_args().rounds

    pair = keys.generate()
    kid = f"{BASE}/api/v1/businesses/b/keys/{keys.thumbprint(pair.public_raw)}"
    jwk = keys.public_jwk(pair.public_raw, kid)
    sealed = keys.seal(pair.private_raw, secret="s" * 50, context=b"b|k")
    document = badge.open_badge_credential(facts())
    token = vc_jwt.sign(document, private_raw=pair.private_raw, kid=kid)
    revoked = random.Random(1).sample(range(status_list.LIST_SIZE), 1000)
    list_token = vc_jwt.sign(
        status_list.list_credential(
            list_url=LIST_URL,
            issuer=document["issuer"],
            valid_from=T0,
            encoded_list=status_list.encode(revoked),
        ),
        private_raw=pair.private_raw,
        kid=kid,
    )
    pyjwt_key = pyjwt.PyJWKSet.from_dict({"keys": [jwk]})[kid]

    print(f"Per call, mean of {rounds} rounds:")
    per_call(
        "unseal the private key (HKDF + AES-GCM)",
        rounds,
        lambda: keys.unseal(sealed, secrets=["s" * 50], context=b"b|k"),
    )
    per_call(
        "build + sign one OpenBadgeCredential (joserfc)",
        rounds,
        lambda: vc_jwt.sign(
            badge.open_badge_credential(facts()), private_raw=pair.private_raw, kid=kid
        ),
    )
    per_call("verify its signature (joserfc)", rounds, lambda: vc_jwt.verify(token, [jwk]))
    per_call(
        "verify its signature (PyJWT)",
        rounds,
        lambda: pyjwt.decode(
            token, key=pyjwt_key, algorithms=["EdDSA"], options={"verify_exp": False}
        ),
    )
    per_call(
        "full verdict: credential + status list + dates",
        rounds // 4,
        lambda: verification.verify(token, jwks=[jwk], status_lists={LIST_URL: list_token}, now=T0),
    )
    per_call(
        "encode a 131,072-entry list, 1,000 revoked",
        rounds // 4,
        lambda: status_list.encode(revoked),
    )

    print("\nSizes:")
    print(f"  VC-JWT of one credential: {len(token):,} characters")
    for count in (0, 1_000, 10_000, 131_072):
        indices = random.Random(3).sample(range(status_list.LIST_SIZE), count)
        encoded = status_list.encode(indices)
        print(f"  encodedList, {count:>7,} of 131,072 revoked: {len(encoded):>6,} characters")
    print(f"  signed status list, 1,000 revoked: {len(list_token):,} characters")

    print("\nDrawing a free index (random, never reused) as the list fills up:")
    rng = random.Random(2)
    for filled in (0.0, 0.5, 0.9, 0.999):
        used = set(rng.sample(range(status_list.LIST_SIZE), int(status_list.LIST_SIZE * filled)))
        started = time.perf_counter()
        for _ in range(100):
            status_list.pick_free_index(used, rng.randrange)
        micros = (time.perf_counter() - started) / 100 * 1e6
        print(f"  {filled:>6.1%} full: {micros:>9.1f} µs")


if __name__ == "__main__":
    main()
