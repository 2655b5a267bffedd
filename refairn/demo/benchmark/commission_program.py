"""The commission-run measures (issue 17): one business with many customers, the monthly run
and its no-op rerun, against one INSERT…SELECT computing the same rows.

Seeded program: agents with support access since the business began; customers subscribed over
the last 18 months (most referred by an agent, some cancelled since), most assigned to an agent
from the day they subscribed. Each timed run accrues its own ended month, because a ledger is
append-only: a month, once run, can only be rerun.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import get_resolver

from refairn.accounts.models import User
from refairn.commissions.domain.periods import Period
from refairn.commissions.models import CommissionRun, ReferralEntry, SupportEntry
from refairn.commissions.services import commission_run
from refairn.core import clock
from refairn.demo.benchmark.database import rows_insert
from refairn.demo.benchmark.figures import Measure, timed
from refairn.programs.domain import AgentStatus, Tier
from refairn.programs.models import Agent, Business, Customer
from refairn.support.domain.access import AccessStatus
from refairn.support.models import Assignment, SupportAccessEvent

CUSTOMERS = 100_000
CUSTOMERS_PER_AGENT = 50
MONTHS_OF_CUSTOMERS = 18
REFERRED, CANCELLED, ASSIGNED = 0.95, 0.1, 0.9
# The business's terms are the defaults: 25.00 one-off, 10 % for 12 months, 20.00 support.
ONE_OFF, RECURRING_PERCENT, RECURRING_MONTHS, SUPPORT_AMOUNT = "25.00", "10", 12, "20.00"
CHUNK = 10_000
CUSTOMER_FIELDS = (
    "id",
    "business",
    "name",
    "email",
    "tier",
    "monthly_value",
    "referred_by",
    "subscribed_at",
    "cancelled_at",
    "created_at",
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CommissionProgram:
    business: Business
    customers: int
    now: datetime


def seed(scale: float, now: datetime, progress: Progress) -> CommissionProgram:
    rng = random.Random(17)  # noqa: S311 - seeded data, not secrets
    customers = max(50, round(CUSTOMERS * scale))
    agents = max(2, customers // CUSTOMERS_PER_AGENT)
    began = now - timedelta(days=31 * (MONTHS_OF_CUSTOMERS + 2))
    business = Business.objects.create(name="Bench", slug="bench-commissions", created_at=began)
    agent_ids = [uuid.uuid4() for _ in range(agents)]
    rows_insert(
        User,
        ("id", "email", "name", "password", "is_active", "is_staff", "is_superuser", "date_joined"),
        (
            (pk, f"agent{n}@bench.test", f"Agent {n}", "!", True, False, False, began)
            for n, pk in enumerate(agent_ids)
        ),
    )
    rows_insert(
        Agent,
        (
            "business",
            "user",
            "status",
            "applied_at",
            "decided_at",
            "decision_reason",
            "support_level",
        ),
        ((business.id, pk, AgentStatus.APPROVED, began, began, "", "L1") for pk in agent_ids),
    )
    rows_insert(
        SupportAccessEvent,
        ("business", "agent", "event", "from_status", "to_status", "at", "reason"),
        (
            (business.id, pk, "grant", AccessStatus.NONE, AccessStatus.ACTIVE, began, "")
            for pk in agent_ids
        ),
    )
    span = (now - timedelta(days=30.5 * MONTHS_OF_CUSTOMERS), now)
    for start in range(0, customers, CHUNK):
        count = min(CHUNK, customers - start)
        customer_rows, assignment_rows = [], []
        for n in range(start, start + count):
            pk = uuid.uuid4()
            subscribed = span[0] + (span[1] - span[0]) * rng.random()
            cancelled = (
                subscribed + (now - subscribed) * rng.random() if rng.random() < CANCELLED else None
            )
            referrer = rng.choice(agent_ids) if rng.random() < REFERRED else None
            value = Decimal(rng.randint(900, 49_900)) / 100
            customer_rows.append(
                (
                    pk,
                    business.id,
                    f"Customer {n}",
                    "",
                    Tier.STANDARD,
                    value,
                    referrer,
                    subscribed,
                    cancelled,
                    subscribed,
                )
            )
            if rng.random() < ASSIGNED:
                assignment_rows.append(
                    (
                        uuid.uuid4(),
                        business.id,
                        pk,
                        rng.choice(agent_ids),
                        subscribed,
                        cancelled,
                        "",
                    )
                )
        rows_insert(
            Customer,
            CUSTOMER_FIELDS,
            customer_rows,
        )
        rows_insert(
            Assignment,
            ("id", "business", "customer", "agent", "started_at", "ended_at", "end_reason"),
            assignment_rows,
        )
        progress("customers", start + count, customers)
    _analyze()
    return CommissionProgram(business, customers, now)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the floor: one INSERT…SELECT computing the same rows ---------------------------------

_DIALECT = {
    "postgresql": {
        "date": "CAST({} AS date)",
        "days": "({} - {})",
        "month": "(EXTRACT(YEAR FROM {0}) * 12 + EXTRACT(MONTH FROM {0}))",
        "max": "GREATEST",
        "min": "LEAST",
        "text": "CAST({} AS text)",
    },
    "sqlite": {
        "date": "date({})",
        "days": "CAST(julianday({}) - julianday({}) AS INTEGER)",
        "month": "(CAST(strftime('%%Y', {0}) AS INTEGER) * 12"
        " + CAST(strftime('%%m', {0}) AS INTEGER))",
        "max": "MAX",
        "min": "MIN",
        "text": "CAST({} AS text)",
    },
}

FLOOR_TABLE = "bench_commission_floor"


def _floor_sql(business_id: uuid.UUID, period: Period) -> tuple[str, dict[str, Any]]:
    """The referral one-offs, referral recurring months and support months ``period`` owes, as
    the seeded program shapes them (one subscription and at most one assignment per customer,
    support access active throughout), with the run's keys, amounts and day rule."""
    d = _DIALECT[connection.vendor]
    date, days, month, text = d["date"].format, d["days"].format, d["month"].format, d["text"]
    greatest, least = d["max"], d["min"]
    first, after = period.first_day.isoformat(), period.end.date().isoformat()
    ordinal = period.year * 12 + period.month
    held_from = f"{greatest}({date('c.subscribed_at')}, {date('%(first)s')})"
    after_day = date("%(after)s")
    held_to = f"{least}(COALESCE({date('c.cancelled_at')}, {after_day}), {after_day})"
    support_from = f"{greatest}({held_from}, {date('a.started_at')})"
    support_to = f"{least}({held_to}, COALESCE({date('a.ended_at')}, {after_day}))"
    prefix = f"{text.format('c.business_id')} || ':' || {text.format('c.id')}"
    sql = f"""
        INSERT INTO {FLOOR_TABLE} (business_id, agent_id, customer_id, kind, period, amount, key)
        SELECT c.business_id, c.referred_by_id, c.id, 'referral_one_off', %(period)s,
               %(one_off)s, 'referral:referral_one_off:' || {prefix}
          FROM programs_customer c
         WHERE c.business_id = %(business)s AND c.referred_by_id IS NOT NULL
           AND c.subscribed_at >= %(start)s AND c.subscribed_at < %(end)s
        UNION ALL
        SELECT business_id, referred_by_id, id, 'referral_recurring', %(period)s, amount,
               'referral:referral_recurring:' || prefix || ':' || %(period)s
          FROM (SELECT c.business_id, c.referred_by_id, c.id, {prefix} AS prefix,
                       ROUND(c.monthly_value * %(percent)s / 100 * {days(held_to, held_from)}
                             / %(month_days)s, 2) AS amount
                  FROM programs_customer c
                 WHERE c.business_id = %(business)s AND c.referred_by_id IS NOT NULL
                   AND c.subscribed_at < %(end)s
                   AND (c.cancelled_at IS NULL OR c.cancelled_at >= %(start)s)
                   AND %(ordinal)s - {month("c.subscribed_at")} < %(months)s
                   AND {days(held_to, held_from)} > 0) recurring
         WHERE amount > 0
        UNION ALL
        SELECT business_id, agent_id, id, 'support_monthly', %(period)s, amount,
               'support:support_monthly:' || prefix || ':' || agent || ':' || %(period)s
          FROM (SELECT c.business_id, a.agent_id, c.id, {prefix} AS prefix,
                       {text.format("a.agent_id")} AS agent,
                       ROUND(%(support)s * {days(support_to, support_from)} / %(month_days)s, 2)
                         AS amount
                  FROM programs_customer c
                  JOIN support_assignment a ON a.customer_id = c.id
                 WHERE c.business_id = %(business)s
                   AND c.subscribed_at < %(end)s
                   AND (c.cancelled_at IS NULL OR c.cancelled_at >= %(start)s)
                   AND a.started_at < %(end)s
                   AND (a.ended_at IS NULL OR a.ended_at > %(start)s)
                   AND {days(support_to, support_from)} > 0) support
         WHERE amount > 0
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608 - the interpolated parts are this module's own SQL fragments
    business = Customer._meta.get_field("business").get_db_prep_value(business_id, connection)
    params = {
        "business": business,
        "period": str(period),
        "first": first,
        "after": after,
        "start": period.start,
        "end": period.end,
        "one_off": Decimal(ONE_OFF),
        "percent": Decimal(RECURRING_PERCENT),
        "months": RECURRING_MONTHS,
        "ordinal": ordinal,
        "support": Decimal(SUPPORT_AMOUNT),
        "month_days": period.days,
    }
    return sql, params


def _floor_table_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(
            f"""CREATE TABLE {FLOOR_TABLE} (
                business_id varchar(36) NOT NULL, agent_id varchar(36) NOT NULL,
                customer_id varchar(36) NOT NULL, kind varchar(32) NOT NULL,
                period varchar(7) NOT NULL, amount numeric(12, 2) NOT NULL,
                key varchar(255) NOT NULL UNIQUE)"""
        )


def _floor_insert(program: CommissionProgram, period: Period) -> int:
    sql, params = _floor_sql(program.business.id, period)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _floor_sums() -> dict[str, tuple[int, Decimal]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, COUNT(*), SUM(amount) FROM {FLOOR_TABLE} GROUP BY kind")  # noqa: S608
        # SQLite adds the amounts as binary floats: the sum of cents is exact once rounded.
        cent = Decimal("0.01")
        rows = cursor.fetchall()
    return {kind: (count, Decimal(str(total)).quantize(cent)) for kind, count, total in rows}


def _run_sums(run_id: uuid.UUID) -> dict[str, tuple[int, Decimal]]:
    sums = {}
    for model in (ReferralEntry, SupportEntry):
        rows = model.objects.filter(run_id=run_id).values("kind").annotate(n=Count("id"))
        for row in rows.annotate(total=Sum("amount")):
            sums[row["kind"]] = (row["n"], row["total"].quantize(Decimal("0.01")))
    return sums


def measure(program: CommissionProgram, runs: int) -> list[Measure]:
    """Run ``runs`` months (the last ended ones), each timed against its floor, then rerun
    each one timed against the floor's own no-op rerun."""
    first_run = Measure("commission run", "INSERT…SELECT of the same rows")
    rerun = Measure("commission rerun (no-op)", "the same INSERT…SELECT, ON CONFLICT: 0 rows")
    month = Period.of(program.now).previous()
    mismatches = []
    # The statements link to a page: a serving process has imported its URLs before its
    # first request, so that one-off import is not a run's cost.
    get_resolver().url_patterns  # noqa: B018 - the import is the point
    for _ in range(runs):
        _floor_table_create()
        with timed() as floor:
            expected = _floor_insert(program, month)
        with clock.frozen(program.now), timed() as run:
            result = commission_run(
                actor=None,
                business=program.business,
                period=month,
                trigger=CommissionRun.Trigger.COMMAND,
            )
        first_run.add(run, floor)
        first_run.rows = result.entries_created
        computed, floor_sums = _run_sums(result.run_id), _floor_sums()
        if expected != result.entries_created or computed != floor_sums:
            mismatches.append(f"{month}: run {computed}, floor {floor_sums}")
        with timed() as floor_again:
            _floor_insert(program, month)
        with clock.frozen(program.now), timed() as again:
            repeated = commission_run(
                actor=None,
                business=program.business,
                period=month,
                trigger=CommissionRun.Trigger.COMMAND,
            )
        rerun.add(again, floor_again)
        rerun.rows = repeated.entries_created
        month = month.previous()
    first_run.note = (
        "rows differ: " + "; ".join(mismatches) if mismatches else "same rows and sums per kind"
    )
    return [first_run, rerun]
