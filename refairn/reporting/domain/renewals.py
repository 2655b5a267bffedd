"""Renewal tracking (PRODUCT.md §5 renewal, §8 "renewal tracking with priorities").

Definitions (the quarter is the calendar quarter the report covers, ``periods.quarter_of``):

- **Expiring this quarter**: certifications of active agents whose expiry falls in the quarter,
  renewed or not. *Completed renewal*: the expiry its latest renewal replaced falls in the
  quarter (an early renewal made last quarter for an expiry this quarter counts here). *Pending
  renewal*: otherwise, its current ``expires_at`` falls in the quarter and its standing is
  certified or expired. Revoked certifications are never due. A certification counts at most
  once a quarter. Completed and pending are shares of the certifications expiring this quarter.
- **Overdue**: certifications with an expired standing, whatever quarter they expired in (the
  overview's "expired"), and the distinct agents holding them.
- **Due within 30 days**: held certifications with ``as_of < expires_at <= as_of + 30 days``.
- **Priority** of a track, the highest that applies: *HIGH* for a required, security-critical
  track with overdue agents (they get no tickets until renewed, PRODUCT.md §5); *MEDIUM* for a
  required track with agents overdue or due within 30 days; *LOW* for a recommended or optional
  track with either (a flexible timeline); none when nothing is overdue or due within 30 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from refairn.certification.domain.standing import Standing
from refairn.reporting.domain.inputs import AgentRow, TrackRow
from refairn.reporting.domain.metrics import Ratio
from refairn.reporting.domain.overview import EXPIRING_WINDOW, Standings
from refairn.reporting.domain.periods import Period
from refairn.training.domain import Requirement


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


@dataclass(frozen=True)
class TrackRenewals:
    track_id: str
    name: str
    requirement: Requirement
    security_critical: bool
    expiring_this_quarter: int
    completed: int
    pending: int
    overdue: int
    due_within_30_days: int
    priority: Priority | None


@dataclass(frozen=True)
class RenewalTracking:
    quarter: Period
    expiring_this_quarter: int
    completed: Ratio
    pending: Ratio
    overdue_certifications: int
    overdue_agents: int
    tracks: tuple[TrackRenewals, ...]
    # The tracks with a priority, HIGH first, then in track order.
    priorities: tuple[TrackRenewals, ...]


def renewal_priority(track: TrackRow, overdue: int, due_soon: int) -> Priority | None:
    """The track's renewal priority (module docs)."""
    required = track.requirement == Requirement.REQUIRED
    if required and track.security_critical and overdue:
        return Priority.HIGH
    if not (overdue or due_soon):
        return None
    return Priority.MEDIUM if required else Priority.LOW


def _track_renewals(
    track: TrackRow,
    agents: Sequence[AgentRow],
    standings: Standings,
    as_of: datetime,
    quarter: Period,
) -> TrackRenewals:
    completed = pending = overdue = due_soon = 0
    for agent in agents:
        standing = standings[agent.agent_id][track.track_id]
        state = agent.certifications.get(track.track_id)
        if state is None or standing in (Standing.REVOKED, Standing.NOT_CERTIFIED):
            continue
        renewal = state.last_renewal
        if renewal is not None and quarter.contains(renewal.replaced_expires_at):
            completed += 1
        elif state.expires_at is not None and quarter.contains(state.expires_at):
            pending += 1
        if standing is Standing.EXPIRED:
            overdue += 1
        elif state.expires_at is not None and state.expires_at <= as_of + EXPIRING_WINDOW:
            due_soon += 1
    return TrackRenewals(
        track_id=track.track_id,
        name=track.name,
        requirement=track.requirement,
        security_critical=track.security_critical,
        expiring_this_quarter=completed + pending,
        completed=completed,
        pending=pending,
        overdue=overdue,
        due_within_30_days=due_soon,
        priority=renewal_priority(track, overdue, due_soon),
    )


def build_renewals(
    *,
    tracks: Sequence[TrackRow],
    agents: Sequence[AgentRow],
    standings: Standings,
    as_of: datetime,
    quarter: Period,
) -> RenewalTracking:
    """PRODUCT.md §8 renewal tracking with priorities (module docs for every figure)."""
    rows = tuple(_track_renewals(t, agents, standings, as_of, quarter) for t in tracks)
    expiring = sum(row.expiring_this_quarter for row in rows)
    overdue_agents = sum(
        any(s is Standing.EXPIRED for s in standing.values()) for standing in standings.values()
    )
    # sorted() is stable: rows of one priority keep the track order.
    ranked = sorted(
        ((_PRIORITY_ORDER[row.priority], row) for row in rows if row.priority is not None),
        key=lambda pair: pair[0],
    )
    return RenewalTracking(
        quarter=quarter,
        expiring_this_quarter=expiring,
        completed=Ratio(sum(row.completed for row in rows), expiring),
        pending=Ratio(sum(row.pending for row in rows), expiring),
        overdue_certifications=sum(row.overdue for row in rows),
        overdue_agents=overdue_agents,
        tracks=rows,
        priorities=tuple(row for _, row in ranked),
    )
