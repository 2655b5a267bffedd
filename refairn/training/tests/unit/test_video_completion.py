from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.training.domain import (
    ModuleProgress,
    TrainingRuleViolation,
    add_watched,
    merge_intervals,
    video_complete,
    video_progress,
    watch_budget,
)

D = Decimal


def test_overlapping_intervals_merge():
    assert merge_intervals([(0, 30), (20, 50), (70, 80)], 100) == [(D(0), D(50)), (D(70), D(80))]


def test_touching_intervals_merge():
    assert merge_intervals([(10, 20), (0, 10)], 100) == [(D(0), D(20))]


def test_contained_interval_disappears_into_its_container():
    assert merge_intervals([(0, 60), (10, 20)], 100) == [(D(0), D(60))]


def test_intervals_are_clamped_to_the_video():
    assert merge_intervals([(-5, 10), (90, 500)], 100) == [(D(0), D(10)), (D(90), D(100))]


def test_empty_reversed_and_outside_intervals_are_dropped():
    assert merge_intervals([(5, 5), (30, 20), (150, 200), (-10, -1)], 100) == []


def test_float_positions_are_read_exactly():
    assert merge_intervals([(0.1, 0.3)], 10) == [(D("0.1"), D("0.3"))]


def test_non_finite_position_is_refused():
    with pytest.raises(TrainingRuleViolation) as caught:
        merge_intervals([(0, float("inf"))], 100)
    assert caught.value.code == "invalid_interval"
    with pytest.raises(TrainingRuleViolation):
        merge_intervals([(float("nan"), 10)], 100)


def test_video_without_duration_is_refused():
    with pytest.raises(ValueError):
        merge_intervals([(0, 1)], 0)


def test_skipping_to_the_end_does_not_complete():
    assert not video_complete(merge_intervals([(0, 2), (590, 600)], 600), 600)
    assert video_progress([(D(590), D(600))], 600) == ModuleProgress(False, 1)


def test_exactly_95_percent_completes():
    assert video_complete([(D(0), D(570))], 600)
    assert video_progress([(D(0), D(570))], 600) == ModuleProgress(True, 100)


def test_just_under_95_percent_does_not_complete():
    assert not video_complete([(D(0), D("569.999"))], 600)
    assert video_progress([(D(0), D("569.999"))], 600) == ModuleProgress(False, 94)


def test_coverage_counts_the_union_not_the_sum():
    # 400 + 400 seconds reported, but they overlap on 300: union 500 of 600.
    watched = [(0, 400), (100, 500)]
    assert not video_complete(merge_intervals(watched, 600), 600)
    assert video_progress(merge_intervals(watched, 600), 600) == ModuleProgress(False, 83)


def test_pieces_watched_in_any_order_complete_together():
    pieces = [(300, 600), (0, 150), (150, 285)]
    assert video_complete(merge_intervals(pieces, 600), 600)


def test_completion_check_merges_unmerged_input_itself():
    assert not video_complete([(D(0), D(300)), (D(0), D(300))], 600)


intervals = st.lists(
    st.tuples(st.integers(-50, 700), st.integers(-50, 700)),
    max_size=12,
)


@given(intervals)
def test_merged_intervals_are_sorted_disjoint_and_inside_the_video(raw):
    merged = merge_intervals(raw, 600)
    for start, end in merged:
        assert 0 <= start < end <= 600
    for (_, end), (next_start, _) in pairwise(merged):
        assert end < next_start


@given(intervals)
def test_merging_is_idempotent_and_covers_every_watched_second(raw):
    merged = merge_intervals(raw, 600)
    assert merge_intervals(merged, 600) == merged
    for start, end in raw:
        for second in range(max(start, 0), min(end, 600)):
            assert any(s <= second < e for s, e in merged)


# -- issue 11 item 7: no more than twice the time since the module was opened ----------------


def test_the_budget_is_twice_the_time_since_opening():
    assert watch_budget(D(240)) == D(480)
    assert watch_budget(D(-5)) == D(0)


def test_new_coverage_is_kept_from_the_earliest_position_up_to_the_budget():
    assert add_watched([], [(0, 600)], 1000, D(480)) == [(D(0), D(480))]


def test_stored_coverage_is_not_counted_twice_against_the_budget():
    # 0-100 stored; the report repeats it and adds 100-300: only 50 more seconds fit.
    assert add_watched([(D(0), D(100))], [(0, 300)], 1000, D(150)) == [(D(0), D(150))]


def test_intervals_beyond_the_video_are_clipped_before_the_budget_applies():
    assert add_watched([], [(90, 500)], 100, D(1000)) == [(D(90), D(100))]


def test_overlapping_reported_intervals_count_once():
    assert add_watched([], [(0, 60), (30, 90), (30, 90)], 100, D(90)) == [(D(0), D(90))]


def test_the_budget_spreads_over_several_gaps_in_order():
    stored = [(D(10), D(20))]
    # 10 s stored leave 15: 0-10 fills the first gap, 20-25 the next.
    assert add_watched(stored, [(0, 50)], 100, D(25)) == [(D(0), D(25))]


@given(
    stored=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=5),
    reported=st.lists(st.tuples(st.integers(-20, 220), st.integers(-20, 220)), max_size=8),
    budget=st.integers(0, 400),
)
def test_watched_time_never_exceeds_the_budget_or_what_was_stored(stored, reported, budget):
    before = merge_intervals(stored, 200)
    before_total = sum((e - s for s, e in before), D(0))
    after = add_watched(before, reported, 200, D(budget))
    after_total = sum((e - s for s, e in after), D(0))
    assert after_total <= max(before_total, D(budget))
    assert after_total >= before_total
    assert merge_intervals(after, 200) == after
    for start, end in before:  # stored coverage stays
        assert any(s <= start and end <= e for s, e in after)
