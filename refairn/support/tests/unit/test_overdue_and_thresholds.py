from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.support.domain.errors import SlaConfigError
from refairn.support.domain.thresholds import (
    Action,
    BreachKind,
    SlaPolicy,
    TrailingWindow,
    deadline_missed,
    flags_in_window,
    threshold_actions,
)

CREATED = datetime(2026, 3, 2, 9, tzinfo=UTC)
FIRST_DUE = CREATED + timedelta(hours=24)
RESOLUTION_DUE = CREATED + timedelta(hours=72)


def breaches(
    *,
    now: datetime,
    responded: datetime | None = None,
    resolved: datetime | None = None,
    escalated: datetime | None = None,
) -> set[BreachKind]:
    deadlines = {
        BreachKind.FIRST_RESPONSE: (FIRST_DUE, responded),
        BreachKind.RESOLUTION: (RESOLUTION_DUE, resolved),
    }
    return {
        kind
        for kind, (due, done) in deadlines.items()
        if deadline_missed(due=due, done_at=done, escalated_at=escalated, now=now)
    }


def test_nothing_is_overdue_before_the_first_deadline() -> None:
    assert breaches(now=FIRST_DUE - timedelta(minutes=1)) == set()


def test_reaching_the_deadline_exactly_is_not_yet_overdue() -> None:
    assert breaches(now=FIRST_DUE) == set()


def test_unanswered_ticket_past_first_deadline_breaches_first_response() -> None:
    assert breaches(now=FIRST_DUE + timedelta(seconds=1)) == {BreachKind.FIRST_RESPONSE}


def test_reply_at_the_deadline_is_on_time() -> None:
    assert breaches(now=FIRST_DUE + timedelta(hours=1), responded=FIRST_DUE) == set()


def test_late_reply_stays_a_first_response_breach() -> None:
    late = FIRST_DUE + timedelta(minutes=5)
    assert breaches(now=late + timedelta(hours=1), responded=late) == {BreachKind.FIRST_RESPONSE}


def test_open_ticket_past_resolution_deadline_breaches_resolution() -> None:
    now = RESOLUTION_DUE + timedelta(minutes=1)
    assert breaches(now=now, responded=CREATED + timedelta(hours=1)) == {BreachKind.RESOLUTION}


def test_unanswered_and_unresolved_ticket_breaches_both() -> None:
    now = RESOLUTION_DUE + timedelta(days=1)
    assert breaches(now=now) == {BreachKind.FIRST_RESPONSE, BreachKind.RESOLUTION}


def test_resolved_in_time_never_breaches_later() -> None:
    on_time = CREATED + timedelta(hours=2)
    assert (
        breaches(now=RESOLUTION_DUE + timedelta(days=9), responded=on_time, resolved=on_time)
        == set()
    )


def test_escalation_exempts_later_deadlines_but_not_already_missed_ones() -> None:
    escalated = CREATED + timedelta(hours=30)  # after the first deadline, before resolution's
    responded = escalated  # the escalation acknowledgement
    now = RESOLUTION_DUE + timedelta(days=5)
    assert breaches(now=now, responded=responded, escalated=escalated) == {
        BreachKind.FIRST_RESPONSE
    }


def test_escalation_in_time_leaves_no_breach_even_unresolved() -> None:
    escalated = CREATED + timedelta(hours=1)
    now = RESOLUTION_DUE + timedelta(days=5)
    assert breaches(now=now, responded=escalated, escalated=escalated) == set()


def test_escalating_exactly_at_the_deadline_is_in_time() -> None:
    now = FIRST_DUE + timedelta(hours=1)
    assert breaches(now=now, escalated=FIRST_DUE) == set()


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        breaches(now=datetime(2026, 3, 9))
    with pytest.raises(ValueError, match="aware"):
        breaches(now=RESOLUTION_DUE, escalated=datetime(2026, 3, 9))


# Trailing 30-day window

NOW = datetime(2026, 4, 30, 12, tzinfo=UTC)


def test_flags_within_thirty_days_count() -> None:
    flags = [NOW, NOW - timedelta(days=1), NOW - timedelta(days=30) + timedelta(seconds=1)]
    assert flags_in_window(flags, NOW) == 3


def test_flag_exactly_thirty_days_old_has_stopped_counting() -> None:
    assert flags_in_window([NOW - timedelta(days=30)], NOW) == 0


def test_flag_thirty_one_days_old_no_longer_counts() -> None:
    assert flags_in_window([NOW - timedelta(days=31), NOW - timedelta(days=2)], NOW) == 1


def test_future_flags_are_not_counted() -> None:
    assert flags_in_window([NOW + timedelta(seconds=1)], NOW) == 0


@given(st.lists(st.integers(0, 60 * 24 * 90), max_size=30), st.sampled_from([1, 7, 30]))
def test_a_trailing_window_counts_each_flag_as_flags_in_window(
    minutes: list[int], days: int
) -> None:
    times = [NOW + timedelta(minutes=m) for m in sorted(minutes)]
    window = TrailingWindow(days)
    counts = [window.add(at) for at in times]
    assert counts == [flags_in_window(times[:n], at, days) for n, at in enumerate(times)]


def test_a_trailing_window_takes_flags_in_time_order() -> None:
    window = TrailingWindow()
    window.add(NOW)
    with pytest.raises(ValueError, match="time order"):
        window.add(NOW - timedelta(seconds=1))


def test_window_length_is_configurable() -> None:
    flags = [NOW - timedelta(days=6), NOW - timedelta(days=8)]
    assert flags_in_window(flags, NOW, days=7) == 1


# Thresholds (defaults: warning 3, review 5)


def actions(before: int, after: int, *, review_open: bool = False) -> set[Action]:
    return threshold_actions(
        count_before=before,
        count_after=after,
        warning_threshold=3,
        review_threshold=5,
        review_open=review_open,
    )


def test_third_flag_in_window_warns() -> None:
    assert actions(2, 3) == {Action.WARN}


def test_first_two_flags_do_nothing() -> None:
    assert actions(0, 1) == set()
    assert actions(1, 2) == set()


def test_fourth_flag_does_not_warn_again() -> None:
    assert actions(3, 4) == set()


def test_fifth_flag_opens_a_review() -> None:
    assert actions(4, 5) == {Action.OPEN_REVIEW}


def test_further_flags_do_not_open_more_reviews() -> None:
    assert actions(5, 6) == set()
    assert actions(6, 7) == set()


def test_no_second_review_while_one_is_open() -> None:
    assert actions(4, 5, review_open=True) == set()


def test_warning_rearms_once_flags_age_out() -> None:
    # Count fell back to 2 as old flags left the window; the next flag reaches 3 again.
    assert actions(2, 3) == {Action.WARN}


def test_several_flags_at_once_cross_both_thresholds() -> None:
    assert actions(2, 5) == {Action.WARN, Action.OPEN_REVIEW}


def test_counts_must_not_decrease() -> None:
    with pytest.raises(ValueError, match="count_before"):
        actions(3, 2)


@given(st.lists(st.integers(0, 1), min_size=1, max_size=40))
def test_each_threshold_fires_once_per_climb(steps: list[int]) -> None:
    # A count that only climbs (one flag or none per sweep) warns and reviews at most once.
    count, fired = 0, list[Action]()
    for step in steps:
        fired.extend(actions(count, count + step))
        count += step
    assert fired.count(Action.WARN) == (1 if count >= 3 else 0)
    assert fired.count(Action.OPEN_REVIEW) == (1 if count >= 5 else 0)


def test_policy_defaults_and_validation() -> None:
    assert SlaPolicy() == SlaPolicy(warning_threshold=3, review_threshold=5, window_days=30)
    with pytest.raises(SlaConfigError) as error:
        SlaPolicy(review_threshold=0)
    assert error.value.field == "review_threshold"
