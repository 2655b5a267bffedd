"""The commission ledgers' common shape (PRODUCT.md §10). Ledger entries are append-only: a row
is inserted once and never changed or deleted; a correction is a new entry that reverses an
earlier one. The code has no update or delete path (``save`` refuses an existing row, ``delete``
and queryset ``update``/``delete`` refuse), and migration 0002 adds database triggers that refuse
UPDATE and DELETE on both engines.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from refairn.commissions.domain.entries import AccrualKind, Ledger, ReversalCode
from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet


class LedgerIsAppendOnly(Exception):
    """An attempt to change or delete a ledger entry; corrections are reversing entries."""


def _refuse(what: str) -> NoReturn:
    raise LedgerIsAppendOnly(
        f"commission ledger entries cannot be {what}; post a reversing entry instead"
    )


class LedgerQuerySet(TenantQuerySet):
    """Reads and inserts only: bulk changes are refused before they reach the database."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("updated")

    def delete(self) -> NoReturn:
        _refuse("deleted")


class LedgerEntry(UUIDModel):
    """The fields both ledgers share. ``amount`` is signed: a reversal is the negative of the
    entry it reverses. ``key`` is the accrual's idempotency key (see ``domain.entries``)."""

    ledger: Ledger
    # A foreign key to "self" on an abstract model: the type checker cannot derive its column.
    reverses_id: uuid.UUID | None

    # No index of their own: each ledger's (business, period) and (agent, period) indexes
    # serve every lookup by business or agent, and a run inserts into every index of the
    # table for each of its hundreds of thousands of rows (issue 17, migration 0006).
    business = models.ForeignKey(
        "programs.Business", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    customer = models.ForeignKey("programs.Customer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    period = models.CharField(max_length=7)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    key = models.CharField(max_length=255, unique=True)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    run = models.ForeignKey(
        "commissions.CommissionRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=clock.now)
    # Who posted a reversal and why; accruals are posted by their run.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A reversal's stated cause (domain.entries.ReversalCode); NULL on accruals. Nullable so
    # that adding it was an ALTER TABLE ADD COLUMN: on SQLite a NOT NULL column rebuilds the
    # table, and the append-only triggers with it.
    reversal_code = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001 - see above
    # A reversal's note (why, in the words of who posted it).
    reason = models.TextField(blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def reversal_label(self) -> str:
        """The stated cause of a reversal in words ("Customer refunded"); "" otherwise."""
        return ReversalCode(self.reversal_code).label if self.reversal_code else ""

    def __str__(self) -> str:
        return f"{self.ledger} {self.kind} {self.period} {self.amount} {self.currency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("deleted")


def ledger_kinds(ledger: Ledger) -> list[str]:
    return [kind.value for kind in AccrualKind if kind.ledger is ledger]
