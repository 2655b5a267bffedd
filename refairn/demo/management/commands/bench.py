"""``refairn bench``: the platform's performance at scale, each measure against its floor
(issue 17).

    refairn bench                       # small scale (a few minutes on SQLite)
    refairn bench --scale full --runs 3 --db postgres://postgres@127.0.0.1:5432/x
    refairn bench --only sweep --only routing --json figures.json

Measures (``--only``, repeatable): ``reads`` (the staff's ticket list and an agent's workspace
per request), ``sweep`` (the SLA sweep with 1% of open tickets due, at a tenth and then all of
the open tickets), ``routing`` (ticket creation with 2,000 eligible agents, p50 and p99),
``dashboard`` (2,000 agents, and one business among many), ``commission`` (the monthly run and
its no-op rerun). Figures and the machine's load average are printed, never asserted.

It creates its own database (on the server of ``--db``, default ``DATABASE_URL``, or a
temporary SQLite file), seeds it with bulk inserts (COPY on PostgreSQL), times every measure
``--runs`` times with its floor measured in the same run, prints one table and drops the
database. A user's data is never read or written. ``docs/scaling.md`` reads the figures.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from refairn.core.heap import heap_settle

MEASURES = ("reads", "sweep", "routing", "dashboard", "commission")
SCALES = {"full": 1.0, "small": 0.05, "tiny": 0.002}
DEFAULT_SCALE = "small"


def scale_value(text: str) -> float:
    """``full`` (the issue's sizes), ``small``, ``tiny`` or a fraction of the full sizes."""
    if text in SCALES:
        return SCALES[text]
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"--scale {text!r}: a number or one of {', '.join(SCALES)}") from None
    if not 0 < value <= 10:
        raise CommandError("--scale must be above 0 and at most 10")
    return value


class Command(BaseCommand):
    help = "Benchmark the platform at scale in a throwaway database; one table of figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--db",
            default=None,
            help="database URL whose server hosts the throwaway database (default: DATABASE_URL,"
            " else SQLite)",
        )
        parser.add_argument(
            "--scale",
            default=DEFAULT_SCALE,
            help=f"full (the issue's sizes: 100,000 customers), {', '.join(SCALES)}, or a "
            f"fraction such as 0.2 (default {DEFAULT_SCALE})",
        )
        parser.add_argument("--only", choices=MEASURES, action="append", help="one measure")
        parser.add_argument("--runs", type=int, default=3, help="timed runs per measure (≥ 3)")
        parser.add_argument("--json", type=Path, default=None, help="also write the figures here")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["runs"] < 3:
            raise CommandError("--runs must be at least 3")
        scale = scale_value(options["scale"])
        url = options["db"]
        if url is not None and url != os.environ.get("DATABASE_URL"):
            # Another database engine needs another connection setup: this process's Django
            # is configured already, so the benchmark runs in a fresh one.
            argv = [a for a in sys.argv[1:] if a not in ("--db", url) and not a.startswith("--db=")]
            env = {**os.environ, "DATABASE_URL": url}
            code = subprocess.call([sys.executable, "-m", "refairn.cli", *argv], env=env)  # noqa: S603 - our own argv
            if code:
                raise CommandError(f"the benchmark exited with {code}")
            return
        # A stopped benchmark still drops its database (the ``finally`` of the isolation).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        figures = self._run(scale, options["runs"], options["only"] or list(MEASURES))
        if options["json"] is not None:
            options["json"].write_text(json.dumps(figures, indent=2) + "\n")

    def _run(self, scale: float, runs: int, only: list[str]) -> dict[str, Any]:
        from refairn.demo.benchmark import commission_program, dashboard_program, support_program
        from refairn.demo.benchmark.database import isolated_database
        from refairn.demo.benchmark.figures import report, table

        # Measured as a served process runs (``refairn.wsgi``, ``refairn worker``): what it
        # loaded at start is exempt from the garbage collector's full passes.
        heap_settle()
        with isolated_database() as where:
            self.stdout.write(f"{where}, scale {scale:g}, {runs} runs per measure")
            now = datetime.now(UTC).replace(microsecond=0)
            measures, seeded = [], {}
            if {"reads", "sweep", "routing"} & set(only):
                support = support_program.seed(scale, now, self._progress)
                seeded["support_agents"] = len(support.agents)
                if "reads" in only:
                    self._say("measuring the ticket list and the workspace")
                    measures += support_program.measure_reads(support, runs)
                if "sweep" in only:
                    self._say(f"measuring the SLA sweep over {support.open_tickets:,} open tickets")
                    measures.append(support_program.measure_sweep(support, runs))
                    support_program.grow(support, self._progress)
                    self._say(f"measuring the SLA sweep over {support.open_tickets:,} open tickets")
                    measures.append(support_program.measure_sweep(support, runs))
                seeded["support_open_tickets"] = support.open_tickets
                if "routing" in only:
                    self._say("measuring ticket creation with routing")
                    measures += support_program.measure_routing(support, runs)
            if "dashboard" in only:
                program = dashboard_program.seed(scale, now, self._progress)
                seeded["dashboard_agents"] = program.agents
                seeded["dashboard_businesses"] = program.businesses + 1
                self._say("measuring the dashboard")
                measures += dashboard_program.measure(program, runs)
            if "commission" in only:
                commissions = commission_program.seed(scale, now, self._progress)
                seeded["commission_customers"] = commissions.customers
                self._say("measuring commission runs")
                measures += commission_program.measure(commissions, runs)
            figures = report(
                database=connection.vendor, scale=scale, runs=runs, measures=measures, seeded=seeded
            )
        self.stdout.write(table(figures["measures"]))
        load = ", ".join(f"{x:.2f}" for x in figures["load_average"])
        self.stdout.write(f"load average at the end: {load}")
        return figures

    def _say(self, text: str) -> None:
        self.stdout.write(f"{text} ...")
        self.stdout.flush()

    def _progress(self, what: str, done: int, total: int) -> None:
        # "\r" redraws the counter in place on a terminal; the last state ends the line.
        end = "\n" if done == total else ""
        self.stdout.write(f"\rseeding {what}: {done:,}/{total:,}", ending=end)
        self.stdout.flush()
