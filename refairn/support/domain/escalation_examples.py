"""Labelled examples for the must-escalate detector (issue 14): the project's corpus
(``data/escalation/corpus.jsonl``) and a business's own feedback, as plain values."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refairn.support.domain.escalation import Category
from refairn.support.domain.escalation_model import NONE_LABEL, Kind

LABELS: tuple[str, ...] = (*(c.value for c in Category), NONE_LABEL)
SPLITS = ("train", "dev")


class CorpusError(ValueError):
    """A labelled example that cannot be trained on."""


@dataclass(frozen=True)
class Example:
    """One labelled text. ``business_id`` is set on a business's own examples (feedback) and
    only ever trains that business's model."""

    text: str
    kind: Kind
    label: str
    split: str = "train"
    group: str = ""
    business_id: str | None = None


def example_from_feedback(
    *, text: str, kind: Kind | str, category: Category | str | None, business_id: str
) -> Example:
    """Issue 14 feedback loop: a message staff or an agent escalated though nothing flagged it
    (``category`` is what they escalated under), or whose flag they dismissed (``None``),
    becomes a training example of that business's own model."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise CorpusError("an example needs text")
    if not business_id:
        raise CorpusError("a feedback example belongs to a business")
    label = NONE_LABEL if category is None else Category(category).value
    return Example(cleaned, Kind(kind), label, "train", "feedback", str(business_id))


def example_from_row(row: Mapping[str, Any]) -> Example:
    try:
        text, kind, label = str(row["text"]).strip(), Kind(row["kind"]), str(row["label"])
    except (KeyError, ValueError) as exc:
        raise CorpusError(f"bad example {row!r}: {exc}") from None
    split = str(row.get("split", "train"))
    if not text or label not in LABELS or split not in SPLITS:
        raise CorpusError(f"bad example {row!r}")
    business = row.get("business_id")
    return Example(text, kind, label, split, str(row.get("group", "")), business and str(business))


def read_examples(path: Path) -> list[Example]:
    """Examples from JSON Lines (``text``, ``kind``, ``label``, ``split``, optional ``group``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [example_from_row(json.loads(line)) for line in lines if line.strip()]
