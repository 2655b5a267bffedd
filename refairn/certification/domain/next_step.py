"""The agent's next step on their path (issue 12 item 4): the one thing their program home puts
first. Required tracks come before recommended and optional ones (PRODUCT.md §3), display order
within each; something the agent can do now comes before something they wait for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from refairn.certification.domain.expiry import is_currently_certified
from refairn.certification.domain.status import Status

_REQUIREMENT_RANK = {"required": 0, "recommended": 1, "optional": 2}
_DECIDING = frozenset({Status.SUBMITTED, Status.AWAITING_MANUAL_REVIEW, Status.PASSED})


@dataclass(frozen=True)
class PathTrack:
    """One track of the agent's path, as plain values."""

    track_id: str
    name: str
    requirement: str
    status: Status
    required_done: int
    required_total: int
    next_module: str | None  # the first required module not completed yet
    assessment_available: bool
    blocked_reason: str | None
    next_attempt_at: datetime | None
    expires_at: datetime | None


class StepKind(StrEnum):
    TRAIN = "train"
    TAKE_ASSESSMENT = "take_assessment"
    RENEW = "renew"
    REQUEST_ACCESS = "request_access"
    AWAIT_DECISION = "await_decision"
    AWAIT_RETRY = "await_retry"
    ASK_BUSINESS = "ask_business"
    AWAIT_TRAINING = "await_training"
    DONE = "done"


@dataclass(frozen=True)
class NextStep:
    kind: StepKind
    track: PathTrack | None = None
    at: datetime | None = None


def next_step(tracks: Sequence[PathTrack], now: datetime) -> NextStep:
    ordered = sorted(tracks, key=lambda t: _REQUIREMENT_RANK.get(t.requirement, 3))
    open_ = [t for t in ordered if not is_currently_certified(t.status, t.expires_at, now)]
    for track in ordered:
        if track.assessment_available:
            # An open assessment on a certified or expired track is its renewal.
            renewal = track.status in (Status.CERTIFIED, Status.EXPIRED)
            return NextStep(StepKind.RENEW if renewal else StepKind.TAKE_ASSESSMENT, track)
    for track in open_:
        if track.blocked_reason == "no_training_access":
            return NextStep(StepKind.REQUEST_ACCESS, track)
        if track.required_done < track.required_total and track.blocked_reason in (
            None,
            "training_incomplete",
        ):
            return NextStep(StepKind.TRAIN, track)
    for track in open_:
        if track.status in _DECIDING:
            return NextStep(StepKind.AWAIT_DECISION, track)
        if track.blocked_reason == "retry_period_active":
            return NextStep(StepKind.AWAIT_RETRY, track, track.next_attempt_at)
        if track.blocked_reason in ("max_attempts_reached", "certification_revoked"):
            return NextStep(StepKind.ASK_BUSINESS, track)
        if track.blocked_reason == "training_not_published":
            # Not "done": a track is waiting on the business to publish its training.
            return NextStep(StepKind.AWAIT_TRAINING, track)
    return NextStep(StepKind.DONE)


def deadlines(tracks: Sequence[PathTrack], now: datetime) -> list[tuple[datetime, str, PathTrack]]:
    """The dates ahead on the path, soonest first: when an attempt opens again, when a
    certification expires."""
    ahead: list[tuple[datetime, str, PathTrack]] = []
    for track in tracks:
        if track.blocked_reason == "retry_period_active" and track.next_attempt_at:
            ahead.append((track.next_attempt_at, "next_attempt", track))
        if track.expires_at and track.expires_at > now and track.status == Status.CERTIFIED:
            ahead.append((track.expires_at, "expires", track))
    return sorted(ahead, key=lambda item: item[0])
