"""Issue 11 item 6: "Required — L2+" is required of agents at L2 and above only; the
dashboard's "fully certified (all required)" counts each agent against their own tracks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from refairn.certification.domain.status import Status
from refairn.reporting.domain.inputs import AgentRow, CertState, TrackRow
from refairn.reporting.domain.overview import build_overview, required_of, standings_at
from refairn.training.domain import Requirement

NOW = datetime(2026, 5, 10, tzinfo=UTC)
EARNED = datetime(2025, 6, 1, tzinfo=UTC)
FUND = TrackRow("fund", "Fundamentals", Requirement.REQUIRED, False)
ADV = TrackRow("adv", "Advanced", Requirement.REQUIRED, False, min_level="L2")
CS = TrackRow("cs", "Customer Success", Requirement.OPTIONAL, False, min_level="L3")
TRACKS = (FUND, ADV, CS)


def held() -> CertState:
    return CertState(Status.CERTIFIED, NOW + timedelta(days=200), EARNED)


def agent(agent_id: str, level: str, *tracks: str) -> AgentRow:
    return AgentRow(
        agent_id,
        agent_id,
        NOW - timedelta(days=400),
        {track: held() for track in tracks},
        support_level=level,
    )


def test_a_level_two_plus_track_is_required_from_l2_and_for_csm():
    assert required_of(TRACKS, "L1") == ("fund",)
    assert required_of(TRACKS, "L2") == ("fund", "adv")
    assert required_of(TRACKS, "L3") == ("fund", "adv")
    assert required_of(TRACKS, "CSM") == ("fund", "adv")


def test_a_program_without_required_tracks_measures_every_track():
    assert required_of((CS,), "L1") == ("cs",)


def overview(*agents: AgentRow):
    rows = list(agents)
    return build_overview(
        tracks=TRACKS,
        agents=rows,
        standings=standings_at(TRACKS, rows, NOW),
        as_of=NOW,
        new_hire_days=30,
    )


def test_fully_certified_counts_each_agent_against_their_level():
    result = overview(
        agent("l1", "L1", "fund"),  # all that is required of an L1
        agent("l2", "L2", "fund"),  # lacks Advanced: partially
        agent("l3", "L3", "fund", "adv"),  # fully, Customer Success is optional
        agent("new", "L2"),  # none
    )
    assert result.fully_certified.part == 2
    assert result.partially_certified.part == 1
    assert result.not_yet_certified.part == 1
