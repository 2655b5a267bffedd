"""``refairn backup [--output PATH]``: a consistent copy of the whole database (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from refairn.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back the database up while it runs: SQLite with its online backup API, PostgreSQL "
        "with pg_dump (custom format). Prints the path of the file written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="where to write (default: $REFAIRN_DATA_DIR/backups/refairn-<UTC time>.sqlite3 "
            "or .dump)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(path))
