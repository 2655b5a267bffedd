import base64
import gzip
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.credentials.domain import status_list
from refairn.credentials.tests.independent import status_bit

SIZE = status_list.LIST_SIZE


def test_an_empty_list_has_the_minimum_size_and_no_bit_set() -> None:
    encoded = status_list.encode([])
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert encoded.startswith("u") and "=" not in encoded
    assert len(bits) * 8 == SIZE == 131_072
    assert not any(bits)


@given(st.sets(st.integers(min_value=0, max_value=SIZE - 1), max_size=40))
def test_exactly_the_revoked_bits_are_set_read_independently(revoked: set[int]) -> None:
    encoded = status_list.encode(revoked)
    for index in [*revoked, 0, 7, 8, SIZE - 1]:
        assert status_bit(encoded, index) == (index in revoked)
        assert status_list.is_set(status_list.decode(encoded), index) == (index in revoked)


def test_index_zero_is_the_left_most_bit() -> None:
    body = status_list.encode([0])[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert bits[0] == 0x80


def test_out_of_range_indices_are_refused() -> None:
    with pytest.raises(ValueError):
        status_list.encode([SIZE])
    with pytest.raises(status_list.StatusListError):
        status_list.is_set(status_list.decode(status_list.encode([])), SIZE)


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "zabc",
        "u!!!",
        "u" + base64.urlsafe_b64encode(b"not gzip").decode(),
        "u" + base64.urlsafe_b64encode(gzip.compress(b"\x00" * 10)).decode(),
        "u" + base64.urlsafe_b64encode(gzip.compress(b"\x00" * (5 * 1024 * 1024))).decode(),
    ],
    ids=["empty", "wrong-multibase", "not-base64", "not-gzip", "too-short", "gzip-bomb"],
)
def test_what_is_not_a_status_list_is_refused(encoded: str) -> None:
    with pytest.raises(status_list.StatusListError):
        status_list.decode(encoded)


def test_free_indices_are_random_and_never_taken() -> None:
    rng = random.Random(7)
    used = set(rng.sample(range(SIZE), 1000))
    picks = {status_list.pick_free_index(used, rng.randrange) for _ in range(50)}
    assert None not in picks and not (picks & used)
    assert len(picks) > 40  # not handed out in order


def test_a_nearly_full_list_still_finds_its_last_free_index() -> None:
    used = set(range(SIZE)) - {12_345}
    assert status_list.pick_free_index(used, random.Random(1).randrange) == 12_345
    assert status_list.pick_free_index(used | {12_345}, random.Random(1).randrange) is None


def test_an_entry_points_at_its_list_and_index() -> None:
    entry = status_list.entry(list_url="https://x.test/status/1", index=94567)
    assert entry == {
        "id": "https://x.test/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://x.test/status/1",
    }
