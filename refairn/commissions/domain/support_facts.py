"""The plain facts a support accrual reads (PRODUCT.md §10): who was assigned to which customer
when, and when each agent's support access was active. The referral ledger's writer never
imports this module (a contract in pyproject.toml)."""

from __future__ import annotations

from dataclasses import dataclass

from refairn.commissions.domain.facts import require_id, require_intervals
from refairn.commissions.domain.intervals import Interval


@dataclass(frozen=True, slots=True)
class AssignmentFacts:
    """When `agent_id` was the support agent assigned to `customer_id`."""

    agent_id: str
    customer_id: str
    intervals: tuple[Interval, ...]

    def __post_init__(self) -> None:
        require_id(self.agent_id, "agent_id")
        require_id(self.customer_id, "customer_id")
        require_intervals(self.intervals, "intervals")


@dataclass(frozen=True, slots=True)
class SupportAccessFacts:
    """When the agent's support access was active: granted, not suspended, not removed
    (PRODUCT.md §6). No facts for an agent means the access was never active."""

    agent_id: str
    active_intervals: tuple[Interval, ...]

    def __post_init__(self) -> None:
        require_id(self.agent_id, "agent_id")
        require_intervals(self.active_intervals, "active_intervals")
