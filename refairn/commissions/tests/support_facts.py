"""Support-side facts for commission tests, written straight to the support tables.

This stands in for the support services (assign, unassign, suspend, reinstate, remove,
revocation ending assignments), which are written separately: the commission runs only READ
``Assignment`` and ``SupportAccessEvent``, so the tests create those rows the way the services
will — an access event for every status change, an assignment row per period of support.
"""

from __future__ import annotations

from datetime import datetime

from refairn.accounts.models import User
from refairn.programs.models import Business, Customer
from refairn.support.models import Assignment, SupportAccessEvent
from tests.support import set_support_access, support_access_of


def set_access(business: Business, agent: User, status: str, at: datetime) -> None:
    """Record a support access change of ``agent`` (active, suspended, removed...)."""
    SupportAccessEvent.objects.create(
        business=business,
        agent=agent,
        event=status,
        from_status=support_access_of(agent, business=business),
        to_status=status,
        at=at,
    )
    set_support_access(agent, status, business=business)


def grant(business: Business, agent: User, at: datetime) -> None:
    set_access(business, agent, "active", at)


def suspend(business: Business, agent: User, at: datetime) -> None:
    set_access(business, agent, "suspended", at)


def reinstate(business: Business, agent: User, at: datetime) -> None:
    set_access(business, agent, "active", at)


def end_assignments(business: Business, agent: User, at: datetime, reason: str) -> int:
    """Every open assignment of the agent ends (removal of access, revoked certification)."""
    return Assignment.objects.filter(business=business, agent=agent, ended_at__isnull=True).update(
        ended_at=at, end_reason=reason
    )


def remove(business: Business, agent: User, at: datetime) -> None:
    """PRODUCT.md §6: removal unassigns the agent from every customer at once."""
    set_access(business, agent, "removed", at)
    end_assignments(business, agent, at, "support access removed")


def revoke_certification(business: Business, agent: User, at: datetime) -> None:
    """PRODUCT.md §5: revoked → all support assignments end."""
    end_assignments(business, agent, at, "certification revoked")


def assign(customer: Customer, agent: User, at: datetime) -> Assignment:
    """Hand ``customer`` to ``agent`` at ``at``, ending the current assignment if any."""
    unassign(customer, at)
    return Assignment.objects.create(
        business_id=customer.business_id, customer=customer, agent=agent, started_at=at
    )


def unassign(customer: Customer, at: datetime) -> None:
    Assignment.objects.filter(customer=customer, ended_at__isnull=True).update(
        ended_at=at, end_reason="unassigned"
    )
