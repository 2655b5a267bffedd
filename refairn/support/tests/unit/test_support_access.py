import pytest

from refairn.certification.domain import ActorKind, ForbiddenTransition, InvalidTransition
from refairn.support.domain.access import (
    ACCESS_TRANSITIONS,
    AccessEvent,
    AccessStatus,
    check_access_actor,
    next_access,
    opens_training,
)

S, E = AccessStatus, AccessEvent

EXPECTED = {
    (S.NONE, E.REQUEST): S.REQUESTED,
    (S.NONE, E.ACTIVATE): S.ACTIVE,
    (S.REQUESTED, E.ACTIVATE): S.ACTIVE,
    (S.REQUESTED, E.REMOVE): S.REMOVED,
    (S.ACTIVE, E.SUSPEND): S.SUSPENDED,
    (S.ACTIVE, E.REMOVE): S.REMOVED,
    (S.SUSPENDED, E.REINSTATE): S.ACTIVE,
    (S.SUSPENDED, E.REMOVE): S.REMOVED,
    (S.REMOVED, E.REAPPROVE): S.ACTIVE,
}


def test_support_access_values():
    assert [s.value for s in AccessStatus] == [
        "none",
        "requested",
        "active",
        "suspended",
        "removed",
    ]


def test_access_table_is_exactly_the_documented_one():
    assert ACCESS_TRANSITIONS == EXPECTED


@pytest.mark.parametrize(
    ("current", "event", "expected"), [(c, e, t) for (c, e), t in EXPECTED.items()]
)
def test_every_legal_access_change(current, event, expected):
    assert next_access(current, event) is expected


@pytest.mark.parametrize(
    ("current", "event"),
    [
        (S.ACTIVE, E.REINSTATE),
        (S.ACTIVE, E.REQUEST),
        (S.SUSPENDED, E.SUSPEND),
        (S.SUSPENDED, E.REAPPROVE),
        (S.REMOVED, E.REINSTATE),
        (S.REMOVED, E.SUSPEND),
        (S.NONE, E.SUSPEND),
        (S.REQUESTED, E.REQUEST),
    ],
)
def test_illegal_access_change_is_refused(current, event):
    with pytest.raises(InvalidTransition) as caught:
        next_access(current, event)
    assert caught.value.code == "invalid_transition"


def test_only_the_agent_requests_and_only_the_business_suspends():
    check_access_actor(E.REQUEST, ActorKind.AGENT)
    check_access_actor(E.SUSPEND, ActorKind.MANAGER)
    with pytest.raises(ForbiddenTransition):
        check_access_actor(E.REQUEST, ActorKind.OWNER)
    with pytest.raises(ForbiddenTransition):
        check_access_actor(E.SUSPEND, ActorKind.REVIEWER)
    with pytest.raises(ForbiddenTransition):
        check_access_actor(E.REAPPROVE, ActorKind.AGENT)


@pytest.mark.parametrize(
    ("status", "opens"),
    [
        (S.NONE, False),
        (S.REQUESTED, True),
        (S.ACTIVE, True),
        (S.SUSPENDED, True),
        (S.REMOVED, False),
    ],
)
def test_the_request_opens_the_library_and_removal_closes_it(status, opens):
    assert opens_training(status) is opens
