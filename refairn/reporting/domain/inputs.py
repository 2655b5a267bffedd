"""What the reports are computed from: small rows of plain values, prepared by the caller with a
bounded number of aggregate queries (issue 6: no per-agent or per-ticket query loops).

Every row describes the state at the report's ``as_of`` instant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from refairn.certification.domain.status import Status
from refairn.reporting.domain.periods import require_aware
from refairn.training.domain import Requirement

_CURRENCY = re.compile(r"[A-Z]{3}")


def _require_count(value: int, what: str) -> None:
    if isinstance(value, bool) or value < 0:
        raise ValueError(f"{what} must be a count, got {value!r}")


def _require_percent(value: Decimal, what: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 100:
        raise ValueError(f"{what} must be a percentage between 0 and 100, got {value}")


@dataclass(frozen=True)
class TrackRow:
    """A certification track (PRODUCT.md §3), in the business's display order.

    ``target_percent`` is the business's completion target (API.md settings ``report.targets``);
    ``short_name`` heads the track's column in the agent matrix (the seed's "Fundamentals" for
    "Product Fundamentals"); the name is used when it is None. ``min_level`` is the support
    level from which the track's requirement applies ("Required — L2+"); empty: every agent.
    """

    track_id: str
    name: str
    requirement: Requirement
    security_critical: bool
    target_percent: Decimal | None = None
    short_name: str | None = None
    min_level: str = ""

    def __post_init__(self) -> None:
        if self.target_percent is not None:
            _require_percent(self.target_percent, f"target of {self.name}")

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Renewal:
    """The latest renewal of a certification: when it passed, and the expiry it replaced."""

    renewed_at: datetime
    replaced_expires_at: datetime

    def __post_init__(self) -> None:
        require_aware(self.renewed_at, "renewed_at")
        require_aware(self.replaced_expires_at, "replaced_expires_at")

    @property
    def early(self) -> bool:
        """Renewed before the certification it renewed had expired."""
        return self.renewed_at < self.replaced_expires_at


@dataclass(frozen=True)
class CertState:
    """One agent's certification in one track at ``as_of`` (PRODUCT.md §5).

    ``earned_at`` is when the current certification cycle was granted (approval); renewals do
    not move it. ``last_renewal`` is the latest renewal in the cycle, if any.
    """

    status: Status
    expires_at: datetime | None = None
    earned_at: datetime | None = None
    last_renewal: Renewal | None = None

    def __post_init__(self) -> None:
        for value, what in ((self.expires_at, "expires_at"), (self.earned_at, "earned_at")):
            if value is not None:
                require_aware(value, what)
        if self.status == Status.CERTIFIED and self.earned_at is None:
            raise ValueError("a certified certification needs the time it was earned")


@dataclass(frozen=True)
class AgentRow:
    """An active agent of the program at ``as_of``: approved, not removed (PRODUCT.md §1).

    ``certifications`` maps a track id to the agent's certification in it; a track missing from
    it has never been started. ``first_certified_at`` is the first time the agent became
    certified in any track of this program (None if never).
    """

    agent_id: str
    name: str
    joined_at: datetime
    certifications: Mapping[str, CertState]
    first_certified_at: datetime | None = None
    # L1, L2, L3 or CSM: which required tracks apply to the agent (issue 11 item 6).
    support_level: str = "L1"

    def __post_init__(self) -> None:
        require_aware(self.joined_at, "joined_at")
        if self.first_certified_at is not None:
            require_aware(self.first_certified_at, "first_certified_at")


@dataclass(frozen=True)
class RuleRef:
    """A routing rule (PRODUCT.md §7): its name and what it requires, in words ("Advanced
    Troubleshooting", "3+ certifications")."""

    name: str
    requires: str


@dataclass(frozen=True)
class RoutingRow:
    """Counts of the tickets routed in the report's routing window, for one rule and one way of
    routing (PRODUCT.md §7 "every routing decision is recorded").

    ``rule`` is None for tickets no rule matched. ``by_certification`` is True when the matched
    rule routed the ticket to an agent of its certified pool, False when its fallback routed it
    (always False without a rule). For the counted tickets:

    - ``resolved``: closed at ``as_of`` (a reopened ticket counts once it is closed again);
    - ``escalated``: escalated to the business at any time;
    - ``first_contact_resolved``: resolved with exactly one agent reply, never reopened and never
      escalated (``routing_impact.is_first_contact_resolution``);
    - ``csat_total`` / ``csat_count``: the sum and number of the customers' ``overall`` ratings
      (1-5, at most one per ticket, PRODUCT.md §6).
    """

    rule: RuleRef | None
    by_certification: bool
    tickets: int
    resolved: int
    escalated: int
    first_contact_resolved: int
    csat_total: int
    csat_count: int

    def __post_init__(self) -> None:
        for name in (
            "tickets",
            "resolved",
            "escalated",
            "first_contact_resolved",
            "csat_total",
            "csat_count",
        ):
            _require_count(getattr(self, name), name)
        if self.rule is None and self.by_certification:
            raise ValueError("only a matched rule routes by certification")
        if self.resolved > self.tickets or self.escalated > self.tickets:
            raise ValueError("more resolved or escalated tickets than tickets")
        if self.first_contact_resolved > self.resolved:
            raise ValueError("more first-contact resolutions than resolved tickets")
        if self.csat_count > self.tickets:
            raise ValueError("more ratings than tickets")
        if not self.csat_count <= self.csat_total <= 5 * self.csat_count:
            raise ValueError("ratings are 1 to 5 each")


@dataclass(frozen=True)
class QuestionStatRow:
    """Analytics of one assessment question (PRODUCT.md §4; assessments.domain.statistics)."""

    question_id: str
    track_id: str
    topic: str
    prompt: str
    answered: int
    percent_correct: Decimal
    discrimination: Decimal | None = None

    def __post_init__(self) -> None:
        _require_count(self.answered, "answered")
        _require_percent(self.percent_correct, "percent_correct")


@dataclass(frozen=True)
class TrackScoreRow:
    """The mean score, in percent, of a track's passed attempts (PRODUCT.md §4); None if no
    attempt has passed."""

    track_id: str
    average_passing_score: Decimal | None

    def __post_init__(self) -> None:
        if self.average_passing_score is not None:
            _require_percent(self.average_passing_score, "average_passing_score")


@dataclass(frozen=True)
class CostInputs:
    """The business's own figures (API.md settings ``report``): the program's annual cost and
    the yearly revenue it attributes to certified routing, in ``currency``."""

    annual_cost: Decimal | None
    revenue_impact: Decimal | None
    currency: str = "USD"

    def __post_init__(self) -> None:
        for value, what in ((self.annual_cost, "annual_cost"), (self.revenue_impact, "impact")):
            if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
                raise ValueError(f"{what} must be a finite amount, got {value}")
        if self.annual_cost is not None and self.annual_cost < 0:
            raise ValueError(f"annual_cost cannot be negative, got {self.annual_cost}")
        if not _CURRENCY.fullmatch(self.currency):
            raise ValueError(f"currency {self.currency!r} must be 3 upper-case letters")
