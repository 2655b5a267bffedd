"""Recognition (PRODUCT.md §8; the third seed's "RECOGNITION" block).

"This month" is the calendar month the report covers (``periods.month_of``). Definitions:

- **Top Certified Agent**: the active agent holding the most certifications; ties go to the one
  with more held certifications renewed early (the latest renewal passed before the expiry it
  replaced), then to the one who completed their current set first (earliest latest
  ``earned_at`` among the held tracks), then by name and id. None when nobody holds any.
- **New certifications this month**: certifications of active agents whose current cycle was
  earned this month (``earned_at``); renewals are not new certifications.
- **Master agents**: active agents at the Master level (every track held).
- **First certification this month**: active agents whose first certification in the program
  (``first_certified_at``) falls this month, whether each is a new hire (joined less than
  ``new_hire_days`` before ``as_of``), and the tracks they earned this month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from refairn.certification.domain.levels import Level
from refairn.certification.domain.standing import Standing
from refairn.reporting.domain.inputs import AgentRow, TrackRow
from refairn.reporting.domain.overview import MatrixRow, Standings
from refairn.reporting.domain.periods import Period


@dataclass(frozen=True)
class TopAgent:
    agent_id: str
    name: str
    certified: int
    track_count: int
    renewed_early: int


@dataclass(frozen=True)
class NamedAgent:
    agent_id: str
    name: str


@dataclass(frozen=True)
class FirstCertification:
    agent_id: str
    name: str
    new_hire: bool
    track_names: tuple[str, ...]


@dataclass(frozen=True)
class Recognition:
    month: Period
    top_agent: TopAgent | None
    new_certifications: int
    masters: tuple[NamedAgent, ...]
    first_certifications: tuple[FirstCertification, ...]


def _top_agent(
    agents: Sequence[AgentRow], standings: Standings, track_count: int
) -> TopAgent | None:
    best: tuple[tuple[int, int, datetime, str, str], TopAgent] | None = None
    for agent in agents:
        held = [
            agent.certifications[track_id]
            for track_id, standing in standings[agent.agent_id].items()
            if standing is Standing.CERTIFIED
        ]
        if not held:
            continue
        early = sum(s.last_renewal is not None and s.last_renewal.early for s in held)
        # CertState guarantees earned_at on a certified state.
        completed_at = max(s.earned_at for s in held if s.earned_at is not None)
        key = (-len(held), -early, completed_at, agent.name.casefold(), agent.agent_id)
        if best is None or key < best[0]:
            top = TopAgent(agent.agent_id, agent.name, len(held), track_count, early)
            best = (key, top)
    return None if best is None else best[1]


def build_recognition(
    *,
    tracks: Sequence[TrackRow],
    agents: Sequence[AgentRow],
    standings: Standings,
    matrix: Sequence[MatrixRow],
    as_of: datetime,
    month: Period,
    new_hire_days: int,
) -> Recognition:
    """PRODUCT.md §8 recognition block (module docs)."""
    names = {track.track_id: track.name for track in tracks}
    new_hire_since = as_of - timedelta(days=new_hire_days)
    new_certifications = 0
    firsts = []
    for agent in agents:
        earned_now = tuple(
            names[track_id]
            for track_id in names
            if (state := agent.certifications.get(track_id)) is not None
            and state.earned_at is not None
            and month.contains(state.earned_at)
        )
        new_certifications += len(earned_now)
        if agent.first_certified_at is not None and month.contains(agent.first_certified_at):
            firsts.append(
                FirstCertification(
                    agent_id=agent.agent_id,
                    name=agent.name,
                    new_hire=agent.joined_at > new_hire_since,
                    track_names=earned_now,
                )
            )
    firsts.sort(key=lambda first: (first.name.casefold(), first.agent_id))
    return Recognition(
        month=month,
        top_agent=_top_agent(agents, standings, len(tracks)),
        new_certifications=new_certifications,
        masters=tuple(
            NamedAgent(row.agent_id, row.name) for row in matrix if row.level is Level.MASTER
        ),
        first_certifications=tuple(firsts),
    )
