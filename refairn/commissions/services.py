"""Writes to the commission ledgers: monthly runs and reversing entries (PRODUCT.md §10)."""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round
from django.urls import reverse

from refairn.commissions.domain.entries import ReversalCode
from refairn.commissions.domain.facts import CustomerFacts
from refairn.commissions.domain.periods import Period
from refairn.commissions.domain.support_facts import AssignmentFacts
from refairn.commissions.domain.terms import ReferralTerms, SupportTerms
from refairn.commissions.models import CommissionRun, LedgerEntry, ReferralEntry, SupportEntry
from refairn.commissions.referral_ledger import referral_entry_reverse, referral_ledger_append
from refairn.commissions.selectors import (
    RunFacts,
    entry_get_for,
    period_parse,
    run_facts_of,
    run_facts_read,
)
from refairn.commissions.settings_section import commission_settings
from refairn.commissions.support_ledger import support_entry_reverse, support_ledger_append
from refairn.core import clock
from refairn.core.errors import Conflict, NotFound, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.notifications.selectors import users_told
from refairn.notifications.services import notification_send, notification_send_each
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import agent_name

# Customers per step of a run: the step is the unit of progress and bounds what one insert
# carries.
CUSTOMERS_PER_STEP = 5000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunResult:
    run_id: uuid.UUID
    period: str
    entries_created: int
    entries_existing: int


def _steps(
    customers: Sequence[CustomerFacts], assignments: Sequence[AssignmentFacts]
) -> list[tuple[Sequence[CustomerFacts], list[AssignmentFacts]]]:
    """Customers in steps, each with the assignments of its customers."""
    by_customer: dict[str, list[AssignmentFacts]] = {}
    for assignment in assignments:
        by_customer.setdefault(assignment.customer_id, []).append(assignment)
    steps = []
    for start in range(0, len(customers), CUSTOMERS_PER_STEP):
        chunk = customers[start : start + CUSTOMERS_PER_STEP]
        steps.append((chunk, [a for c in chunk for a in by_customer.get(c.customer_id, [])]))
    return steps


def commission_run(
    *,
    actor: Actor | None,
    business: Business,
    period: str | Period,
    trigger: CommissionRun.Trigger = CommissionRun.Trigger.API,
    progress: Progress | None = None,
) -> RunResult:
    """PRODUCT.md §10: accrue every referral and support entry ``period`` owes, once.

    Each expected entry has a unique key; the run writes the ones whose key is missing, so a
    rerun creates nothing and two runs at once each write a share of one ledger (the database's
    unique index decides who writes a key). Deliberately not one transaction: entries are
    committed batch by batch, so an interrupted run keeps what it wrote and the next run
    completes the ledger exactly as one clean run would. The terms are those in force when the
    run happens; an entry, once written, never changes (corrections are reversals). A run whose
    facts and terms are those of a finished run of the period (its marker, ``facts_digest``)
    owes nothing new and computes nothing: the no-op rerun reads the facts and stops.

    ``actor`` None is the operator's command line or the monthly schedule. A period that has
    not ended yet is refused: its days have not all happened (409 ``period_not_ended``).
    ``progress(done, total)`` is called as customers are processed.
    """
    if actor is not None:
        if actor.business_id != business.id:
            raise NotFound("business")
        actor.require(*ADMIN_ROLES)
    month = period if isinstance(period, Period) else period_parse(period)
    if not month.has_ended(clock.now()):
        raise Conflict(
            f"The period {month} has not ended yet; it can be run from {month.end.isoformat()}.",
            code="period_not_ended",
            extra={"period": str(month), "ends_at": month.end.isoformat()},
        )
    terms = commission_settings(business)
    run = CommissionRun.objects.create(
        business=business,
        period=str(month),
        trigger=trigger,
        started_by_id=actor.user_id if actor else None,
    )
    referral_terms = terms.referral()
    support_terms = terms.support()
    currency = business.currency
    rows_digest, rows = run_facts_read(business.id, month)
    run.facts_digest = hashlib.sha256(
        repr((rows_digest, referral_terms, support_terms, currency)).encode()
    ).hexdigest()
    marker = (
        CommissionRun.objects.filter(
            business=business,
            period=str(month),
            finished_at__isnull=False,
            facts_digest=run.facts_digest,
        )
        .values_list("entries_created", "entries_existing")
        .first()
    )
    if marker is not None:
        # A finished run computed from these very facts and terms: every entry it owed is in
        # the ledger (entries are never deleted), and this run owes the same ones.
        created, expected = 0, sum(marker)
    else:
        facts = run_facts_of(rows)
        created, expected = _entries_append(
            run, facts, month, referral_terms, support_terms, currency, progress
        )
    run.finished_at = clock.now()
    run.entries_created, run.entries_existing = created, expected - created
    # The run is finished and its statements announced together: a crash before the commit
    # leaves neither, and the next run (its dedupe keys) announces them once.
    with transaction.atomic():
        # Two runs of one month finishing at once take the month's run rows in one order and
        # queue here: otherwise each waits on the other's row (the update below) and on its
        # statements' dedupe keys, and PostgreSQL breaks the deadlock by failing one.
        list(
            CommissionRun.objects.select_for_update()
            .filter(business=business, period=str(month))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        run.save(
            update_fields=["finished_at", "entries_created", "entries_existing", "facts_digest"]
        )
        # Runs of this period that started earlier and never finished were interrupted (a
        # killed worker, a crash): this run has completed what they began.
        CommissionRun.objects.filter(
            business=business,
            period=str(month),
            finished_at__isnull=True,
            superseded_by__isnull=True,
            started_at__lte=run.started_at,
        ).exclude(pk=run.pk).update(superseded_by=run)
        statements_announce(business=business, period=month)
    return RunResult(run.id, str(month), created, expected - created)


def statements_announce(*, business: Business, period: Period) -> int:
    """PRODUCT.md §10, issue 13: each agent with entries in ``period`` is told, once ever per
    business and month (the dedupe key), that their statement is ready, with the month's
    totals. Returns how many agents were told now.

    The totals are summed by the database per agent, in whole cents (exact on SQLite too,
    which would add the amounts as floats), and the agents told already are looked up in one
    read: a rerun of a finished month tells nobody and reads no entry (issue 17)."""
    dedupe_key = f"commission-statement:{business.id}:{period}"
    cents = Sum(Cast(Round(F("amount") * 100), BigIntegerField()))
    totals: dict[uuid.UUID, dict[type[LedgerEntry], tuple[int, int]]] = defaultdict(dict)
    for model in (ReferralEntry, SupportEntry):
        rows = (
            model.objects.filter(business=business, period=str(period))
            .order_by()
            .values("agent_id")
            .annotate(entries=Count("id"), cents=cents)
            .values_list("agent_id", "entries", "cents")
        )
        for agent_id, entries, total in rows:
            totals[agent_id][model] = (entries, int(total))
    waiting = sorted(set(totals) - users_told(dedupe_key, totals), key=str)
    if not waiting:
        return 0
    names = {
        user_id: name or email
        for user_id, name, email in Agent.objects.filter(
            business=business, user_id__in=waiting
        ).values_list("user_id", "user__name", "user__email")
    }
    currency = business.currency
    notices = []
    for agent_id in waiting:
        by_ledger = totals[agent_id]
        referral_entries, referral_cents = by_ledger.get(ReferralEntry, (0, 0))
        support_entries, support_cents = by_ledger.get(SupportEntry, (0, 0))
        referral = Decimal(referral_cents).scaleb(-2)
        support = Decimal(support_cents).scaleb(-2)
        total = referral + support
        text = (
            f"Your {business.name} commission statement for {period} is ready: "
            f"{total} {currency} (referral {referral}, support {support})."
        )
        data = {
            "agent_id": agent_id,
            "agent_name": names.get(agent_id, ""),
            "period": str(period),
            "referral_total": {"amount": referral, "currency": currency},
            "support_total": {"amount": support, "currency": currency},
            "total": {"amount": total, "currency": currency},
            "entries": referral_entries + support_entries,
        }
        notices.append((agent_id, text, data))
    return notification_send_each(
        notices=notices,
        business_id=business.id,
        kind="commission_statement",
        link=reverse("commissions:statement", args=[business.id]),
        dedupe_key=dedupe_key,
        event="commission.statement",
    )


def _entries_append(
    run: CommissionRun,
    facts: RunFacts,
    month: Period,
    referral_terms: ReferralTerms,
    support_terms: SupportTerms,
    currency: str,
    progress: Progress | None,
) -> tuple[int, int]:
    """Write the entries the facts owe that are missing; return how many this run wrote and
    how many the period owes in all."""
    business_id = str(run.business_id)
    expected, created, done, total = 0, 0, 0, len(facts.customers)
    if progress:
        progress(done, total)
    for customers, assignments in _steps(facts.customers, facts.assignments):
        owed, written = referral_ledger_append(
            business_id=business_id,
            period=month,
            customers=customers,
            terms=referral_terms,
            currency=currency,
            run_id=run.id,
        )
        expected, created = expected + owed, created + written
        owed, written = support_ledger_append(
            business_id=business_id,
            period=month,
            customers=customers,
            assignments=assignments,
            access=facts.access,
            terms=support_terms,
            currency=currency,
            run_id=run.id,
        )
        expected, created = expected + owed, created + written
        done += len(customers)
        if progress:
            progress(done, total)
    return created, expected


@transaction.atomic
def commission_entry_reverse(
    *, actor: Actor, entry_id: object, code: ReversalCode | None, note: str
) -> LedgerEntry:
    """PRODUCT.md §10: entries are append-only; a correction is a reversing entry, the exact
    negative of the original, pointing to it. An entry is reversed at most once (its
    reversal's key is unique), a reversal is never reversed, and a rerun of the period does
    not pay the reversed accrual again (its key is still in the ledger). Issue 11: only as a
    stated correction, a ``code`` and a ``note``; the agent is told both."""
    actor.require(*ADMIN_ROLES)
    entry = entry_get_for(actor, entry_id)
    if code is None:
        codes = ", ".join(c.value for c in ReversalCode)
        raise field_error("code", f"state why: one of {codes}", code="reversal_code_required")
    note = note.strip()
    if not note:
        raise field_error("note", "a note is required")
    if entry.reverses_id is not None:
        raise Conflict(
            "This entry is a reversal; reversals are not reversed.", code="entry_is_reversal"
        )
    try:
        if isinstance(entry, ReferralEntry):
            reversal: LedgerEntry = referral_entry_reverse(
                entry=entry, created_by_id=actor.user_id, code=code, note=note
            )
        else:
            assert isinstance(entry, SupportEntry)
            reversal = support_entry_reverse(
                entry=entry, created_by_id=actor.user_id, code=code, note=note
            )
    except IntegrityError:
        raise Conflict("This entry has already been reversed.", code="already_reversed") from None
    notification_send(
        user_ids=[entry.agent_id],
        business_id=entry.business_id,
        kind="commission_reversed",
        text=f"A {entry.ledger} commission of {entry.amount} {entry.currency} for "
        f"{entry.period} was reversed ({code.label.lower()}): {note}",
        link=reverse("commissions:statement", args=[entry.business_id]),
        event="commission.reversed",
        data={
            "agent_id": entry.agent_id,
            "agent_name": agent_name(entry.business_id, entry.agent_id),
            "entry_id": entry.id,
            "reversal_id": reversal.id,
            "ledger": str(entry.ledger),
            "period": entry.period,
            "amount": {"amount": entry.amount, "currency": entry.currency},
            "code": code.value,
            "note": note,
        },
    )
    return reversal
