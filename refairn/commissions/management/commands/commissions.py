"""``refairn commissions run --business <slug> --period 2026-11`` (PRODUCT.md §10)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from refairn.commissions.models import CommissionRun
from refairn.commissions.services import commission_run
from refairn.core.errors import DomainError
from refairn.programs.selectors import business_by_slug

BAR_WIDTH = 30


def progress_bar(done: int, total: int) -> str:
    """``[#########---------------------]  30/100 customers``"""
    filled = BAR_WIDTH if total == 0 else BAR_WIDTH * done // total
    return (
        f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:>{len(str(total))}}/{total} customers"
    )


class Command(BaseCommand):
    help = "Commission ledgers. `run`: accrue a month that has ended for one business."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="accrue one month (idempotent: reruns add nothing)")
        run.add_argument("--business", required=True, help="the business's slug")
        run.add_argument("--period", required=True, help="the month, YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            business = business_by_slug(options["business"])
            result = commission_run(
                actor=None,
                business=business,
                period=options["period"],
                trigger=CommissionRun.Trigger.COMMAND,
                progress=self._draw,
            )
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            f"{business.slug} {result.period}: {result.entries_created} entries created, "
            f"{result.entries_existing} already in the ledger."
        )

    def _draw(self, done: int, total: int) -> None:
        # "\r" redraws the bar in place on a terminal; the last state ends the line.
        self.stdout.write("\r" + progress_bar(done, total), ending="\n" if done == total else "")
        self.stdout.flush()
