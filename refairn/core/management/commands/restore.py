"""``refairn restore PATH``: replace the database's content with a backup (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from refairn.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the content of the configured database with a backup made by `refairn "
        "backup` (same engine). Stop `refairn serve` and `refairn worker` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = connection.settings_dict["NAME"]
        if options["interactive"]:
            answer = input(
                f"This replaces everything in the {connection.vendor} database {name!s} with "
                f"{options['path']}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            restored = restore(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {restored.source} into {restored.database}.")
        if restored.pending_migrations:
            self.stdout.write(
                f"The backup predates {len(restored.pending_migrations)} migration(s) of this "
                "version: run `refairn migrate` before serving."
            )
