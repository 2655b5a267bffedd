"""The commission-run measures (issue 17): one business with many customers, the monthly run
and its no-op rerun, against INSERT…SELECT computing the same rows into the same ledgers.

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
from refairn.demo.benchmark.database import rows_copy
from refairn.demo.benchmark.figures import Measure, Timed, timed
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
    rows_copy(
        User,
        ("id", "email", "name", "password", "is_active", "is_staff", "is_superuser", "date_joined"),
        (
            (pk, f"agent{n}@bench.test", f"Agent {n}", "!", True, False, False, began)
            for n, pk in enumerate(agent_ids)
        ),
    )
    rows_copy(
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
    rows_copy(
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
        rows_copy(
            Customer,
            CUSTOMER_FIELDS,
            customer_rows,
        )
        rows_copy(
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


# --- the floor: INSERT…SELECT computing the same rows into the same ledgers -------------------

_DIALECT = {
    "postgresql": {
        "date": "CAST({} AS date)",
        "days": "({} - {})",
        "month": "(EXTRACT(YEAR FROM {0}) * 12 + EXTRACT(MONTH FROM {0}))",
        "max": "GREATEST",
        "min": "LEAST",
        "text": "CAST({} AS text)",
        "new_id": "gen_random_uuid()",
    },
    "sqlite": {
        "date": "date({})",
        "days": "CAST(julianday({}) - julianday({}) AS INTEGER)",
        "month": "(CAST(strftime('%%Y', {0}) AS INTEGER) * 12"
        " + CAST(strftime('%%m', {0}) AS INTEGER))",
        "max": "MAX",
        "min": "MIN",
        "text": "CAST({} AS text)",
        # Django keeps a UUID on SQLite as 32 hex digits.
        "new_id": "lower(hex(randomblob(16)))",
    },
}


def _floor_sql(business: Business, period: Period) -> tuple[list[str], dict[str, Any]]:
    """The referral one-offs, referral recurring months and support months ``period`` owes, as
    the seeded program shapes them (one subscription and at most one assignment per customer,
    support access active throughout), with the run's keys, amounts and day rule: one
    INSERT…SELECT into each ledger, so the floor pays the same indexes, constraints and
    foreign keys the run does."""
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
    columns = "id, business_id, agent_id, customer_id, kind, period, amount, currency, key,"
    columns += " created_at, reason"
    trailer = "%(currency)s, key, %(now)s, ''"
    referral = f"""
        INSERT INTO {ReferralEntry._meta.db_table} ({columns})
        SELECT {d["new_id"]}, business_id, agent_id, customer_id, kind, %(period)s, amount,
               {trailer}
          FROM (SELECT c.business_id, c.referred_by_id AS agent_id, c.id AS customer_id,
                       'referral_one_off' AS kind, %(one_off)s AS amount,
                       'referral:referral_one_off:' || {prefix} AS key
                  FROM programs_customer c
                 WHERE c.business_id = %(business)s AND c.referred_by_id IS NOT NULL
                   AND c.subscribed_at >= %(start)s AND c.subscribed_at < %(end)s
                UNION ALL
                SELECT business_id, referred_by_id, id, 'referral_recurring', amount,
                       'referral:referral_recurring:' || prefix || ':' || %(period)s
                  FROM (SELECT c.business_id, c.referred_by_id, c.id, {prefix} AS prefix,
                               ROUND(c.monthly_value * %(percent)s / 100
                                     * {days(held_to, held_from)} / %(month_days)s, 2) AS amount
                          FROM programs_customer c
                         WHERE c.business_id = %(business)s AND c.referred_by_id IS NOT NULL
                           AND c.subscribed_at < %(end)s
                           AND (c.cancelled_at IS NULL OR c.cancelled_at >= %(start)s)
                           AND %(ordinal)s - {month("c.subscribed_at")} < %(months)s
                           AND {days(held_to, held_from)} > 0) recurring
                 WHERE amount > 0) owed
         WHERE 1 = 1  -- SQLite reads "ON" after a bare FROM as a join's; a WHERE ends the SELECT
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608 - the interpolated parts are this module's own SQL fragments
    support = f"""
        INSERT INTO {SupportEntry._meta.db_table} ({columns})
        SELECT {d["new_id"]}, business_id, agent_id, customer_id, 'support_monthly', %(period)s,
               amount, {trailer}
          FROM (SELECT c.business_id, a.agent_id, c.id AS customer_id,
                       ROUND(%(support)s * {days(support_to, support_from)} / %(month_days)s, 2)
                         AS amount,
                       'support:support_monthly:' || {prefix} || ':'
                         || {text.format("a.agent_id")} || ':' || %(period)s AS key
                  FROM programs_customer c
                  JOIN support_assignment a ON a.customer_id = c.id
                 WHERE c.business_id = %(business)s
                   AND c.subscribed_at < %(end)s
                   AND (c.cancelled_at IS NULL OR c.cancelled_at >= %(start)s)
                   AND a.started_at < %(end)s
                   AND (a.ended_at IS NULL OR a.ended_at > %(start)s)
                   AND {days(support_to, support_from)} > 0) owed
         WHERE amount > 0
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608 - the interpolated parts are this module's own SQL fragments
    params = {
        "business": Customer._meta.get_field("business").get_db_prep_value(business.id, connection),
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
        "currency": business.currency,
        "now": clock.now(),
    }
    return [referral, support], params


Sums = dict[str, tuple[int, Decimal]]


class _FloorRolledBack(Exception):
    """Raised to undo the floor's rows once they are counted: the run itself writes them next."""


@dataclass
class _Floor:
    timing: Timed
    rows: int
    sums: Sums


def _floor_insert(program: CommissionProgram, period: Period) -> _Floor:
    """Insert the month's rows into the ledgers with foreign keys checked as each row goes in
    (PostgreSQL defers Django's foreign keys to commit, which a rolled-back floor never
    reaches), read the rows' sums, and roll everything back."""
    statements, params = _floor_sql(program.business, period)
    found: list[_Floor] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with timed() as timing:
                rows = 0
                for sql in statements:
                    cursor.execute(sql, params)
                    rows += cursor.rowcount
            found.append(_Floor(timing, rows, _ledger_sums(run_id=None)))
            raise _FloorRolledBack
    except _FloorRolledBack:
        pass
    return found[0]


def _ledger_sums(run_id: uuid.UUID | None) -> Sums:
    """Rows and amount per kind of one run's accruals (``None``: the floor's, which have no run)."""
    sums = {}
    for model in (ReferralEntry, SupportEntry):
        entries = model.objects.filter(run_id=run_id, reverses__isnull=True)
        rows = entries.values("kind").annotate(n=Count("id"))
        for row in rows.annotate(total=Sum("amount")):
            sums[row["kind"]] = (row["n"], row["total"].quantize(Decimal("0.01")))
    return sums


def measure(program: CommissionProgram, runs: int) -> list[Measure]:
    """Run ``runs`` months (the last ended ones), each timed against its floor, then rerun
    each one timed against the floor's own no-op rerun."""
    first_run = Measure("commission run", "INSERT…SELECT of the same rows into the ledgers")
    rerun = Measure("commission rerun (no-op)", "the same INSERT…SELECT, ON CONFLICT: 0 rows")
    month = Period.of(program.now).previous()
    mismatches = []
    # The statements link to a page: a serving process has imported its URLs before its
    # first request, so that one-off import is not a run's cost.
    get_resolver().url_patterns  # noqa: B018 - the import is the point
    for _ in range(runs):
        floor = _floor_insert(program, month)
        with clock.frozen(program.now), timed() as run:
            result = commission_run(
                actor=None,
                business=program.business,
                period=month,
                trigger=CommissionRun.Trigger.COMMAND,
            )
        first_run.add(run, floor.timing)
        first_run.rows = result.entries_created
        computed = _ledger_sums(result.run_id)
        if floor.rows != result.entries_created or computed != floor.sums:
            mismatches.append(f"{month}: run {computed}, floor {floor.sums}")
        # The month's rows are in the ledgers now: the same statements insert nothing.
        floor_again = _floor_insert(program, month).timing
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
