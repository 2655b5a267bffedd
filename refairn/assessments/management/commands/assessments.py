"""``refairn assessments calibrate --track <id>`` (issue 15 item 2): recalibrate a track's item
bank from its attempt history now, with a progress bar and a report of the questions that fit
badly, have too few responses, or were never asked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from refairn.assessments.domain.calibration import CalibrationReport
from refairn.assessments.models import Question
from refairn.assessments.services.calibration import min_responses_setting, track_calibrate
from refairn.training.models import Track

BAR_WIDTH = 30


def progress_bar(done: int, total: int) -> str:
    """``[#########---------------------]  30/100 EM cycles``"""
    filled = BAR_WIDTH if total == 0 else BAR_WIDTH * done // total
    return (
        f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:>{len(str(total))}}/{total} EM cycles"
    )


class Command(BaseCommand):
    help = "Assessments. `calibrate`: 3PL parameters for a track's bank from its attempts."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("calibrate", help="calibrate one track's questions now")
        run.add_argument("--track", required=True, help="the track's id")
        run.add_argument(
            "--min-responses",
            type=int,
            default=None,
            help=f"responses a question needs (default {min_responses_setting()})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            track = Track.objects.get(pk=options["track"])
        except (Track.DoesNotExist, ValidationError):
            raise CommandError(f"No track {options['track']!r}.") from None
        minimum = options["min_responses"]
        if minimum is not None and minimum < 1:
            raise CommandError("--min-responses is at least 1.")
        report = track_calibrate(track, min_responses=minimum, progress=self._draw)
        self._report(track, report)

    def _draw(self, done: int, total: int) -> None:
        # "\r" redraws the bar in place on a terminal; the last state ends the line.
        self.stdout.write("\r" + progress_bar(done, total), ending="\n" if done == total else "")
        self.stdout.flush()

    def _report(self, track: Track, report: CalibrationReport) -> None:
        if report.iterations and report.converged:
            # EM stopped before its maximum, so the bar's line was never ended.
            self.stdout.write("")
        prompts = {
            str(q): " ".join(p.split())
            for q, p in Question.objects.filter(track=track).values_list("id", "prompt")
        }

        state = "converged" if report.converged else "did not converge"
        self.stdout.write(
            f"{track.name}: {len(report.calibrated)} questions calibrated from "
            f"{report.respondents} attempts ({report.iterations} EM cycles, {state})."
        )
        sections = [
            ("Fit badly (RMSD above the limit)", report.misfitting),
            ("Too few responses (left as they were)", report.too_few_responses),
            ("Never asked", report.never_asked),
        ]
        for title, items in sections:
            if not items:
                continue
            self.stdout.write(f"{title}: {len(items)}")
            for item_id in items:
                result = report.items[item_id]
                extra = f"rmsd {result.rmsd:.3f}" if result.rmsd is not None else ""
                extra = extra or f"{result.responses} responses"
                self.stdout.write(f"  {item_id}  {prompts[item_id][:60]}  ({extra})")
