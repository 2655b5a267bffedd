from datetime import UTC, datetime, timedelta

import pytest

from refairn.assessments.domain import answer_allowed, deadline_for, needs_auto_submit

START = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)


def test_deadline_is_start_plus_time_limit():
    assert deadline_for(START, 30) == DEADLINE


def test_untimed_assessment_has_no_deadline():
    assert deadline_for(START, None) is None


def test_time_limit_below_one_minute_is_refused():
    with pytest.raises(ValueError):
        deadline_for(START, 0)


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        deadline_for(datetime(2026, 1, 10, 9, 0), 30)


def test_answer_at_exactly_the_deadline_is_allowed():
    assert answer_allowed(DEADLINE, DEADLINE, submitted=False)


def test_answer_one_second_after_the_deadline_is_refused():
    assert not answer_allowed(DEADLINE, DEADLINE + timedelta(seconds=1), submitted=False)


def test_answer_after_submission_is_refused():
    assert not answer_allowed(DEADLINE, START, submitted=True)


def test_untimed_open_attempt_takes_answers():
    assert answer_allowed(None, START + timedelta(days=3), submitted=False)


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        answer_allowed(DEADLINE, datetime(2026, 1, 10, 9, 0), submitted=False)


def test_open_attempt_past_its_deadline_needs_auto_submit():
    assert not needs_auto_submit(DEADLINE, DEADLINE, submitted=False)
    assert needs_auto_submit(DEADLINE, DEADLINE + timedelta(seconds=1), submitted=False)


def test_submitted_or_untimed_attempt_needs_no_auto_submit():
    later = DEADLINE + timedelta(hours=1)

    assert not needs_auto_submit(DEADLINE, later, submitted=True)
    assert not needs_auto_submit(None, later, submitted=False)
