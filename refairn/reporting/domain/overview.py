"""Certification overview, completion by track and the agent status matrix (PRODUCT.md §8, the
third seed's dashboard). All figures are at the report's ``as_of`` instant.

Definitions:

- **Standing** of an agent in a track: ``certification.domain.eligibility.track_standing`` -
  *certified* (status certified and ``expires_at`` after ``as_of``), *expired* (the interval ran
  out, also while the agent retakes the assessment), *revoked*, or *not certified*. "Holds" a
  certification means a certified standing.
- **Active agents**: the program's approved agents at ``as_of`` (the ``AgentRow`` list).
- **Required tracks**: tracks whose requirement is ``required``; a program without any counts
  every track instead, so that "fully certified" never holds vacuously for everyone. Only
  published tracks reach the report (a draft or archived track never counts, issue 12 item 5).
- **Required of an agent**: the required tracks whose minimum level the agent's support level
  reaches ("Required — L2+" is not required of an L1 agent; issue 11 item 6); an agent of whom
  no track is required is measured against every track their level reaches.
- **Fully certified**: holds every track required of them. **Partially certified**: holds at
  least one required track but not all. **Not yet certified**: holds none. Each is a share of active
  agents; the three add up to the active agents.
- **New hires**: agents who joined less than ``new_hire_days`` (30) before ``as_of``; the
  overview says how many of the not yet certified agents are new hires.
- **Certifications earned**: certifications currently held by active agents, over all tracks:
  the sum of the completion table's Completed column. Certifications once held and lost are not
  counted (the seed's 187 is not the sum of its own Completed column, 171).
- **Expiring in 30 days**: held certifications with ``as_of < expires_at <= as_of + 30 days``.
- **Expired**: certifications with an expired standing; **agents flagged for renewal**: the
  distinct agents holding at least one.
- **Completion by track**: *completed* = active agents holding the track; *rate* = completed /
  active agents; *target* = the business's target for the track, or 100% for a required track
  without one (required means every agent). *Status*: "✓" when the rate equals the target,
  "✓ Above target" above it, "⚠ N pending" below a 100% target (N agents still lack it: the gap
  is counted in people when everyone must hold it), "⚠ Below target" below any other target,
  and "—" without a target or without active agents. Rates are compared exactly, unrounded.
- **Agent status matrix**: every active agent, ✅ for a held track and ❌ otherwise, the number
  held of all tracks, and the level (``certification.domain.levels.agent_level`` over all
  tracks: 6/6 Master, 5/6 Strong, 3/6 Developing, 2/6 Needs Attention). Sorted by most held
  first, then by name and id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from refairn.certification.domain.levels import Level, agent_level
from refairn.certification.domain.standing import CertSnapshot, Standing, track_standing
from refairn.programs.domain import level_at_least
from refairn.reporting.domain.inputs import AgentRow, CertState, TrackRow
from refairn.reporting.domain.metrics import HUNDRED, Ratio
from refairn.training.domain import Requirement

EXPIRING_WINDOW = timedelta(days=30)
_FULL_TARGET = Decimal(100)

# agent id -> track id -> standing, for every active agent and every track.
Standings = Mapping[str, Mapping[str, Standing]]


class CompletionStatus(StrEnum):
    MET = "met"
    ABOVE_TARGET = "above_target"
    PENDING = "pending"
    BELOW_TARGET = "below_target"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Overview:
    active_agents: int
    required_track_ids: tuple[str, ...]
    fully_certified: Ratio
    partially_certified: Ratio
    not_yet_certified: Ratio
    new_hires_not_yet_certified: int
    certifications_held: int
    expiring_within_30_days: int
    expired: int
    agents_flagged_for_renewal: int


@dataclass(frozen=True)
class TrackCompletion:
    track_id: str
    name: str
    requirement: Requirement
    completed: Ratio
    target_percent: Decimal | None
    status: CompletionStatus
    # Active agents who do not hold the track: the N of "⚠ N pending".
    missing_agents: int


@dataclass(frozen=True)
class MatrixRow:
    agent_id: str
    name: str
    standings: Mapping[str, Standing]
    certified: int
    track_count: int
    level: Level


def _standing(state: CertState | None, track: TrackRow, as_of: datetime) -> Standing:
    if state is None:
        return Standing.NOT_CERTIFIED
    snapshot = CertSnapshot(
        status=state.status,
        expires_at=state.expires_at,
        requirement=track.requirement,
        security_critical=track.security_critical,
    )
    return track_standing(snapshot, as_of)


def standings_at(
    tracks: Sequence[TrackRow], agents: Sequence[AgentRow], as_of: datetime
) -> Standings:
    """Each agent's standing in each track at ``as_of`` (module docs); a certification for a
    track that is not in ``tracks`` is a caller error."""
    known = {track.track_id for track in tracks}
    result: dict[str, dict[str, Standing]] = {}
    for agent in agents:
        unknown = sorted(set(agent.certifications) - known)
        if unknown:
            raise ValueError(
                f"agent {agent.agent_id} has certifications in unknown tracks {unknown}"
            )
        result[agent.agent_id] = {
            track.track_id: _standing(agent.certifications.get(track.track_id), track, as_of)
            for track in tracks
        }
    return result


def required_track_ids(tracks: Sequence[TrackRow]) -> tuple[str, ...]:
    """The tracks "fully certified" is measured against (module docs)."""
    required = tuple(t.track_id for t in tracks if t.requirement == Requirement.REQUIRED)
    return required or tuple(t.track_id for t in tracks)


def required_of(tracks: Sequence[TrackRow], support_level: str) -> tuple[str, ...]:
    """The tracks "fully certified" measures an agent at ``support_level`` against (module
    docs)."""
    if not any(t.requirement == Requirement.REQUIRED for t in tracks):
        return tuple(t.track_id for t in tracks)
    reached = [t for t in tracks if level_at_least(support_level, t.min_level)]
    required = tuple(t.track_id for t in reached if t.requirement == Requirement.REQUIRED)
    return required or tuple(t.track_id for t in reached)


def effective_target(track: TrackRow) -> Decimal | None:
    """The business's target, or 100% for a required track without one (module docs)."""
    if track.target_percent is not None:
        return track.target_percent
    return _FULL_TARGET if track.requirement == Requirement.REQUIRED else None


def build_overview(
    *,
    tracks: Sequence[TrackRow],
    agents: Sequence[AgentRow],
    standings: Standings,
    as_of: datetime,
    new_hire_days: int,
) -> Overview:
    """PRODUCT.md §8 overview block (module docs for every figure)."""
    required = required_track_ids(tracks)
    new_hire_since = as_of - timedelta(days=new_hire_days)
    expiring_until = as_of + EXPIRING_WINDOW
    fully = partially = not_yet = new_hires = held = expiring = expired = flagged = 0
    for agent in agents:
        standing = standings[agent.agent_id]
        own = required_of(tracks, agent.support_level)
        held_required = sum(standing[track_id] is Standing.CERTIFIED for track_id in own)
        if held_required == len(own) and own:
            fully += 1
        elif held_required:
            partially += 1
        else:
            not_yet += 1
            new_hires += agent.joined_at > new_hire_since
        agent_expired = 0
        for track_id, track_standing_ in standing.items():
            if track_standing_ is Standing.CERTIFIED:
                held += 1
                expires_at = agent.certifications[track_id].expires_at
                expiring += expires_at is not None and expires_at <= expiring_until
            elif track_standing_ is Standing.EXPIRED:
                agent_expired += 1
        expired += agent_expired
        flagged += agent_expired > 0
    total = len(agents)
    return Overview(
        active_agents=total,
        required_track_ids=required,
        fully_certified=Ratio(fully, total),
        partially_certified=Ratio(partially, total),
        not_yet_certified=Ratio(not_yet, total),
        new_hires_not_yet_certified=new_hires,
        certifications_held=held,
        expiring_within_30_days=expiring,
        expired=expired,
        agents_flagged_for_renewal=flagged,
    )


def completion_status(completed: Ratio, target: Decimal | None) -> CompletionStatus:
    """The completion table's Status column (module docs)."""
    rate = completed.fraction
    if target is None or rate is None:
        return CompletionStatus.NOT_APPLICABLE
    exact_target = Fraction(target) / HUNDRED
    if rate == exact_target:
        return CompletionStatus.MET
    if rate > exact_target:
        return CompletionStatus.ABOVE_TARGET
    return CompletionStatus.PENDING if target == _FULL_TARGET else CompletionStatus.BELOW_TARGET


def build_completion(
    *, tracks: Sequence[TrackRow], standings: Standings
) -> tuple[TrackCompletion, ...]:
    """PRODUCT.md §8 "completion by track against targets" (module docs)."""
    rows = []
    for track in tracks:
        held = sum(s[track.track_id] is Standing.CERTIFIED for s in standings.values())
        completed = Ratio(held, len(standings))
        target = effective_target(track)
        rows.append(
            TrackCompletion(
                track_id=track.track_id,
                name=track.name,
                requirement=track.requirement,
                completed=completed,
                target_percent=target,
                status=completion_status(completed, target),
                missing_agents=completed.whole - completed.part,
            )
        )
    return tuple(rows)


def build_matrix(
    *, tracks: Sequence[TrackRow], agents: Sequence[AgentRow], standings: Standings
) -> tuple[MatrixRow, ...]:
    """PRODUCT.md §8 "the agent status matrix with levels" (module docs)."""
    rows = []
    for agent in agents:
        standing = standings[agent.agent_id]
        held = sum(s is Standing.CERTIFIED for s in standing.values())
        rows.append(
            MatrixRow(
                agent_id=agent.agent_id,
                name=agent.name,
                standings=dict(standing),
                certified=held,
                track_count=len(tracks),
                level=agent_level(held, len(tracks)),
            )
        )
    rows.sort(key=lambda row: (-row.certified, row.name.casefold(), row.agent_id))
    return tuple(rows)
