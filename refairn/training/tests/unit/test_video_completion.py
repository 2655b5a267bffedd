from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.training.domain import (
    ModuleProgress,
    TrainingRuleViolation,
    merge_intervals,
    video_complete,
    video_progress,
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
