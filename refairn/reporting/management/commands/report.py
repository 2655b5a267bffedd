"""``refairn report dashboard --business <slug> [--as-of ...] [--format text|json|csv]`` and
``refairn report quarterly --business <slug> [--quarter 2026-Q4] [--format text|json]``
(PRODUCT.md §8, for the operator: no login, the business named by its slug)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from refairn.core.errors import DomainError
from refairn.programs.selectors import business_by_slug
from refairn.reporting.domain.csv_export import tables_to_csv
from refairn.reporting.domain.dashboard_text import render_dashboard_text
from refairn.reporting.domain.json_export import dashboard_to_json, quarterly_to_json
from refairn.reporting.domain.quarterly_text import render_quarterly_text
from refairn.reporting.selectors import (
    dashboard_build,
    quarterly_report_build,
    report_as_of,
    report_quarter,
)


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        message = f"--as-of {text!r}: give an ISO 8601 time such as 2026-01-20T09:00Z"
        raise CommandError(message) from None


class Command(BaseCommand):
    help = "Reports. `dashboard`: the certification dashboard; `quarterly`: a quarter's report."

    def add_arguments(self, parser: CommandParser) -> None:
        reports = parser.add_subparsers(dest="report", required=True)
        dashboard = reports.add_parser("dashboard", help="the certification dashboard")
        dashboard.add_argument("--business", required=True, help="the business's slug")
        dashboard.add_argument("--as-of", help="ISO 8601 instant with offset (default: now)")
        dashboard.add_argument("--format", choices=["text", "json", "csv"], default="text")
        dashboard.add_argument(
            "--table",
            help="with --format csv: one table (default: every table, one after another)",
        )
        quarterly = reports.add_parser("quarterly", help="a quarter's report")
        quarterly.add_argument("--business", required=True, help="the business's slug")
        quarterly.add_argument("--quarter", help="YYYY-QN (default: the current quarter)")
        quarterly.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            business = business_by_slug(options["business"])
            if options["report"] == "dashboard":
                self._dashboard(business, options)
            else:
                self._quarterly(business, options)
        except DomainError as exc:
            raise CommandError(exc.detail) from None

    def _dashboard(self, business: Any, options: dict[str, Any]) -> None:
        given = options.get("as_of")
        as_of = report_as_of(_instant(given) if given else None)
        dashboard = dashboard_build(business, as_of=as_of)
        if options["format"] == "json":
            self.stdout.write(json.dumps(dashboard_to_json(dashboard), indent=2))
        elif options["format"] == "csv":
            tables = tables_to_csv(dashboard)
            wanted = options.get("table")
            if wanted is not None and wanted not in tables:
                raise CommandError(f"--table: one of {', '.join(tables)}")
            for name, text in tables.items():
                if wanted in (None, name):
                    if wanted is None:
                        self.stdout.write(f"# {name}")
                    self.stdout.write(text, ending="")
        else:
            self.stdout.write(render_dashboard_text(dashboard), ending="")

    def _quarterly(self, business: Any, options: dict[str, Any]) -> None:
        report = quarterly_report_build(business, quarter=report_quarter(options.get("quarter")))
        if options["format"] == "json":
            self.stdout.write(json.dumps(quarterly_to_json(report), indent=2))
        else:
            self.stdout.write(render_quarterly_text(report), ending="")
