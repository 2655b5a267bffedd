"""``refairn escalation train [--business <slug>] [--check]``: rebuild the topic detector
(issue 14) from the labelled corpus, or train one business's own detector."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from refairn.core.errors import DomainError
from refairn.programs.selectors import business_by_slug
from refairn.support.domain.escalation_examples import CorpusError, read_examples
from refairn.support.domain.escalation_model import DEFAULT_ARTIFACT
from refairn.support.escalation_detectors import business_artifact_path, business_examples

BAR_WIDTH = 30
# The corpus lives in the repository, not in the installed package.
CORPUS = Path(settings.PACKAGE_DIR).parent / "data" / "escalation" / "corpus.jsonl"
SHIPPED = Path(settings.PACKAGE_DIR) / "support" / "domain" / "escalation_artifacts"


def progress_bar(what: str, done: int, total: int) -> str:
    """``[##########--------------------]  4/12 customer: cross-validation fold 4/5``"""
    filled = BAR_WIDTH if total == 0 else BAR_WIDTH * done // total
    count = f"{done:>{len(str(total))}}/{total}"
    return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {count} {what}"


class Command(BaseCommand):
    help = "Topic detector. `train`: rebuild the shipped artifact, or a business's own."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="train the detector (same corpus, same bytes)")
        train.add_argument("--business", help="the business's slug: add its own labelled examples")
        train.add_argument("--corpus", type=Path, default=CORPUS, help="labelled corpus (JSONL)")
        train.add_argument("--output", type=Path, help="where to write the artifact")
        train.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail if the rebuilt artifact differs from the existing one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # scikit-learn is only needed here, not to serve requests.
        from refairn.support.domain.escalation_training import train_artifact

        try:
            corpus = read_examples(options["corpus"])
        except (OSError, CorpusError) as exc:
            raise CommandError(f"cannot read the corpus: {exc}") from None
        business_id, extra, output = None, [], SHIPPED / DEFAULT_ARTIFACT
        if options["business"]:
            try:
                business = business_by_slug(options["business"])
            except DomainError as exc:
                raise CommandError(exc.detail) from None
            business_id, extra = str(business.id), business_examples(business.id)
            output = business_artifact_path(business.id)
        output = options["output"] or output
        try:
            artifact = train_artifact(
                corpus, extra=extra, business_id=business_id, progress=self._draw
            )
        except CorpusError as exc:
            raise CommandError(str(exc)) from None
        if options["check"]:
            if not output.exists() or output.read_bytes() != artifact:
                raise CommandError(f"{output} is not what the corpus rebuilds")
            self.stdout.write(f"{output} rebuilds byte-identical ({len(artifact)} bytes).")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(artifact)
        self.stdout.write(
            f"Wrote {output} ({len(artifact)} bytes; {len(extra)} business examples)."
        )

    def _draw(self, what: str, done: int, total: int) -> None:
        # "\r" redraws the bar in place on a terminal; the last state ends the line. Padding
        # wipes the end of a longer previous label.
        line = progress_bar(what, done, total).ljust(80)
        self.stdout.write("\r" + line, ending="\n" if done == total else "")
        self.stdout.flush()
