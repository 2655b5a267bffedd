import pytest

from refairn.certification.domain import (
    ALLOWED_ACTORS,
    TRANSITIONS,
    ActorKind,
    Event,
    ForbiddenTransition,
    InvalidHistory,
    InvalidTransition,
    Status,
    allowed_events,
    check_actor,
    next_status,
    replay,
)

S, E, A = Status, Event, ActorKind

# Written out by hand from PRODUCT.md §5 so that a change to the table has to change this too.
EXPECTED = {
    (S.NOT_STARTED, E.START_TRAINING): S.IN_PROGRESS,
    (S.IN_PROGRESS, E.SUBMIT): S.SUBMITTED,
    (S.FAILED, E.SUBMIT): S.SUBMITTED,
    (S.EXPIRED, E.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, E.AUTO_FAIL): S.FAILED,
    (S.SUBMITTED, E.AUTO_PASS): S.PASSED,
    (S.SUBMITTED, E.SEND_TO_REVIEW): S.AWAITING_MANUAL_REVIEW,
    (S.AWAITING_MANUAL_REVIEW, E.REVIEW_PASS): S.PASSED,
    (S.AWAITING_MANUAL_REVIEW, E.REVIEW_FAIL): S.FAILED,
    (S.PASSED, E.APPROVE): S.CERTIFIED,
    (S.PASSED, E.AUTO_APPROVE): S.CERTIFIED,
    (S.PASSED, E.DECLINE): S.FAILED,
    (S.CERTIFIED, E.EXPIRE): S.EXPIRED,
    (S.CERTIFIED, E.RENEW): S.CERTIFIED,
    (S.EXPIRED, E.RENEW): S.CERTIFIED,
    (S.NOT_STARTED, E.REVOKE): S.REVOKED,
    (S.IN_PROGRESS, E.REVOKE): S.REVOKED,
    (S.SUBMITTED, E.REVOKE): S.REVOKED,
    (S.FAILED, E.REVOKE): S.REVOKED,
    (S.AWAITING_MANUAL_REVIEW, E.REVOKE): S.REVOKED,
    (S.PASSED, E.REVOKE): S.REVOKED,
    (S.CERTIFIED, E.REVOKE): S.REVOKED,
    (S.EXPIRED, E.REVOKE): S.REVOKED,
    (S.REVOKED, E.REOPEN): S.NOT_STARTED,
}


def test_status_has_exactly_the_nine_product_values():
    assert [s.value for s in Status] == [
        "not_started",
        "in_progress",
        "submitted",
        "failed",
        "awaiting_manual_review",
        "passed",
        "certified",
        "expired",
        "revoked",
    ]


def test_transition_table_is_exactly_the_product_table():
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(
    ("current", "event", "expected"), [(c, e, t) for (c, e), t in EXPECTED.items()]
)
def test_every_legal_transition_leads_where_the_table_says(current, event, expected):
    assert next_status(current, event) is expected


@pytest.mark.parametrize(
    ("current", "event"),
    [
        (S.NOT_STARTED, E.SUBMIT),
        (S.NOT_STARTED, E.APPROVE),
        (S.IN_PROGRESS, E.START_TRAINING),
        (S.SUBMITTED, E.SUBMIT),
        (S.SUBMITTED, E.APPROVE),
        (S.AWAITING_MANUAL_REVIEW, E.APPROVE),
        (S.AWAITING_MANUAL_REVIEW, E.SUBMIT),
        (S.FAILED, E.APPROVE),
        (S.FAILED, E.RENEW),
        (S.PASSED, E.SUBMIT),
        (S.PASSED, E.EXPIRE),
        (S.CERTIFIED, E.APPROVE),
        (S.CERTIFIED, E.SUBMIT),
        (S.CERTIFIED, E.DECLINE),
        (S.EXPIRED, E.EXPIRE),
        (S.EXPIRED, E.APPROVE),
        (S.REVOKED, E.REVOKE),
        (S.REVOKED, E.SUBMIT),
        (S.REVOKED, E.RENEW),
        (S.NOT_STARTED, E.REOPEN),
        (S.CERTIFIED, E.REOPEN),
    ],
)
def test_illegal_transition_is_refused_with_a_clear_error(current, event):
    with pytest.raises(InvalidTransition) as caught:
        next_status(current, event)
    assert caught.value.current is current
    assert caught.value.event is event
    assert caught.value.code == "invalid_transition"
    assert str(caught.value) == f"Cannot {event.value} when the status is {current.value}."


def test_every_pair_outside_the_table_is_refused():
    refused = 0
    for current in Status:
        for event in Event:
            if (current, event) in EXPECTED:
                continue
            with pytest.raises(InvalidTransition):
                next_status(current, event)
            refused += 1
    assert refused == len(Status) * len(Event) - len(EXPECTED)


def test_allowed_events_from_passed_are_the_business_decisions_and_revoke():
    assert allowed_events(S.PASSED) == {E.APPROVE, E.AUTO_APPROVE, E.DECLINE, E.REVOKE}


def test_only_reopen_is_allowed_from_revoked():
    assert allowed_events(S.REVOKED) == {E.REOPEN}


def test_every_event_names_who_may_trigger_it():
    assert set(ALLOWED_ACTORS) == set(Event)


@pytest.mark.parametrize(
    ("event", "actors"),
    [
        (E.START_TRAINING, {A.AGENT}),
        (E.SUBMIT, {A.AGENT, A.SYSTEM}),
        (E.AUTO_FAIL, {A.SYSTEM}),
        (E.AUTO_PASS, {A.SYSTEM}),
        (E.SEND_TO_REVIEW, {A.SYSTEM}),
        (E.AUTO_APPROVE, {A.SYSTEM}),
        (E.EXPIRE, {A.SYSTEM}),
        (E.REVIEW_PASS, {A.OWNER, A.MANAGER, A.REVIEWER}),
        (E.REVIEW_FAIL, {A.OWNER, A.MANAGER, A.REVIEWER}),
        (E.APPROVE, {A.OWNER, A.MANAGER, A.REVIEWER}),
        (E.DECLINE, {A.OWNER, A.MANAGER, A.REVIEWER}),
        (E.RENEW, {A.SYSTEM, A.OWNER, A.MANAGER, A.REVIEWER}),
        (E.REVOKE, {A.OWNER, A.MANAGER}),
        (E.REOPEN, {A.OWNER, A.MANAGER}),
    ],
)
def test_actor_table_allows_exactly_these_actors(event, actors):
    for actor in ActorKind:
        if actor in actors:
            check_actor(event, actor)
        else:
            with pytest.raises(ForbiddenTransition):
                check_actor(event, actor)


def test_reviewer_may_not_revoke():
    with pytest.raises(ForbiddenTransition) as caught:
        check_actor(E.REVOKE, A.REVIEWER)
    assert caught.value.code == "forbidden"
    assert str(caught.value) == "A reviewer may not revoke."


def test_agent_may_not_approve_their_own_pass():
    with pytest.raises(ForbiddenTransition):
        check_actor(E.APPROVE, A.AGENT)


def test_replay_of_an_empty_history_is_not_started():
    assert replay([]) is S.NOT_STARTED


def test_replay_follows_a_full_life_with_retry_renewal_and_revoke():
    history = [
        (S.NOT_STARTED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.SUBMITTED),
        (S.SUBMITTED, S.FAILED),
        (S.FAILED, S.SUBMITTED),
        (S.SUBMITTED, S.AWAITING_MANUAL_REVIEW),
        (S.AWAITING_MANUAL_REVIEW, S.PASSED),
        (S.PASSED, S.CERTIFIED),
        (S.CERTIFIED, S.CERTIFIED),
        (S.CERTIFIED, S.EXPIRED),
        (S.EXPIRED, S.SUBMITTED),
        (S.SUBMITTED, S.PASSED),
        (S.PASSED, S.CERTIFIED),
        (S.CERTIFIED, S.REVOKED),
        (S.REVOKED, S.NOT_STARTED),
    ]
    assert replay(history) is S.NOT_STARTED
    assert replay(history[:7]) is S.CERTIFIED


def test_replay_accepts_plain_strings_as_stored():
    assert replay([("not_started", "in_progress"), ("in_progress", "revoked")]) is S.REVOKED


def test_replay_rejects_a_change_no_event_makes():
    with pytest.raises(InvalidHistory) as caught:
        replay([(S.NOT_STARTED, S.IN_PROGRESS), (S.IN_PROGRESS, S.CERTIFIED)])
    assert caught.value.index == 1


def test_replay_rejects_a_gap_in_the_chain():
    with pytest.raises(InvalidHistory) as caught:
        replay([(S.NOT_STARTED, S.IN_PROGRESS), (S.SUBMITTED, S.FAILED)])
    assert caught.value.index == 1
    assert "the previous entry left in_progress" in str(caught.value)


def test_replay_rejects_a_history_not_starting_at_not_started():
    with pytest.raises(InvalidHistory) as caught:
        replay([(S.PASSED, S.CERTIFIED)])
    assert caught.value.index == 0
