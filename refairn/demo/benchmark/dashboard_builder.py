"""The dashboard benchmark's program builder (issue 17): one business with the seed's six tracks,
its agents' certification histories, graded attempts (ten questions each) and tickets spread over
the last year with their events, replies, ratings and routing decisions, all with bulk_create in
chunks through ``records``. ``refairn bench --only dashboard`` and ``bench/dashboard.py`` both
build through it, so it lives in the installed package.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from refairn.certification.domain import certification_expiry
from refairn.certification.domain.status import Event
from refairn.certification.models import Certification
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from refairn.reporting.selectors import dashboard_build
from refairn.routing.domain.defaults import support_standard_rules
from refairn.routing.models import RoutingRuleSet
from refairn.training.models import Track

DAY = timedelta(days=1)
QUESTIONS_PER_TRACK = 40
QUESTIONS_PER_ATTEMPT = 10
CUSTOMERS_PER_AGENT = 2
CHUNK = 5000
# Chance an agent holds a track, by its requirement.
HOLDS = {"required": 0.85, "recommended": 0.6, "optional": 0.35}
# The third seed's tracks: name, requirement, security critical, months, completion target, key.
TRACKS = (
    ("Product Fundamentals", "required", False, 12, "100", "pf"),
    ("Security & Compliance", "required", True, 6, "100", "sec"),
    ("Advanced Troubleshooting", "required", False, 12, "80", "adv"),
    ("Billing & Accounts", "optional", False, 12, "50", "bill"),
    ("Customer Success", "optional", False, 12, "20", "cs"),
    ("De-escalation", "recommended", False, 12, "70", "desc"),
)


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
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - seeded data, not secrets
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
    records: Records,
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
    records: Records,
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
    results = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            dashboard_build(business, as_of=as_of)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        results.append(Timing(elapsed, cpu, len(queries)))
    return results
