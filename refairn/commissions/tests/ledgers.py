"""Builders and readers shared by the commission tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from refairn.accounts.models import User
from refairn.commissions.models import ReferralEntry, SupportEntry
from refairn.commissions.services import RunResult, commission_run
from refairn.core import clock
from refairn.programs.models import Agent, Business, Customer
from tests.support import make_user


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def make_agent(business: Business, who: str | User) -> User:
    """An approved agent of ``business``: a new user with email ``who``, or an existing user."""
    user = make_user(who) if isinstance(who, str) else who
    Agent.objects.create(business=business, user=user, status="approved")
    return user


def make_customer(
    business: Business,
    *,
    value: str = "300.00",
    subscribed_at: datetime,
    referred_by: User | None = None,
    cancelled_at: datetime | None = None,
    name: str = "Customer",
) -> Customer:
    return Customer.objects.create(
        business=business,
        name=name,
        monthly_value=Decimal(value),
        subscribed_at=subscribed_at,
        cancelled_at=cancelled_at,
        referred_by=referred_by,
    )


def run(business: Business, period: str, **kwargs: Any) -> RunResult:
    """Run ``period`` as the operator would, just after it ended, with the stored settings."""
    year, month = map(int, period.split("-"))
    after = at(year + 1, 1, 1, 1) if month == 12 else at(year, month + 1, 1, 1)
    with clock.frozen(after):
        return commission_run(
            actor=None, business=Business.objects.get(pk=business.pk), period=period, **kwargs
        )


def amounts(business: Business, ledger: str, period: str | None = None) -> dict[Any, str]:
    """{(kind, agent email, customer name, period): "12.34"} for one ledger of a business."""
    model = ReferralEntry if ledger == "referral" else SupportEntry
    qs = model.objects.filter(business=business).select_related("agent", "customer")
    if period:
        qs = qs.filter(period=period)
    return {
        (e.kind, e.agent.email, e.customer.name, e.period): f"{e.amount}"
        for e in qs.order_by("key")
    }
