"""The certification status machine (PRODUCT.md §5): one table, enforced by the server and read
by the UI.

Decisions where the product text is silent:

- ``start_training`` is applied on the agent's first module progress or first attempt start,
  whichever comes first; a submission is never legal straight from ``not_started``.
- Retries: ``failed`` -> ``submitted`` is a new attempt; ``expired`` -> ``submitted`` is a retake.
- Renewal while still certified does not leave ``certified``: the renewal attempt carries its own
  outcome, a pass applies ``renew`` (``certified`` -> ``certified`` with a later expiry) and a fail
  changes nothing, so the agent stays certified until the old expiry. If that certification
  expires while the renewal attempt awaits review, a later pass applies ``renew`` from
  ``expired`` (the seed's "expired -> renewed to certified").
- A passing renewal follows ``final_approval`` (issue 11 item 3): automatic applies ``renew`` at
  once; manual waits for the business, which applies ``renew`` when it approves, while the
  current certification stays ``certified`` until its expiry.
- Revoke is legal from every state except ``revoked``. The business may ``reopen`` a revoked
  certification, which starts over at ``not_started`` in a new certification cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from refairn.certification.domain.errors import (
    ForbiddenTransition,
    InvalidHistory,
    InvalidTransition,
)


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    FAILED = "failed"
    AWAITING_MANUAL_REVIEW = "awaiting_manual_review"
    PASSED = "passed"
    CERTIFIED = "certified"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Event(StrEnum):
    START_TRAINING = "start_training"
    SUBMIT = "submit"
    AUTO_FAIL = "auto_fail"
    AUTO_PASS = "auto_pass"  # noqa: S105 - an event name, not a secret
    SEND_TO_REVIEW = "send_to_review"
    REVIEW_PASS = "review_pass"  # noqa: S105 - an event name, not a secret
    REVIEW_FAIL = "review_fail"
    APPROVE = "approve"
    AUTO_APPROVE = "auto_approve"
    DECLINE = "decline"
    EXPIRE = "expire"
    RENEW = "renew"
    REVOKE = "revoke"
    REOPEN = "reopen"


class ActorKind(StrEnum):
    AGENT = "agent"
    SYSTEM = "system"
    OWNER = "owner"
    MANAGER = "manager"
    REVIEWER = "reviewer"


_S = Status
_E = Event

TRANSITIONS: dict[tuple[Status, Event], Status] = {
    (_S.NOT_STARTED, _E.START_TRAINING): _S.IN_PROGRESS,
    (_S.IN_PROGRESS, _E.SUBMIT): _S.SUBMITTED,
    (_S.FAILED, _E.SUBMIT): _S.SUBMITTED,
    (_S.EXPIRED, _E.SUBMIT): _S.SUBMITTED,
    (_S.SUBMITTED, _E.AUTO_FAIL): _S.FAILED,
    (_S.SUBMITTED, _E.AUTO_PASS): _S.PASSED,
    (_S.SUBMITTED, _E.SEND_TO_REVIEW): _S.AWAITING_MANUAL_REVIEW,
    (_S.AWAITING_MANUAL_REVIEW, _E.REVIEW_PASS): _S.PASSED,
    (_S.AWAITING_MANUAL_REVIEW, _E.REVIEW_FAIL): _S.FAILED,
    (_S.PASSED, _E.APPROVE): _S.CERTIFIED,
    (_S.PASSED, _E.AUTO_APPROVE): _S.CERTIFIED,
    (_S.PASSED, _E.DECLINE): _S.FAILED,
    (_S.CERTIFIED, _E.EXPIRE): _S.EXPIRED,
    (_S.CERTIFIED, _E.RENEW): _S.CERTIFIED,
    (_S.EXPIRED, _E.RENEW): _S.CERTIFIED,
    **{(status, _E.REVOKE): _S.REVOKED for status in Status if status is not _S.REVOKED},
    (_S.REVOKED, _E.REOPEN): _S.NOT_STARTED,
}

_A = ActorKind
_STAFF_DECIDERS = frozenset({_A.OWNER, _A.MANAGER, _A.REVIEWER})

ALLOWED_ACTORS: dict[Event, frozenset[ActorKind]] = {
    _E.START_TRAINING: frozenset({_A.AGENT}),
    # The system submits an attempt left open past its deadline (PRODUCT.md §4).
    _E.SUBMIT: frozenset({_A.AGENT, _A.SYSTEM}),
    _E.AUTO_FAIL: frozenset({_A.SYSTEM}),
    _E.AUTO_PASS: frozenset({_A.SYSTEM}),
    _E.SEND_TO_REVIEW: frozenset({_A.SYSTEM}),
    _E.REVIEW_PASS: _STAFF_DECIDERS,
    _E.REVIEW_FAIL: _STAFF_DECIDERS,
    _E.APPROVE: _STAFF_DECIDERS,
    _E.AUTO_APPROVE: frozenset({_A.SYSTEM}),
    _E.DECLINE: _STAFF_DECIDERS,
    _E.EXPIRE: frozenset({_A.SYSTEM}),
    # A renewal passes either at submission (system) or when a reviewer grades it.
    _E.RENEW: frozenset({_A.SYSTEM}) | _STAFF_DECIDERS,
    _E.REVOKE: frozenset({_A.OWNER, _A.MANAGER}),
    _E.REOPEN: frozenset({_A.OWNER, _A.MANAGER}),
}

# Attempt counters and granted extra attempts reset when one of these is applied
# (PRODUCT.md §4 "maximum attempts per certification cycle").
CYCLE_START_EVENTS: frozenset[Event] = frozenset({_E.APPROVE, _E.AUTO_APPROVE, _E.RENEW, _E.REOPEN})


def next_status(current: Status, event: Event) -> Status:
    """PRODUCT.md §5: the status ``event`` leads to; an illegal change is refused."""
    try:
        return TRANSITIONS[(current, event)]
    except KeyError:
        raise InvalidTransition(current, event) from None


def check_actor(event: Event, actor_kind: ActorKind) -> None:
    """PRODUCT.md §5: who may trigger each change (e.g. only owners and managers revoke)."""
    if actor_kind not in ALLOWED_ACTORS[event]:
        raise ForbiddenTransition(event, actor_kind)


def allowed_events(current: Status) -> frozenset[Event]:
    """The events legal from ``current``; the UI offers exactly these."""
    return frozenset(event for (status, event) in TRANSITIONS if status == current)


def replay(history: Sequence[tuple[Status, Status]]) -> Status:
    """Check that stored ``(from, to)`` changes form a legal chain from ``not_started``.

    PRODUCT.md §5: every change is stored as an event; this is the integrity check that the
    stored chain could only have come from the transition table. Returns the final status.
    """
    current = Status.NOT_STARTED
    for index, (from_status, to_status) in enumerate(history):
        if from_status != current:
            raise InvalidHistory(
                index, from_status, to_status, f"the previous entry left {current.value}"
            )
        reachable = {to for (origin, _), to in TRANSITIONS.items() if origin == from_status}
        if to_status not in reachable:
            raise InvalidHistory(index, from_status, to_status, "no event makes this change")
        current = Status(to_status)
    return current
