"""The measured must-escalate detector's prediction side (PRODUCT.md §6, issue 14).

A trained artifact is plain JSON: per kind of text (a customer's message, an agent's reply) the
tf-idf vocabulary and idf weights of two feature blocks (words, characters), the coefficients
of one multinomial logistic regression over the six categories and "none" (stored as each
category's logit relative to "none", whose own is then zero: the probability that the text
must be escalated is one minus that of "none", and the categories share the rest), and three
thresholds chosen when it was trained: the recall-first one at which a warning is shown, a
higher "suggest" one from which a new ticket carries a suggested escalation, and the highest,
"route", from which a suggestion is trusted enough to act on. Prediction here is plain
Python over that JSON (no pickle, no scikit-learn at run time); it gives the numbers of the
scikit-learn pipeline that trained it, which ``escalation_training`` builds from the same
analyzers below.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

ARTIFACT_FORMAT = "refairn-escalation-model"
# Bumped when the analyzers or the artifact layout change: an artifact of another version is
# refused rather than silently scored with different features.
ARTIFACT_VERSION = 3
DEFAULT_ARTIFACT = f"default-v{ARTIFACT_VERSION}.json"

NONE_LABEL = "none"


class Kind(StrEnum):
    """Whose words these are: one model each, as the two read differently (a customer asks for
    a refund; an agent promises, confirms, refuses or advises on one)."""

    CUSTOMER = "customer"
    AGENT = "agent"


class ArtifactError(ValueError):
    """An artifact that is not a detector this code can score with."""


# Features

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# Amounts, invoice numbers and codes: their digits say nothing, their shape does.
_NUMBER = re.compile(r"\d{2,}")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
CHAR_NGRAMS = (3, 4)


def normalize(text: str) -> str:
    """Case-folded, accents and curly quotes removed, multi-digit numbers as zeros."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", stripped).casefold().translate(_QUOTES)
    return _NUMBER.sub(lambda m: "0" * len(m.group(0)), folded)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


def word_features(text: str) -> list[str]:
    """Words and word pairs ("not asking", "charged twice")."""
    words = tokens(text)
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def char_features(text: str) -> list[str]:
    """Character 3- and 4-grams inside each word padded with spaces: typos and inflections
    ("pasword", "refunded") still share most of them with the word they stand for."""
    low, high = CHAR_NGRAMS
    grams: list[str] = []
    for word in tokens(text):
        padded = f" {word} "
        if len(padded) <= low:
            grams.append(padded)
            continue
        for n in range(low, min(high, len(padded)) + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


ANALYZERS: Mapping[str, Callable[[str], list[str]]] = {
    "words": word_features,
    "chars": char_features,
}


# The model


@dataclass(frozen=True)
class FeatureBlock:
    """One tf-idf block: sublinear term frequency times idf, l2-normalized within the block.
    Each term carries one weight per category (its logit relative to "none")."""

    name: str
    terms: Mapping[str, tuple[float, tuple[float, ...]]]

    def add_scores(self, text: str, scores: list[float]) -> None:
        counts = Counter(ANALYZERS[self.name](text))
        present = [(count, *self.terms[t]) for t, count in counts.items() if t in self.terms]
        values = [(1.0 + math.log(count)) * idf for count, idf, _ in present]
        norm = math.sqrt(sum(v * v for v in values))
        if norm == 0.0:
            return
        for value, (_, _, weights) in zip(values, present, strict=True):
            scaled = value / norm
            for k, weight in enumerate(weights):
                scores[k] += scaled * weight


@dataclass(frozen=True)
class Prediction:
    """The probability that a text must be escalated, and how that splits over categories."""

    escalate_probability: float
    categories: Mapping[str, float]
    threshold: float
    route_threshold: float
    suggest_threshold: float

    def escalate(self, enabled: Iterable[str] | None = None) -> float:
        """The must-escalate probability, counting only the categories a business detects."""
        if enabled is None:
            return self.escalate_probability
        allowed = set(enabled)
        share = sum(p for c, p in self.categories.items() if c in allowed)
        return self.escalate_probability * share

    def top(self, enabled: Iterable[str] | None = None) -> str | None:
        allowed = self.categories if enabled is None else set(enabled)
        labels = [c for c in self.categories if c in allowed]
        return max(labels, key=lambda c: (self.categories[c], c)) if labels else None

    def flagged(self, enabled: Iterable[str] | None = None) -> bool:
        return self.escalate(enabled) >= self.threshold

    def suggests(self, enabled: Iterable[str] | None = None) -> bool:
        """Sure enough to show on a new ticket as its suggested escalation."""
        return self.escalate(enabled) >= self.suggest_threshold

    def routes(self, enabled: Iterable[str] | None = None) -> bool:
        """Sure enough to act on (routing, a security escalation), not only to suggest."""
        return self.escalate(enabled) >= self.route_threshold


def _softmax(xs: Sequence[float]) -> list[float]:
    top = max(xs)
    exps = [math.exp(x - top) for x in xs]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True)
class TextModel:
    """For one kind of text, a multinomial logistic regression over the categories and
    "none"."""

    kind: Kind
    categories: tuple[str, ...]
    # One per category, relative to "none".
    intercept: tuple[float, ...]
    blocks: tuple[FeatureBlock, ...]
    threshold: float
    route_threshold: float
    suggest_threshold: float

    def decision(self, text: str) -> list[float]:
        scores = list(self.intercept)
        for block in self.blocks:
            block.add_scores(text, scores)
        return scores

    def predict(self, text: str) -> Prediction:
        scores = self.decision(text)
        # "none" is the first class, with logit zero.
        probabilities = _softmax([0.0, *scores])
        return Prediction(
            1.0 - probabilities[0],
            dict(zip(self.categories, _softmax(scores), strict=True)),
            self.threshold,
            self.route_threshold,
            self.suggest_threshold,
        )


@dataclass(frozen=True)
class Detector:
    """A loaded artifact: one model per kind, and what it says about itself."""

    models: Mapping[Kind, TextModel]
    meta: Mapping[str, Any]

    def predict(self, text: str, kind: Kind | str) -> Prediction:
        return self.models[Kind(kind)].predict(text)


def _model_from_json(kind: Kind, data: Mapping[str, Any]) -> TextModel:
    categories = tuple(str(c) for c in data["categories"])
    outputs = len(categories)
    blocks = []
    for block in data["blocks"]:
        name = str(block["name"])
        if name not in ANALYZERS:
            raise ArtifactError(f"unknown feature block {name!r}")
        terms: dict[str, tuple[float, tuple[float, ...]]] = {}
        for term, idf, weights in block["features"]:
            if len(weights) != outputs:
                raise ArtifactError(f"feature {term!r} has {len(weights)} weights")
            terms[str(term)] = (float(idf), tuple(float(w) for w in weights))
        blocks.append(FeatureBlock(name, terms))
    intercept = tuple(float(v) for v in data["intercept"])
    if len(intercept) != outputs:
        raise ArtifactError(f"{kind} model has {len(intercept)} intercepts")
    threshold, route_threshold = float(data["threshold"]), float(data["route_threshold"])
    suggest_threshold = float(data["suggest_threshold"])
    if not 0.0 <= threshold <= suggest_threshold <= route_threshold <= 1.0:
        raise ArtifactError(
            f"{kind} model: thresholds {threshold}, {suggest_threshold} and {route_threshold}"
        )
    return TextModel(
        kind, categories, intercept, tuple(blocks), threshold, route_threshold, suggest_threshold
    )


def detector_from_json(data: Mapping[str, Any]) -> Detector:
    if data.get("format") != ARTIFACT_FORMAT or data.get("version") != ARTIFACT_VERSION:
        raise ArtifactError(
            f"expected {ARTIFACT_FORMAT} version {ARTIFACT_VERSION}, "
            f"got {data.get('format')!r} version {data.get('version')!r}"
        )
    models = {
        Kind(kind): _model_from_json(Kind(kind), body) for kind, body in data["models"].items()
    }
    if set(models) != set(Kind):
        raise ArtifactError("an artifact holds one model per kind of text")
    meta = {key: value for key, value in data.items() if key != "models"}
    return Detector(models, meta)


def load_detector(source: bytes | str | Path) -> Detector:
    """A detector from artifact bytes or a file path (JSON only: nothing is unpickled)."""
    raw = Path(source).read_bytes() if isinstance(source, str | Path) else source
    return detector_from_json(json.loads(raw))


def default_artifact_bytes() -> bytes:
    return (
        resources.files("refairn.support.domain")
        .joinpath("escalation_artifacts", DEFAULT_ARTIFACT)
        .read_bytes()
    )


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The shipped detector, loaded once per process."""
    return load_detector(default_artifact_bytes())


# Writing an artifact


def _number(value: float) -> str:
    return repr(float(value))


def artifact_json(meta: Mapping[str, Any], models: Mapping[str, Mapping[str, Any]]) -> bytes:
    """Canonical bytes for an artifact: keys sorted, one feature per line, so that a rebuild
    from the same corpus is byte-identical and a retrain reads as a line diff in review."""
    lines = ["{"]
    for key in sorted(meta):
        lines.append(f"  {json.dumps(key)}: {json.dumps(meta[key], sort_keys=True)},")
    lines.append('  "models": {')
    kinds = sorted(models)
    for i, kind in enumerate(kinds):
        model = models[kind]
        lines.append(f"    {json.dumps(kind)}: {{")
        for key in sorted(k for k in model if k != "blocks"):
            lines.append(f"      {json.dumps(key)}: {json.dumps(model[key], sort_keys=True)},")
        lines.append('      "blocks": [')
        blocks: Sequence[Mapping[str, Any]] = model["blocks"]
        for j, block in enumerate(blocks):
            lines.append(f'        {{"name": {json.dumps(block["name"])}, "features": [')
            features = block["features"]
            for n, (term, idf, weights) in enumerate(features):
                row = ",".join(_number(w) for w in weights)
                comma = "," if n < len(features) - 1 else ""
                lines.append(
                    f"[{json.dumps(term, ensure_ascii=False)},{_number(idf)},[{row}]]{comma}"
                )
            lines.append("        ]}" + ("," if j < len(blocks) - 1 else ""))
        lines.append("      ]")
        lines.append("    }" + ("," if i < len(kinds) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")
