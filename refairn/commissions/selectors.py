"""Reads for the commission ledgers: the facts a run needs, and statements (PRODUCT.md §10)."""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from psycopg.types.string import TextLoader

from refairn.accounts.models import User
from refairn.commissions.domain.entries import Ledger
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.intervals import Interval
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.support_facts import AssignmentFacts, SupportAccessFacts
from refairn.commissions.models import CommissionRun, LedgerEntry, ReferralEntry, SupportEntry
from refairn.core.errors import Forbidden, NotFound, field_error
from refairn.core.money import round_money
from refairn.core.pagination import (
    Page,
    cursor_decode,
    cursor_encode,
    keyset_page,
    page_limit,
    row_values,
)
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business, Customer
from refairn.programs.selectors import actor_for
from refairn.support.domain.access import AccessStatus
from refairn.support.models import Assignment, SupportAccessEvent


def period_parse(text: str, *, field: str = "period") -> Period:
    """A "YYYY-MM" from a caller, or 422 naming the field."""
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise field_error(field, str(exc)) from None


# --- facts for a run ---------------------------------------------------------------------


@dataclass(frozen=True)
class RunFacts:
    """Everything a run of one period reads, as the domain's plain values."""

    customers: tuple[CustomerFacts, ...]
    assignments: tuple[AssignmentFacts, ...]
    access: tuple[SupportAccessFacts, ...]


def _active_intervals(changes: Iterable[tuple[str, datetime]]) -> tuple[Interval, ...]:
    """Support access history → when it was active. ``changes`` are (to_status, at) in time
    order; access is active from a change to "active" until the next change to anything else
    (suspended, removed)."""
    intervals: list[Interval] = []
    since: datetime | None = None
    for status, at in changes:
        if status == AccessStatus.ACTIVE and since is None:
            since = at
        elif status != AccessStatus.ACTIVE and since is not None:
            intervals.append(Interval(since, at))
            since = None
    if since is not None:
        intervals.append(Interval(since))
    return tuple(intervals)


Row = tuple[Any, ...]


@dataclass(frozen=True)
class FactRows:
    """The rows the facts of a period are built from, as the database driver returns them:
    customers, assignments, and the access history of every agent of the business."""

    customers: list[Row]
    assignments: list[Row]
    events: list[Row]


def run_facts_read(business_id: uuid.UUID, period: Period) -> tuple[str, FactRows]:
    """The rows of the facts of ``period`` in three queries, whatever the number of customers,
    and their SHA-256: equal digests, equal facts.

    The caller (``services.commission_run``) has checked who may run the business. Customers
    are those subscribed on some instant of the period; assignments those that overlap it;
    support access history up to its end, because the status on its first day depends on
    earlier changes. Only ``SupportAccessEvent`` rows count: an agent without one never had
    active access. Rows are read without converting values (on PostgreSQL, ids, times and
    amounts as the server's own text, in the connection's UTC), so that a finished month is
    recognised for a fraction of what computing it costs, and the month's facts are built
    from the same read (``run_facts_of``) only when they are needed (issue 17).
    """
    start, end = period.start, period.end
    reads = (
        Customer.objects.filter(business_id=business_id, subscribed_at__lt=end)
        .filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=start))
        .order_by("id")
        .values_list("id", "referred_by_id", "monthly_value", "subscribed_at", "cancelled_at"),
        Assignment.objects.filter(business_id=business_id, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .order_by("started_at", "id")
        .values_list("agent_id", "customer_id", "started_at", "ended_at"),
        SupportAccessEvent.objects.filter(business_id=business_id, at__lt=end)
        .order_by("agent_id", "at", "id")
        .values_list("agent_id", "to_status", "at"),
    )
    digest = hashlib.sha256()
    found: list[list[Row]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Parsing them into Python values was most of a no-op rerun.
            for type_name in ("uuid", "timestamptz", "numeric"):
                cursor.cursor.adapters.register_loader(type_name, TextLoader)
        for query in reads:
            cursor.execute(*query.query.sql_with_params())
            kept: list[Row] = []
            while rows := cursor.fetchmany(10_000):
                # A row's repr carries each value exactly (a Decimal keeps its exponent, a
                # timestamp its microseconds); the separator keeps the three reads apart.
                digest.update(repr(rows).encode())
                kept += rows
            digest.update(b"\x00")
            found.append(kept)
    customers, assignments, events = found
    return digest.hexdigest(), FactRows(customers, assignments, events)


def _loaders() -> tuple[Callable[[Any], str], Callable[[Any], Decimal], Callable[[Any], datetime]]:
    """How this engine's driver gives an id, an amount and a time: on PostgreSQL the server's
    text (times in UTC, ISO style); SQLite's gives ids as 32 hex digits, amounts as numbers and
    times as naive UTC datetimes."""
    if connection.vendor == "postgresql":
        return str, Decimal, datetime.fromisoformat
    return (
        lambda value: str(uuid.UUID(value)),
        # A number's repr is the shortest text that reads back as it: the amount as written.
        lambda value: round_money(Decimal(repr(value))),
        lambda value: value.replace(tzinfo=UTC),
    )


def run_facts_of(rows: FactRows) -> RunFacts:
    """The facts ``run_facts_read`` read, as the domain's plain values."""
    id_of, money_of, moment_of = _loaders()
    customers = []
    for customer_id, referred_by, monthly_value, subscribed_at, cancelled_at in rows.customers:
        subscribed = moment_of(subscribed_at)
        customers.append(
            CustomerFacts(
                customer_id=id_of(customer_id),
                referred_by=id_of(referred_by) if referred_by else None,
                monthly_value=money_of(monthly_value),
                subscribed=(Interval(subscribed, cancelled_at and moment_of(cancelled_at)),),
                first_subscribed_at=subscribed,
            )
        )
    known = {customer.customer_id for customer in customers}

    assigned: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for agent_id, customer_id, started_at, ended_at in rows.assignments:
        customer = id_of(customer_id)
        if customer in known:  # a customer not subscribed in the period earns nothing
            interval = Interval(moment_of(started_at), ended_at and moment_of(ended_at))
            assigned[(id_of(agent_id), customer)].append(interval)
    assignments = tuple(
        AssignmentFacts(agent_id, customer_id, tuple(intervals))
        for (agent_id, customer_id), intervals in assigned.items()
    )

    changes: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    agents = {agent_id for agent_id, _ in assigned}
    for agent_id, to_status, at in rows.events:
        agent = id_of(agent_id)
        if agent in agents:
            changes[agent].append((to_status, moment_of(at)))
    access = tuple(
        SupportAccessFacts(agent_id, _active_intervals(history))
        for agent_id, history in changes.items()
    )
    return RunFacts(tuple(customers), assignments, access)


# --- runs ---------------------------------------------------------------------------------


def periods_without_finished_run(business: Business, now: datetime) -> list[Period]:
    """The months that have ended since the business was created and have no finished run,
    oldest first: what the daily job owes the ledgers."""
    period, last = Period.of(business.created_at), Period.of(now).previous()
    finished = set(
        CommissionRun.objects.filter(business=business, finished_at__isnull=False).values_list(
            "period", flat=True
        )
    )
    owed = []
    while period <= last:
        if str(period) not in finished:
            owed.append(period)
        period = period.next()
    return owed


# --- statements -----------------------------------------------------------------------------

# Both ledgers are listed referral first, each in this order (``key`` is unique).
ENTRY_ORDER = ("period", "created_at", "key")


@dataclass(frozen=True)
class EntryFilter:
    """Which entries a statement or list covers; ``business_id`` None means every business
    (an agent's statement across their programs: ``agent_id`` is then always set)."""

    business_id: uuid.UUID | None
    agent_id: uuid.UUID | None = None
    period: Period | None = None
    ledger: Ledger | None = None

    def models(self) -> list[type[LedgerEntry]]:
        return [m for m in (ReferralEntry, SupportEntry) if self.ledger in (None, m.ledger)]

    def rows(self, model: type[LedgerEntry]) -> QuerySet[LedgerEntry]:
        qs: QuerySet[LedgerEntry] = model.objects.all()
        if self.business_id is not None:
            qs = qs.filter(business_id=self.business_id)
        if self.agent_id is not None:
            qs = qs.filter(agent_id=self.agent_id)
        if self.period is not None:
            qs = qs.filter(period=str(self.period))
        return qs


def _listed(queryset: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    return queryset.select_related("agent", "customer", "reverses")


def entries_page(where: EntryFilter, *, limit: int | None, cursor: str | None) -> Page[LedgerEntry]:
    """A page of entries across both ledgers, referral first. The cursor is the ledger and
    the ``ENTRY_ORDER`` values of the page's last entry; a page may span the two ledgers."""
    size = page_limit(limit)
    models = where.models()
    start, inner = 0, None
    if cursor:
        ledger, *rest = cursor_decode(cursor, 1 + len(ENTRY_ORDER))
        ledgers = [str(m.ledger) for m in models]
        if ledger not in ledgers:
            raise field_error("cursor", "is not a cursor from this list", code="invalid_cursor")
        start, inner = ledgers.index(ledger), cursor_encode(rest)
    items: list[LedgerEntry] = []
    for index in range(start, len(models)):
        model = models[index]
        page = keyset_page(
            _listed(where.rows(model)),
            order=ENTRY_ORDER,
            limit=size - len(items),
            cursor=inner if index == start else None,
        )
        items += page.items
        more = page.next_cursor is not None or (
            len(items) == size and any(where.rows(m).exists() for m in models[index + 1 :])
        )
        if more:
            return Page(items, cursor_encode([model.ledger, *row_values(items[-1], ENTRY_ORDER)]))
        if len(items) == size:
            break
    return Page(items, None)


def entries_all(where: EntryFilter) -> Iterator[LedgerEntry]:
    """Every entry, both ledgers in list order, read in chunks: an export of any size holds
    a chunk in memory, never the whole ledger."""
    for model in where.models():
        yield from _listed(where.rows(model)).order_by(*ENTRY_ORDER).iterator(chunk_size=2000)


def business_entries_filter(
    actor: Actor,
    *,
    period: str | None = None,
    agent_id: uuid.UUID | None = None,
    ledger: Ledger | None = None,
) -> EntryFilter:
    """The business's entries a caller may list (owner, manager), filtered as asked."""
    actor.require(*ADMIN_ROLES)
    month = period_parse(period) if period else None
    return EntryFilter(actor.business_id, agent_id=agent_id, period=month, ledger=ledger)


def entry_get_for(actor: Actor, entry_id: object) -> LedgerEntry:
    """One entry of the business, from whichever ledger holds it (ids are UUIDs, unique across
    both tables)."""
    for model in (ReferralEntry, SupportEntry):
        try:
            return model.objects.select_related("reverses").get_for(
                actor, entry_id, what="commission entry"
            )
        except NotFound:
            continue
    raise NotFound("commission entry")


def agent_view_for(user: User, *, business_id: uuid.UUID | None = None) -> AgentView:
    """The caller's own entries (PRODUCT.md §1: an agent sees only their own commissions), in
    one business or in every program they are an approved agent of, and those programs'
    currencies (the total of an empty ledger is in them). NotFound for a business they have no
    tie to; Forbidden when they are not an approved agent there (or anywhere, without
    ``business_id``)."""
    if business_id is not None:
        actor_for(user, business_id).require(Role.AGENT)
    programs = Agent.objects.filter(user=user, status=AgentStatus.APPROVED).select_related(
        "business"
    )
    if business_id is not None:
        programs = programs.filter(business_id=business_id)
    currencies = frozenset(agent.business.currency for agent in programs)
    if not currencies:
        raise Forbidden("This action needs one of these roles: agent.")
    return AgentView(EntryFilter(business_id, agent_id=user.id), currencies)


@dataclass(frozen=True)
class AgentView:
    where: EntryFilter
    currencies: frozenset[str]


# --- totals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    group: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Totals:
    """Exact Decimal sums of every entry a filter covers (not of one page), per group and
    currency: amounts of different currencies are never added. Lists are sorted by group,
    then currency."""

    overall: list[Total]
    by_ledger: list[Total]
    by_kind: list[Total]
    by_period: list[Total]
    by_agent: list[Total]
    agent_names: dict[str, str]


_Key = tuple[str, str, str, str, str]  # ledger, kind, period, agent id, currency


def _group(sums: dict[_Key, Decimal], part: Callable[[_Key], str]) -> list[Total]:
    grouped: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for key, amount in sums.items():
        grouped[(part(key), key[4])] += amount
    return [Total(g, amount, currency) for (g, currency), amount in sorted(grouped.items())]


def totals_for(where: EntryFilter) -> Totals:
    """The totals of every entry ``where`` covers. Amounts are added here, in Decimal, as the
    rows stream by (SQLite would add them as binary floats); memory holds one sum per
    (ledger, kind, period, agent, currency), whatever the number of entries."""
    sums: dict[_Key, Decimal] = defaultdict(Decimal)
    for model in where.models():
        rows = where.rows(model).values_list("kind", "period", "agent_id", "currency", "amount")
        for kind, period, agent_id, currency, amount in rows.iterator(chunk_size=5000):
            sums[(str(model.ledger), kind, period, str(agent_id), currency)] += amount
    agents = {key[3] for key in sums}
    names = {
        str(pk): name or email
        for pk, name, email in User.objects.filter(pk__in=agents).values_list("pk", "name", "email")
    }
    return Totals(
        overall=_group(sums, lambda key: ""),
        by_ledger=_group(sums, lambda key: key[0]),
        by_kind=_group(sums, lambda key: key[1]),
        by_period=_group(sums, lambda key: key[2]),
        by_agent=_group(sums, lambda key: key[3]),
        agent_names=names,
    )
