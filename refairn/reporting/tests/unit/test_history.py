"""Replaying a certification's events into its cycle at an instant (reporting.domain.history)."""

from __future__ import annotations

from datetime import UTC, datetime

from refairn.certification.domain.status import Event
from refairn.reporting.domain.history import RecordedEvent, replay_cycle
from refairn.reporting.domain.inputs import Renewal


def at(month: int, day: int = 1, year: int = 2025) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def recorded(*events: tuple[Event, datetime], months: int = 12) -> list[RecordedEvent]:
    return [RecordedEvent(event, moment, months) for event, moment in events]


def test_approval_earns_and_sets_one_interval() -> None:
    cycle = replay_cycle(recorded((Event.APPROVE, at(3))))

    assert cycle.earned_at == at(3)
    assert cycle.expires_at == at(3, year=2026)
    assert cycle.last_renewal is None
    assert cycle.first_certified_at == at(3)


def test_renewal_extends_from_the_old_expiry_and_keeps_the_earning() -> None:
    cycle = replay_cycle(recorded((Event.AUTO_APPROVE, at(3)), (Event.RENEW, at(2, 15, 2026))))

    assert cycle.earned_at == at(3)
    assert cycle.expires_at == at(3, year=2027)
    assert cycle.last_renewal == Renewal(at(2, 15, 2026), at(3, year=2026))
    assert cycle.last_renewal.early


def test_approval_after_a_lapse_is_a_late_renewal() -> None:
    """Expired, retaken and approved: PRODUCT.md §5 "renewed to certified", not a new
    certification; the new period runs in full from the approval (issue 11 item 2)."""
    cycle = replay_cycle(
        recorded(
            (Event.APPROVE, at(1)),
            (Event.EXPIRE, at(7)),
            (Event.SUBMIT, at(8)),
            (Event.AUTO_PASS, at(8)),
            (Event.APPROVE, at(8, 2)),
            months=6,
        )
    )

    assert cycle.earned_at == at(1)
    assert cycle.expires_at == at(2, 2, year=2026)
    assert cycle.last_renewal == Renewal(at(8, 2), at(7))
    assert not cycle.last_renewal.early


def test_reopening_starts_a_new_cycle_but_not_a_new_first_certification() -> None:
    cycle = replay_cycle(
        recorded(
            (Event.APPROVE, at(1)),
            (Event.RENEW, at(12, 20)),
            (Event.REVOKE, at(12, 21)),
            (Event.REOPEN, at(12, 22)),
        )
    )

    assert (cycle.expires_at, cycle.earned_at, cycle.last_renewal) == (None, None, None)
    assert cycle.first_certified_at == at(1)

    again = replay_cycle(
        recorded((Event.APPROVE, at(1)), (Event.REOPEN, at(6)), (Event.APPROVE, at(9)))
    )
    assert (again.earned_at, again.expires_at) == (at(9), at(9, year=2026))


def test_nothing_certified_yet_has_no_cycle() -> None:
    cycle = replay_cycle(recorded((Event.START_TRAINING, at(1)), (Event.SUBMIT, at(2))))

    assert cycle == type(cycle)()
