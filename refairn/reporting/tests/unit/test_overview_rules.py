"""Overview, completion status and renewal rules on small programs (overview and renewals
module docs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.certification.domain.standing import Standing
from refairn.certification.domain.status import Status
from refairn.reporting.domain.dashboard import Dashboard, build_dashboard
from refairn.reporting.domain.inputs import AgentRow, CertState, CostInputs, Renewal, TrackRow
from refairn.reporting.domain.metrics import Ratio
from refairn.reporting.domain.overview import CompletionStatus, completion_status
from refairn.reporting.domain.periods import trailing_window
from refairn.reporting.domain.renewals import Priority
from refairn.training.domain import Requirement

D = Decimal
NOW = datetime(2026, 5, 10, tzinfo=UTC)
EARNED = datetime(2025, 6, 1, tzinfo=UTC)
REQ = TrackRow("req", "Required", Requirement.REQUIRED, True)
OPT = TrackRow("opt", "Optional", Requirement.OPTIONAL, False)


def held(expires_in_days: int = 200, renewal: Renewal | None = None) -> CertState:
    return CertState(Status.CERTIFIED, NOW + timedelta(days=expires_in_days), EARNED, renewal)


def agent(
    agent_id: str, certifications: dict[str, CertState], joined_days_ago: int = 400
) -> AgentRow:
    return AgentRow(
        agent_id, agent_id.title(), NOW - timedelta(days=joined_days_ago), certifications
    )


def dashboard(tracks: tuple[TrackRow, ...], agents: list[AgentRow]) -> Dashboard:
    return build_dashboard(
        as_of=NOW,
        business_name="Acme",
        tracks=tracks,
        agents=agents,
        routing=(),
        routing_window=trailing_window(NOW),
        question_stats=(),
        track_scores=(),
        costs=CostInputs(None, None),
    )


@pytest.mark.parametrize(
    ("completed", "target", "status"),
    [
        (Ratio(42, 42), D(100), CompletionStatus.MET),
        (Ratio(40, 42), D(100), CompletionStatus.PENDING),
        (Ratio(28, 42), D(80), CompletionStatus.BELOW_TARGET),
        (Ratio(12, 42), D(20), CompletionStatus.ABOVE_TARGET),
        (Ratio(4, 5), D(80), CompletionStatus.MET),
        (Ratio(4, 5), None, CompletionStatus.NOT_APPLICABLE),
        (Ratio(0, 0), D(80), CompletionStatus.NOT_APPLICABLE),
    ],
)
def test_completion_status(
    completed: Ratio, target: Decimal | None, status: CompletionStatus
) -> None:
    assert completion_status(completed, target) is status


def test_a_required_track_without_target_is_held_to_100_percent() -> None:
    d = dashboard((REQ, OPT), [agent("ann", {"req": held()}), agent("bob", {})])

    assert [(row.target_percent, row.status) for row in d.completion] == [
        (D(100), CompletionStatus.PENDING),
        (None, CompletionStatus.NOT_APPLICABLE),
    ]


def test_without_required_tracks_every_track_counts_as_required() -> None:
    d = dashboard((OPT,), [agent("ann", {"opt": held()}), agent("bob", {})])

    assert d.overview.required_track_ids == ("opt",)
    assert d.overview.fully_certified == Ratio(1, 2)


def test_an_agent_retaking_after_expiry_counts_as_expired_and_overdue() -> None:
    retaking = CertState(Status.SUBMITTED, NOW - timedelta(days=3), EARNED)

    d = dashboard((REQ,), [agent("ann", {"req": retaking})])

    assert d.matrix[0].standings["req"] is Standing.EXPIRED
    assert (d.overview.expired, d.renewals.overdue_agents) == (1, 1)
    assert d.renewals.priorities[0].priority is Priority.HIGH


def test_revoked_certifications_are_never_due_for_renewal() -> None:
    revoked = CertState(Status.REVOKED, NOW + timedelta(days=5), EARNED)

    d = dashboard((REQ,), [agent("ann", {"req": revoked})])

    assert d.renewals.expiring_this_quarter == 0
    assert d.renewals.priorities == ()


def test_an_early_renewal_last_quarter_completes_this_quarters_renewal() -> None:
    renewal = Renewal(datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 4, 15, tzinfo=UTC))

    d = dashboard((REQ,), [agent("ann", {"req": held(400, renewal)})])

    assert (d.renewals.completed, d.renewals.pending) == (Ratio(1, 1), Ratio(0, 1))


def test_expiring_window_includes_day_30_and_excludes_day_31() -> None:
    agents = [
        agent("ann", {"req": held(30)}),
        agent("bob", {"req": held(31)}),
    ]

    d = dashboard((REQ,), agents)

    assert d.overview.expiring_within_30_days == 1
    assert d.renewals.tracks[0].due_within_30_days == 1


def test_new_hires_are_those_who_joined_less_than_30_days_ago() -> None:
    agents = [agent("ann", {}, joined_days_ago=29), agent("bob", {}, joined_days_ago=30)]

    d = dashboard((REQ,), agents)

    assert (d.overview.not_yet_certified.part, d.overview.new_hires_not_yet_certified) == (2, 1)


def test_certifications_in_unknown_tracks_are_refused() -> None:
    with pytest.raises(ValueError):
        dashboard((REQ,), [agent("ann", {"gone": held()})])


def test_a_certified_state_needs_its_earned_time() -> None:
    with pytest.raises(ValueError):
        CertState(Status.CERTIFIED, NOW)


statuses = st.sampled_from([None, Status.CERTIFIED, Status.EXPIRED, Status.IN_PROGRESS])


@given(st.lists(st.tuples(statuses, statuses, statuses), max_size=12))
def test_fully_partially_and_not_yet_certified_partition_the_agents(
    programs: list[tuple[Status | None, Status | None, Status | None]],
) -> None:
    tracks = (
        REQ,
        TrackRow("req2", "Required 2", Requirement.REQUIRED, False),
        OPT,
    )
    agents = [
        agent(
            f"a{i}",
            {
                track.track_id: CertState(status, NOW + timedelta(days=9), EARNED)
                for track, status in zip(tracks, row, strict=True)
                if status is not None
            },
        )
        for i, row in enumerate(programs)
    ]

    o = dashboard(tracks, agents).overview

    parts = o.fully_certified.part + o.partially_certified.part + o.not_yet_certified.part
    assert parts == o.active_agents == len(agents)
    assert o.certifications_held == sum(row.count(Status.CERTIFIED) for row in programs)
    assert o.fully_certified.part == sum(row[0] == row[1] == Status.CERTIFIED for row in programs)
