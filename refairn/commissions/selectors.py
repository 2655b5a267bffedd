"""Reads for the commission ledgers: the facts a run needs, and statements (PRODUCT.md §10)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q

from refairn.accounts.models import User
from refairn.commissions.domain.entries import Ledger
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.intervals import Interval
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.support_facts import AssignmentFacts, SupportAccessFacts
from refairn.commissions.models import LedgerEntry, ReferralEntry, SupportEntry
from refairn.core.errors import Forbidden, NotFound, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Customer
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


def run_facts_for(business_id: uuid.UUID, period: Period) -> RunFacts:
    """The facts of ``period`` in three queries, whatever the number of customers.

    The caller (``services.commission_run``) has checked who may run the business. Customers
    are those subscribed on some instant of the period; assignments those that overlap it;
    support access history up to its end, because the status on its first day depends on
    earlier changes. Only ``SupportAccessEvent`` rows count: an agent without one never had
    active access.
    """
    start, end = period.start, period.end
    customer_rows = (
        Customer.objects.filter(business_id=business_id, subscribed_at__lt=end)
        .filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=start))
        .order_by("id")
        .values_list("id", "referred_by_id", "monthly_value", "subscribed_at", "cancelled_at")
    )
    customers = tuple(
        CustomerFacts(
            customer_id=str(customer_id),
            referred_by=str(referred_by) if referred_by else None,
            monthly_value=monthly_value,
            subscribed=(Interval(subscribed_at, cancelled_at),),
            first_subscribed_at=subscribed_at,
        )
        for customer_id, referred_by, monthly_value, subscribed_at, cancelled_at in customer_rows
    )
    known = {customer.customer_id for customer in customers}

    assigned: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    assignment_rows = (
        Assignment.objects.filter(business_id=business_id, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .order_by("started_at", "id")
        .values_list("agent_id", "customer_id", "started_at", "ended_at")
    )
    for agent_id, customer_id, started_at, ended_at in assignment_rows:
        if str(customer_id) in known:  # a customer not subscribed in the period earns nothing
            assigned[(str(agent_id), str(customer_id))].append(Interval(started_at, ended_at))
    assignments = tuple(
        AssignmentFacts(agent_id, customer_id, tuple(intervals))
        for (agent_id, customer_id), intervals in assigned.items()
    )

    changes: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    event_rows = (
        SupportAccessEvent.objects.filter(
            business_id=business_id,
            agent_id__in={agent_id for agent_id, _ in assigned},
            at__lt=end,
        )
        .order_by("agent_id", "at", "id")
        .values_list("agent_id", "to_status", "at")
    )
    for agent_id, to_status, at in event_rows:
        changes[str(agent_id)].append((to_status, at))
    access = tuple(
        SupportAccessFacts(agent_id, _active_intervals(history))
        for agent_id, history in changes.items()
    )
    return RunFacts(customers, assignments, access)


# --- statements -----------------------------------------------------------------------------


def _entries(
    model: type[LedgerEntry],
    *,
    business_id: uuid.UUID | None,
    agent_id: uuid.UUID | None,
    period: Period | None,
) -> list[LedgerEntry]:
    qs = model.objects.select_related("agent", "customer", "reverses")
    if business_id is not None:
        qs = qs.filter(business_id=business_id)
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if period is not None:
        qs = qs.filter(period=str(period))
    return list(qs.order_by("period", "created_at", "key"))


def _models(ledger: Ledger | None) -> list[type[LedgerEntry]]:
    return [m for m in (ReferralEntry, SupportEntry) if ledger is None or m.ledger is ledger]


def entries_list_for(
    actor: Actor,
    *,
    period: str | None = None,
    agent_id: uuid.UUID | None = None,
    ledger: Ledger | None = None,
) -> list[LedgerEntry]:
    """The business's entries of both ledgers (owner, manager), referral first; one query per
    ledger."""
    actor.require(*ADMIN_ROLES)
    month = period_parse(period) if period else None
    entries: list[LedgerEntry] = []
    for model in _models(ledger):
        entries += _entries(model, business_id=actor.business_id, agent_id=agent_id, period=month)
    return entries


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


@dataclass(frozen=True)
class AgentStatement:
    """An agent's own entries (PRODUCT.md §1: an agent sees only their own commissions), and
    the currencies of the programs in view, for the total of an empty ledger."""

    referral: list[LedgerEntry]
    support: list[LedgerEntry]
    currencies: frozenset[str]


def agent_statement_for(user: User, *, business_id: uuid.UUID | None = None) -> AgentStatement:
    """The caller's own entries, in one business or in every program they are an approved
    agent of. NotFound for a business they have no tie to; Forbidden when they are not an
    approved agent there (or anywhere, without ``business_id``)."""
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
    return AgentStatement(
        referral=_entries(ReferralEntry, business_id=business_id, agent_id=user.id, period=None),
        support=_entries(SupportEntry, business_id=business_id, agent_id=user.id, period=None),
        currencies=currencies,
    )


# --- totals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    group: str
    amount: Decimal
    currency: str


def totals_by(
    entries: Sequence[LedgerEntry], group: Callable[[LedgerEntry], str] | None = None
) -> list[Total]:
    """Exact Decimal sums of entry amounts per group and currency (amounts of different
    currencies are never added), sorted by group then currency."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in entries:
        sums[(group(entry) if group else "", entry.currency)] += entry.amount
    return [Total(g, amount, currency) for (g, currency), amount in sorted(sums.items())]
