"""``refairn credentials rotate-key --business <slug>`` (PRODUCT.md §11)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from refairn.core.errors import DomainError
from refairn.credentials.services import signing_key_rotate
from refairn.programs.selectors import business_by_slug


class Command(BaseCommand):
    help = "Verifiable credentials. `rotate-key`: give a business a new signing key."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rotate = actions.add_parser(
            "rotate-key",
            help="retire the business's signing key and make a new one; the old public key "
            "stays published, so credentials it signed still verify",
        )
        rotate.add_argument("--business", required=True, help="the business's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            business = business_by_slug(options["business"])
            key = signing_key_rotate(business=business)
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(f"{business.slug}: new signing key {key.kid}")
