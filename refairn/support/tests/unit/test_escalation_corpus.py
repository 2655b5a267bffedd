"""The labelled corpus the detector is trained and measured on (issue 14): its size, coverage,
stratified split, and no near-duplicate leaking from train into dev."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from refairn.support.domain.escalation_examples import LABELS, Example, read_examples
from refairn.support.domain.escalation_model import Kind

CORPUS = Path(__file__).resolve().parents[4] / "data" / "escalation" / "corpus.jsonl"
TRAIN_ONLY_GROUPS = {"routine", "train_only"}


@pytest.fixture(scope="module")
def corpus() -> list[Example]:
    return read_examples(CORPUS)


def test_the_corpus_has_enough_of_each_kind_and_label(corpus: list[Example]) -> None:
    kinds = Counter(e.kind for e in corpus)
    assert kinds[Kind.CUSTOMER] >= 600
    assert kinds[Kind.AGENT] >= 200
    for kind in Kind:
        for split in ("train", "dev"):
            labels = Counter(e.label for e in corpus if e.kind is kind and e.split == split)
            assert set(labels) == set(LABELS), (kind, split)


def test_the_dev_split_is_the_blind_one_written_after_the_first(corpus: list[Example]) -> None:
    # The first dev split (371 rows) stopped being honest once train-only rows were written
    # with its error list open; it moved to train, and a new dev split was written blind.
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    moved = [row for row in rows if row.get("former_split") == "dev"]
    assert len(moved) == 371
    assert {row["split"] for row in moved} == {"train"}
    dev = Counter(e.kind for e in corpus if e.split == "dev")
    assert dev[Kind.CUSTOMER] >= 300
    assert dev[Kind.AGENT] >= 110


def test_the_split_is_about_three_quarters_train_in_every_category(corpus: list[Example]) -> None:
    for kind in Kind:
        for label in LABELS:
            # "routine" and "train_only" rows were added to train only (the dev split stays as
            # measured).
            rows = [
                e
                for e in corpus
                if e.kind is kind and e.label == label and e.group not in TRAIN_ONLY_GROUPS
            ]
            dev = sum(e.split == "dev" for e in rows)
            assert 0.18 <= dev / len(rows) <= 0.30, (kind, label, dev, len(rows))


def test_the_corpus_has_hard_negatives_and_mixed_topics(corpus: list[Example]) -> None:
    groups = Counter(e.group for e in corpus if e.kind is Kind.CUSTOMER)
    assert groups["hard_negative"] >= 100
    assert groups["mixed"] >= 20


def test_routine_messages_and_replies_train_only(corpus: list[Example]) -> None:
    # Ordinary product questions, follow-ups and in-scope replies: without them the model
    # read "Did that work?" or "Any news?" as must-escalate (the reverted first wiring).
    routine = [e for e in corpus if e.group == "routine"]
    assert {e.split for e in routine} == {"train"}
    assert {e.label for e in routine} == {"none"}
    counts = Counter(e.kind for e in routine)
    assert counts[Kind.CUSTOMER] >= 150
    assert counts[Kind.AGENT] >= 100


def test_train_only_additions_never_reach_dev(corpus: list[Example]) -> None:
    # Written after the first benchmark to teach the model more wording; dev stays as measured.
    added = [e for e in corpus if e.group == "train_only"]
    assert {e.split for e in added} == {"train"}
    assert {e.label for e in added if e.kind is Kind.AGENT} == set(LABELS)
    assert len(added) >= 100


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _shingles(text: str) -> set[str]:
    return {text[i : i + 4] for i in range(max(1, len(text) - 3))}


def _one_word_apart(a: list[str], b: list[str]) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def test_no_dev_example_is_a_near_duplicate_of_a_train_example(corpus: list[Example]) -> None:
    # A dev item that differs from a train item by a word or two measures memory, not wording.
    for kind in Kind:
        train = [_normal(e.text) for e in corpus if e.kind is kind and e.split == "train"]
        dev = [_normal(e.text) for e in corpus if e.kind is kind and e.split == "dev"]
        train_shingles = [(t, _shingles(t), t.split()) for t in train]
        for text in dev:
            grams, words = _shingles(text), text.split()
            for other, other_grams, other_words in train_shingles:
                similarity = len(grams & other_grams) / len(grams | other_grams)
                assert similarity < 0.6, (text, other)
                assert len(words) < 3 or not _one_word_apart(words, other_words), (text, other)


def test_no_text_appears_twice(corpus: list[Example]) -> None:
    counts = Counter((e.kind, _normal(e.text)) for e in corpus)
    assert [text for text, n in counts.items() if n > 1] == []
