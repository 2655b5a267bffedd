"""How long the certification dashboard takes on a large program, and how many queries it needs
(issue 6: "reports must stay fast").

    .venv/bin/python bench/dashboard.py [--agents 2000 --attempts 50000 --tickets 200000]
    .venv/bin/python bench/dashboard.py --small          # a quick smoke run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/dashboard.py

It builds one business with six tracks, the agents' certification histories, graded
assessment attempts (ten questions each) and tickets spread over the last year with their
events, replies, ratings and routing decisions, all with bulk_create; then it times the
dashboard as of now. SQLite runs in a fresh temporary data directory; PostgreSQL in a throwaway
database (``--db-name``, default refairn_bench) on the server of DATABASE_URL, created and
dropped here. Figures are printed, never asserted (STYLE.md).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from refairn.certification.models import Certification
    from refairn.programs.models import Business
    from refairn.training.models import Track

DAY = timedelta(days=1)
QUESTIONS_PER_TRACK = 40
QUESTIONS_PER_ATTEMPT = 10
CUSTOMERS_PER_AGENT = 2
CHUNK = 5000
# Chance an agent holds a track, by its requirement.
HOLDS = {"required": 0.85, "recommended": 0.6, "optional": 0.35}


@dataclass(frozen=True)
class Size:
    agents: int
    attempts: int
    tickets: int


@dataclass
class Built:
    rows: int
    seconds: float


def _history_of(rng: random.Random, joined: datetime, now: datetime, months: int) -> list[Any]:
    """A plausible certification history: certified some time after joining, then renewed at
    each expiry (usually early), sometimes left to expire, rarely revoked; or still training,
    or failed."""
    from refairn.certification.domain import certification_expiry
    from refairn.certification.domain.status import Event

    start = joined + timedelta(days=rng.randint(1, 60))
    if start >= now - DAY:
        return [(Event.START_TRAINING, now - DAY)]
    if rng.random() < 0.15:
        failed = [(Event.START_TRAINING, start), (Event.SUBMIT, start + DAY)]
        return [*failed, (Event.AUTO_FAIL, start + DAY)]
    earned = start + timedelta(days=rng.randint(3, 20))
    if earned >= now:
        return [(Event.START_TRAINING, start)]
    history = [
        (Event.START_TRAINING, start),
        (Event.SUBMIT, earned - DAY),
        (Event.AUTO_PASS, earned - DAY),
        (Event.APPROVE, earned),
    ]
    expires = certification_expiry(previous_expires_at=None, months=months, now=earned)
    while expires <= now + timedelta(days=20):
        if rng.random() < 0.1:
            history.append((Event.EXPIRE, expires))
            return history
        renewed = expires - timedelta(days=rng.randint(0, 29))
        if renewed >= now:
            break
        history.append((Event.RENEW, renewed))
        expires = certification_expiry(previous_expires_at=expires, months=months, now=renewed)
    if rng.random() < 0.02:
        history.append((Event.REVOKE, now - timedelta(days=rng.randint(1, 30))))
    return history


def build_program(business: Business, size: Size, *, now: datetime, seed: int = 6) -> Built:
    """Write a program of ``size`` into ``business`` (module docs), with bulk_create in chunks.
    Deterministic for a seed."""
    from refairn.reporting.tests.records import Records
    from refairn.reporting.tests.seed_program import TRACKS
    from refairn.routing.domain.defaults import support_standard_rules
    from refairn.routing.models import RoutingRuleSet

    started = time.perf_counter()
    rng = random.Random(seed)
    records = Records(business)
    tracks = [
        records.track(name, requirement=req, security_critical=crit, months=months, position=i)
        for i, (name, req, crit, months, _, _) in enumerate(TRACKS)
    ]
    # Each question with the chance an average agent gets it right: from 95% down to 56%.
    questions = {
        track.id: [
            (
                records.question(
                    track, prompt=f"{track.name} question {n}", topic=f"Topic {n % 8}"
                ),
                0.95 - 0.01 * n,
            )
            for n in range(QUESTIONS_PER_TRACK)
        ]
        for track in tracks
    }
    agents, certifications = [], []
    for n in range(size.agents):
        joined = now - timedelta(days=rng.randint(5, 3 * 365))
        agent = records.agent(f"Agent {n:05d}", joined_at=joined)
        agents.append(agent)
        for track in tracks:
            if rng.random() < HOLDS[track.requirement]:
                history = _history_of(rng, joined, now, track.recertification_months)
                certifications.append(
                    (records.certification(agent, track, history), track, history[-1][1])
                )
    tiers = ["standard", "premium", "enterprise"]
    customers = [
        records.customer(f"Customer {n}", tier=rng.choice(tiers), since=now - 800 * DAY)
        for n in range(max(1, size.agents * CUSTOMERS_PER_AGENT))
    ]
    RoutingRuleSet.objects.create(
        business=business,
        rules=support_standard_rules({track.name: str(track.id) for track in tracks}),
    )
    rows = records.flush()
    rows += _attempts(records, rng, size.attempts, certifications, questions)
    rules = [rule["name"] for rule in RoutingRuleSet.objects.get(business=business).rules]
    rows += _tickets(
        records, rng, size.tickets, now=now, agents=agents, customers=customers, rules=rules
    )
    return Built(rows=rows + 1, seconds=time.perf_counter() - started)


def _attempts(
    records: Any,
    rng: random.Random,
    count: int,
    certifications: list[tuple[Certification, Track, datetime]],
    questions: dict[Any, list[tuple[Any, float]]],
) -> int:
    """``count`` graded attempts on random certifications, ten questions each; the attempt's
    ability moves every question's chance of being right."""
    if not certifications:
        return 0
    rows = 0
    numbers: dict[int, int] = {}
    for n in range(count):
        index = rng.randrange(len(certifications))
        certification, track, last_event = certifications[index]
        numbers[index] = numbers.get(index, 0) + 1
        ability = rng.uniform(-0.2, 0.2)
        drawn = rng.sample(questions[track.id], QUESTIONS_PER_ATTEMPT)
        earned = [(q, Decimal(int(rng.random() < chance + ability))) for q, chance in drawn]
        records.attempt(
            certification,
            track,
            submitted_at=last_event - timedelta(hours=rng.randint(1, 2000)),
            earned=earned,
            number=numbers[index],
        )
        if (n + 1) % CHUNK == 0:
            rows += records.flush()
    return rows + records.flush()


def _tickets(
    records: Any,
    rng: random.Random,
    count: int,
    *,
    now: datetime,
    agents: list[Any],
    customers: list[Any],
    rules: list[str],
) -> int:
    """``count`` tickets over the last year: most routed by a rule's certified pool, some by
    its fallback, some by no rule; most resolved, a few escalated or reopened, some rated."""
    rows = 0
    for n in range(count):
        created = now - timedelta(minutes=rng.randint(60 * 24 * 5, 60 * 24 * 365))
        routed = rng.random()
        rule = rng.choice(rules) if routed < 0.85 else None
        certified = rule is not None and routed < 0.65
        replies = rng.choice([1, 1, 1, 2, 3])
        resolved = None
        if rng.random() < 0.85:
            resolved = created + timedelta(hours=rng.randint(replies + 1, 90))
        records.ticket(
            rng.choice(customers),
            created_at=created,
            agent=rng.choice(agents) if agents else None,
            rule=rule,
            by_certification=certified,
            fallback=None if certified or rule is None else "base_track_and_notify",
            replies=replies,
            resolved_at=resolved,
            escalated_at=created + timedelta(minutes=30) if rng.random() < 0.07 else None,
            reopened_at=resolved + DAY if resolved and rng.random() < 0.03 else None,
            rating=rng.randint(2, 5) if resolved and rng.random() < 0.3 else None,
            routed=rng.random() < 0.98,
        )
        if (n + 1) % CHUNK == 0:
            rows += records.flush()
    return rows + records.flush()


@dataclass(frozen=True)
class Timing:
    seconds: float
    # This process's CPU: all of SQLite's work, only the client's with PostgreSQL.
    cpu_seconds: float
    queries: int


def time_dashboard(business: Business, *, as_of: datetime, runs: int = 3) -> list[Timing]:
    """Wall time, CPU time and query count of each of ``runs`` dashboard builds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from refairn.reporting.selectors import dashboard_build

    results = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            dashboard_build(business, as_of=as_of)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        results.append(Timing(elapsed, cpu, len(queries)))
    return results


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
    size = Size(20, 500, 2000) if args.small else Size(args.agents, args.attempts, args.tickets)

    # A stopped run still drops its throwaway database (the ``finally`` below runs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "refairn.settings"
    with _throwaway_database(args.db_name) as where:
        import django

        django.setup()
        from django.core.management import call_command

        from refairn.core import clock
        from refairn.programs.models import Business

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
