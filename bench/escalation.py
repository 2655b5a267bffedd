"""How well the topic detector finds must-escalate topics on the corpus's held-out dev split, and
how long it takes per message (issue 14).

    .venv/bin/python bench/escalation.py [--corpus data/escalation/corpus.jsonl] [--errors]
        [--artifact PATH]

For customer messages and agent replies separately it prints, for the shipped detector (phrase
rules + model, what ``detect_topics(text, kind=...)`` returns) and for the phrase rules and the
model on their own: recall and precision of "must escalate", the share of caught messages whose
suggested category (the first warning) is right, per-category figures, a confusion table, and
milliseconds per message. ``--errors`` lists every miss, false alarm and wrong category;
``--artifact`` measures another artifact than the shipped one (an older commit's, say).
Figures are printed, never asserted (STYLE.md). Targets (issue 14): customer recall >= 0.97 and
precision >= 0.92, agent recall >= 0.95, category right for >= 0.90 of flagged messages,
<= 5 ms per message.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from refairn.support.domain.escalation import (
    PRIORITY,
    TopicWarning,
    detect_topics,
    phrase_topics,
    suggested_escalation,
)
from refairn.support.domain.escalation_examples import Example, read_examples
from refairn.support.domain.escalation_model import (
    NONE_LABEL,
    Detector,
    Kind,
    default_artifact_bytes,
    default_detector,
    load_detector,
)
from refairn.support.domain.escalation_training import corpus_digest

CORPUS = Path(__file__).resolve().parent.parent / "data" / "escalation" / "corpus.jsonl"
LABELS = [c.value for c in PRIORITY] + [NONE_LABEL]
SHORT = {
    "billing_dispute": "billing",
    "account_security": "security",
    "financial_data": "fin.data",
    "platform_defect": "defect",
    "refund": "refund",
    "account_deletion": "deletion",
    NONE_LABEL: "none",
    "-": "(not flagged)",
}
TARGETS = {Kind.CUSTOMER: (0.97, 0.92), Kind.AGENT: (0.95, None)}
CATEGORY_TARGET = 0.90
MS_TARGET = 5.0


# The detector being measured: the shipped one unless --artifact names another.
_detector: list[Detector] = []


def detector() -> Detector:
    return _detector[0] if _detector else default_detector()


def model_only(text: str, kind: Kind) -> list[TopicWarning]:
    prediction = detector().predict(text, kind)
    top = prediction.top()
    if top is None or not prediction.flagged():
        return []
    return [TopicWarning(PRIORITY[[c.value for c in PRIORITY].index(top)], "model")]


def ticket_suggestion(text: str, kind: Kind) -> list[TopicWarning]:
    suggestion = suggested_escalation(text, kind=kind, detector=detector())
    return [suggestion] if suggestion else []


DETECTORS: dict[str, Callable[[str, Kind], list[TopicWarning]]] = {
    "shipped (phrases + model)": lambda text, kind: detect_topics(
        text, kind=kind, detector=detector()
    ),
    "phrase rules alone": lambda text, kind: phrase_topics(text, kind=kind),
    "model alone": model_only,
    # What a new ticket stores: the strongest of its flags (phrase hits, then the model from its
    # route, suggest and recall-first thresholds).
    "suggested on a new ticket": ticket_suggestion,
}


@dataclass(frozen=True)
class Outcome:
    example: Example
    suggested: str  # a category, or "-" when nothing was flagged
    source: str


def run(
    examples: Sequence[Example], detect: Callable[[str, Kind], list[TopicWarning]]
) -> list[Outcome]:
    outcomes = []
    for e in examples:
        warnings = detect(e.text, e.kind)
        first = warnings[0] if warnings else None
        outcomes.append(
            Outcome(e, first.category.value if first else "-", first.source if first else "")
        )
    return outcomes


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f} ({num}/{den})" if den else "n/a"


def summary(outcomes: Sequence[Outcome], kind: Kind, *, verbose: bool) -> None:
    positives = [o for o in outcomes if o.example.label != NONE_LABEL]
    flagged = [o for o in outcomes if o.suggested != "-"]
    caught = [o for o in flagged if o.example.label != NONE_LABEL]
    right = [o for o in caught if o.suggested == o.example.label]
    false_alarms = [o for o in flagged if o.example.label == NONE_LABEL]
    recall_target, precision_target = TARGETS[kind]
    print(
        f"  must escalate: recall    {ratio(len(caught), len(positives))}"
        f"   target >= {recall_target}"
    )
    print(
        f"                 precision {ratio(len(caught), len(flagged))}"
        + (f"   target >= {precision_target}" if precision_target else "")
    )
    print(
        f"  category right for       {ratio(len(right), len(caught))} of caught messages"
        f"   target >= {CATEGORY_TARGET}"
    )
    if not verbose:
        return
    sources = Counter(o.source for o in false_alarms)
    hard = [o for o in outcomes if o.example.group == "hard_negative"]
    hard_flagged = [o for o in hard if o.suggested != "-"]
    print(
        f"  false alarms: {len(false_alarms)} ({sources['phrase']} from a phrase, "
        f"{sources['model']} from the model); hard negatives flagged "
        f"{ratio(len(hard_flagged), len(hard))}"
    )
    print("  per category (dev):   caught   right category")
    for label in LABELS[:-1]:
        rows = [o for o in outcomes if o.example.label == label]
        hit = [o for o in rows if o.suggested != "-"]
        ok = [o for o in rows if o.suggested == label]
        caught_share, right_share = ratio(len(hit), len(rows)), ratio(len(ok), len(rows))
        print(f"    {SHORT[label]:<10} {caught_share:>16} {right_share:>16}")
    nones = [o for o in outcomes if o.example.label == NONE_LABEL]
    alarms = ratio(len([o for o in nones if o.suggested != "-"]), len(nones))
    print(f"    {'none':<10} flagged {alarms}")
    columns = [*LABELS[:-1], "-"]
    print("  confusion (rows: true label, columns: suggested category)")
    print("    " + " " * 10 + "".join(f"{SHORT[c][:9]:>10}" for c in columns))
    table = Counter((o.example.label, o.suggested) for o in outcomes)
    for label in LABELS:
        cells = "".join(f"{table[(label, c)] or '.':>10}" for c in columns)
        print(f"    {SHORT[label]:<10}{cells}")


def errors(outcomes: Sequence[Outcome]) -> None:
    for o in outcomes:
        if o.suggested == o.example.label or (o.suggested == "-" and o.example.label == NONE_LABEL):
            continue
        what = (
            "missed"
            if o.suggested == "-"
            else ("false alarm" if o.example.label == NONE_LABEL else "wrong category")
        )
        print(
            f"    {what:<14} {o.example.label:<16} -> {o.suggested:<16} {o.source:<6} "
            f"{o.example.text[:90]}"
        )


def timing(
    examples: Sequence[Example], rounds: int, artifact: bytes
) -> tuple[float, float, float, float]:
    """(artifact load ms; median, 99th percentile and worst ms per message) for the measured
    detector, after one warm-up pass."""
    start = time.perf_counter()
    load_detector(artifact)
    load_ms = (time.perf_counter() - start) * 1000
    measured = detector()
    for e in examples:
        detect_topics(e.text, kind=e.kind, detector=measured)
    per_message = []
    for _ in range(rounds):
        for e in examples:
            start = time.perf_counter()
            detect_topics(e.text, kind=e.kind, detector=measured)
            per_message.append((time.perf_counter() - start) * 1000)
    p99 = statistics.quantiles(per_message, n=100)[98]
    return load_ms, statistics.median(per_message), p99, max(per_message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--errors", action="store_true", help="list every error")
    parser.add_argument("--rounds", type=int, default=5, help="timing passes over dev")
    parser.add_argument("--artifact", type=Path, help="measure this artifact, not the shipped one")
    args = parser.parse_args()
    artifact = args.artifact.read_bytes() if args.artifact else default_artifact_bytes()
    if args.artifact:
        _detector.append(load_detector(artifact))

    corpus = read_examples(args.corpus)
    dev = [e for e in corpus if e.split == "dev"]
    meta = detector().meta
    train = [e for e in corpus if e.split == "train"]
    current = meta["training_examples_sha256"] == corpus_digest(train)
    print(
        f"Artifact: {len(artifact)} bytes, training examples sha256 "
        f"{meta['training_examples_sha256'][:12]}... "
        + (f"(this corpus's {len(train)} train examples)" if current else "(another corpus)")
    )
    for kind in Kind:
        examples = [e for e in dev if e.kind is kind]
        model = detector().models[kind]
        print(
            f"\n== {kind} {'messages' if kind is Kind.CUSTOMER else 'replies'}: "
            f"{len(examples)} dev examples, "
            f"{sum(e.label != NONE_LABEL for e in examples)} must escalate; "
            f"model threshold {model.threshold}, suggest {model.suggest_threshold}, "
            f"route {model.route_threshold}"
        )
        for name, detect in DETECTORS.items():
            if name.startswith("suggested") and kind is not Kind.CUSTOMER:
                continue
            print(f"- {name}")
            outcomes = run(examples, detect)
            shipped = name.startswith("shipped")
            summary(outcomes, kind, verbose=shipped)
            if shipped and args.errors:
                errors(outcomes)
    load_ms, median_ms, p99_ms, worst_ms = timing(dev, args.rounds, artifact)
    print(
        f"\nTime: artifact load {load_ms:.0f} ms once per process; detect_topics per message "
        f"median {median_ms:.2f} ms, p99 {p99_ms:.2f} ms, worst {worst_ms:.2f} ms "
        f"({len(dev)} dev messages x {args.rounds}); target <= {MS_TARGET} ms"
    )


if __name__ == "__main__":
    main()
