"""Issue 12 item 5: the draft → published → archived lifecycle of tracks and modules."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refairn.training.domain import (
    TRANSITIONS,
    ContentStatus,
    LifecycleAction,
    TrainingRuleViolation,
    next_status,
)

DRAFT, PUBLISHED, ARCHIVED = ContentStatus
PUBLISH, ARCHIVE = LifecycleAction

TABLE = [
    (DRAFT, PUBLISH, PUBLISHED),
    (DRAFT, ARCHIVE, ARCHIVED),
    (PUBLISHED, PUBLISH, None),
    (PUBLISHED, ARCHIVE, ARCHIVED),
    (ARCHIVED, PUBLISH, PUBLISHED),
    (ARCHIVED, ARCHIVE, None),
]


def test_the_table_covers_every_status_and_action():
    assert {(status, action) for status, action, _ in TABLE} == {
        (status, action) for status in ContentStatus for action in LifecycleAction
    }


@pytest.mark.parametrize(("status", "action", "after"), TABLE)
def test_each_move(status, action, after):
    if after is None:
        with pytest.raises(TrainingRuleViolation) as caught:
            next_status(status, action)
        assert caught.value.code == "invalid_transition"
        assert action.value in caught.value.detail and status.value in caught.value.detail
    else:
        assert next_status(status.value, action.value) is after


@given(st.lists(st.sampled_from(list(LifecycleAction)), max_size=12))
def test_any_sequence_of_actions_stays_in_the_machine(actions):
    status = DRAFT
    for action in actions:
        try:
            after = next_status(status, action)
        except TrainingRuleViolation:
            assert (status, action) not in TRANSITIONS
            continue
        assert TRANSITIONS[(status, action)] is after
        # Nothing ever goes back to being a draft.
        assert after is not DRAFT
        status = after
