"""``refairn routing_standing [--check] [--business <slug>]``: recount every agent's routing
standing (open workload, last routed at) from the tickets and routing decisions and repair the
stored rows that differ (issue 17). ``--check`` only reports, and exits 1 on any difference."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from refairn.core.errors import DomainError
from refairn.programs.selectors import business_by_slug
from refairn.support.services.routing_standing import routing_standings_rebuild


class Command(BaseCommand):
    help = "Recount agents' routing standing (workload, last routed) and repair what drifted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="report only; exit 1 on drift")
        parser.add_argument("--business", help="one business's slug (default: every business)")

    def handle(self, *args: Any, **options: Any) -> None:
        business_id = None
        if options["business"]:
            try:
                business_id = business_by_slug(options["business"]).id
            except DomainError as exc:
                raise CommandError(str(exc)) from None
        drifts = routing_standings_rebuild(business_id=business_id, repair=not options["check"])
        for drift in drifts:
            self.stdout.write(
                f"business {drift.business_id} agent {drift.agent_id}: stored "
                f"{drift.stored[0]} open, last routed {drift.stored[1]}; counted "
                f"{drift.counted[0]} open, last routed {drift.counted[1]}"
            )
        if options["check"] and drifts:
            raise CommandError(f"{len(drifts)} routing standings differ from the recount")
        verb = "differ" if options["check"] else "repaired"
        self.stdout.write(f"{len(drifts)} routing standings {verb}")
