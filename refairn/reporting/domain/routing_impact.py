"""Certification-based routing impact (PRODUCT.md §7 routing decisions, §8 routing impact).

Definitions, over the tickets routed in the report's routing window (the dashboard's 90 days
before ``as_of`` by default, the quarter in the quarterly report):

- **Routed by certification**: a matched rule routed the ticket to an agent of its certified
  pool. **Non-certified**: the matched rule's fallback routed it, or no rule matched.
  **Fallback**: the non-certified tickets a rule matched, so certified + fallback + unmatched
  add up to all routed tickets (the dashboard's rows and its total, issue 12 item 10).
- **Share routed by certification** = tickets routed by certification / all routed tickets.
- **Resolution rate** = resolved tickets / tickets; resolved means closed at ``as_of``.
- **CSAT** = the mean of the customers' ``overall`` ratings (1-5) of the rated tickets.
- **Escalation rate** = tickets escalated to the business / tickets.
- **First-contact resolution (FCR)** = tickets resolved with exactly one agent reply, never
  reopened and never escalated / resolved tickets. A ticket closed without any agent reply, or
  after a second reply, is resolved but not at first contact.
- **Per rule**: the same figures for the rule's certified-pool tickets and for its fallback
  tickets; "non-certified" on a rule's line means its fallback tickets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from refairn.reporting.domain.inputs import RoutingRow, RuleRef
from refairn.reporting.domain.metrics import Mean, Ratio
from refairn.reporting.domain.periods import Period


@dataclass(frozen=True)
class TicketOutcome:
    """One routed ticket as the routing report sees it; ``tally_routing`` turns these into the
    rows the report reads (the database does the same count in one aggregate query)."""

    rule: RuleRef | None
    by_certification: bool
    resolved: bool
    agent_replies: int
    reopened: bool
    escalated: bool
    overall_rating: int | None = None

    def __post_init__(self) -> None:
        if self.agent_replies < 0:
            raise ValueError(f"agent_replies must be a count, got {self.agent_replies}")
        if self.overall_rating is not None and not 1 <= self.overall_rating <= 5:
            raise ValueError(f"overall rating must be 1 to 5, got {self.overall_rating}")


@dataclass(frozen=True)
class RouteStats:
    tickets: int
    resolution: Ratio
    escalation: Ratio
    first_contact: Ratio
    csat: Mean


@dataclass(frozen=True)
class RuleImpact:
    rule: RuleRef
    certified: RouteStats
    fallback: RouteStats


@dataclass(frozen=True)
class RoutingImpact:
    window: Period
    tickets: int
    by_certification: Ratio
    certified: RouteStats
    non_certified: RouteStats
    fallback: RouteStats
    unmatched: RouteStats
    rules: tuple[RuleImpact, ...]


def is_first_contact_resolution(ticket: TicketOutcome) -> bool:
    """PRODUCT.md §8 FCR: resolved with a single agent reply, never reopened or escalated."""
    return (
        ticket.resolved
        and ticket.agent_replies == 1
        and not ticket.reopened
        and not ticket.escalated
    )


def tally_routing(tickets: Iterable[TicketOutcome]) -> tuple[RoutingRow, ...]:
    """Count tickets into one row per (rule, routed by certification), in order of first
    appearance (``inputs.RoutingRow`` defines each count)."""
    counts: dict[tuple[RuleRef | None, bool], list[int]] = {}
    for ticket in tickets:
        row = counts.setdefault((ticket.rule, ticket.by_certification), [0] * 6)
        row[0] += 1
        row[1] += ticket.resolved
        row[2] += ticket.escalated
        row[3] += is_first_contact_resolution(ticket)
        if ticket.overall_rating is not None:
            row[4] += ticket.overall_rating
            row[5] += 1
    return tuple(
        RoutingRow(rule, by_certification, *values)
        for (rule, by_certification), values in counts.items()
    )


def route_stats(rows: Iterable[RoutingRow]) -> RouteStats:
    """The module's figures for the tickets of ``rows`` taken together."""
    tickets = resolved = escalated = first_contact = csat_total = csat_count = 0
    for row in rows:
        tickets += row.tickets
        resolved += row.resolved
        escalated += row.escalated
        first_contact += row.first_contact_resolved
        csat_total += row.csat_total
        csat_count += row.csat_count
    return RouteStats(
        tickets=tickets,
        resolution=Ratio(resolved, tickets),
        escalation=Ratio(escalated, tickets),
        first_contact=Ratio(first_contact, resolved),
        csat=Mean(csat_total, csat_count),
    )


def build_routing_impact(*, rows: Sequence[RoutingRow], window: Period) -> RoutingImpact:
    """PRODUCT.md §8 routing impact, certified vs fallback, per rule (module docs). Rules keep
    the order they first appear in ``rows`` (the caller passes them in rule order)."""
    certified = [row for row in rows if row.by_certification]
    non_certified = [row for row in rows if not row.by_certification]
    rules: list[RuleRef] = []
    for row in rows:
        if row.rule is not None and row.rule not in rules:
            rules.append(row.rule)
    all_stats = route_stats(rows)
    certified_stats = route_stats(certified)
    return RoutingImpact(
        window=window,
        tickets=all_stats.tickets,
        by_certification=Ratio(certified_stats.tickets, all_stats.tickets),
        certified=certified_stats,
        non_certified=route_stats(non_certified),
        fallback=route_stats(row for row in non_certified if row.rule is not None),
        unmatched=route_stats(row for row in rows if row.rule is None),
        rules=tuple(
            RuleImpact(
                rule=rule,
                certified=route_stats(row for row in certified if row.rule == rule),
                fallback=route_stats(row for row in non_certified if row.rule == rule),
            )
            for rule in rules
        ),
    )
