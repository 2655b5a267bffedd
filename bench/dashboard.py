"""How long the certification dashboard takes on a large program, and how many queries it needs
(issue 6: "reports must stay fast").

    .venv/bin/python bench/dashboard.py [--agents 2000 --attempts 50000 --tickets 200000]
    .venv/bin/python bench/dashboard.py --small          # a quick smoke run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/dashboard.py

It builds one business with ``refairn.demo.benchmark.dashboard_builder`` (six tracks, the
agents' certification histories, graded attempts and a year of tickets; ``refairn bench --only
dashboard`` builds through it too), then times the dashboard as of now. SQLite runs in a
fresh temporary data directory; PostgreSQL in a throwaway database (``--db-name``, default
refairn_bench) on the server of DATABASE_URL, created and dropped here. Figures are printed,
never asserted (STYLE.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _analyze() -> None:
    """PostgreSQL: gather the planner's statistics, as autovacuum does within a minute of a
    large insert on a live server. Timed right after a bulk load, the planner would instead
    believe every table empty and pick nested loops (the routing query then takes minutes).
    SQLite keeps no statistics unless asked, and a server is never asked: left as it is."""
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"ANALYZE, as autovacuum does after a bulk load: {time.perf_counter() - started:.1f} s"
        )


@contextmanager
def _throwaway_database(db_name: str) -> Iterator[str]:
    """SQLite: a fresh data directory. PostgreSQL: ``db_name`` on DATABASE_URL's server,
    created empty and dropped afterwards. Yields a description."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        data_dir = tempfile.mkdtemp(prefix="refairn-bench-")
        os.environ["REFAIRN_DATA_DIR"] = data_dir
        try:
            yield f"SQLite in {data_dir}"
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        return
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{db_name}"))
    os.environ.setdefault("REFAIRN_DATA_DIR", tempfile.mkdtemp(prefix="refairn-bench-"))
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
        server.execute(f'CREATE DATABASE "{db_name}"')
    try:
        yield f"PostgreSQL database {db_name} on {parts.hostname}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{db_name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--attempts", type=int, default=50_000)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument(
        "--small", action="store_true", help="20 agents, 500 attempts, 2,000 tickets"
    )
    parser.add_argument("--runs", type=int, default=3, help="dashboard builds to time")
    parser.add_argument("--db-name", default="refairn_bench", help="PostgreSQL only")
    args = parser.parse_args(argv)

    # A stopped run still drops its throwaway database (the ``finally`` below runs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "refairn.settings"
    with _throwaway_database(args.db_name) as where:
        import django

        django.setup()
        from django.core.management import call_command

        from refairn.core import clock
        from refairn.demo.benchmark.dashboard_builder import (
            DAY,
            Size,
            build_program,
            time_dashboard,
        )
        from refairn.programs.models import Business

        size = Size(20, 500, 2000) if args.small else Size(args.agents, args.attempts, args.tickets)
        call_command("migrate", interactive=False, verbosity=0)
        now = clock.now()
        business = Business.objects.create(
            name="Bench",
            slug="bench",
            created_at=now - 1000 * DAY,
            settings={"report": {"annual_cost": "12000", "revenue_impact": "89000"}},
        )
        print(
            f"{where}: {size.agents:,} agents, 6 tracks, {size.attempts:,} attempts, "
            f"{size.tickets:,} tickets"
        )
        built = build_program(business, size, now=now)
        print(f"built {built.rows:,} rows in {built.seconds:.1f} s")
        _analyze()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f}")
        for run, timing in enumerate(time_dashboard(business, as_of=now, runs=args.runs), 1):
            print(
                f"dashboard run {run}: {timing.seconds * 1000:.0f} ms "
                f"({timing.cpu_seconds * 1000:.0f} ms CPU here), {timing.queries} queries"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
