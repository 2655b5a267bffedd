"""The agent's next step on their program home (issue 12 item 4), without a database."""

from datetime import UTC, datetime, timedelta
from typing import Any

from refairn.certification.domain.next_step import PathTrack, StepKind, deadlines, next_step
from refairn.certification.domain.status import Status

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def track(name: str, **fields: Any) -> PathTrack:
    values: dict[str, Any] = {
        "track_id": name,
        "name": name,
        "requirement": "required",
        "status": Status.NOT_STARTED,
        "required_done": 0,
        "required_total": 2,
        "next_module": "Intro",
        "assessment_available": False,
        "blocked_reason": "training_incomplete",
        "next_attempt_at": None,
        "expires_at": None,
    }
    return PathTrack(**(values | fields))


def test_required_training_comes_before_an_optional_assessment() -> None:
    optional = track(
        "Extra", requirement="optional", assessment_available=True, blocked_reason=None
    )
    required = track("Core")
    step = next_step([optional, required], NOW)
    # An open assessment is always something to do now, whichever track it is in.
    assert (step.kind, step.track and step.track.name) == (StepKind.TAKE_ASSESSMENT, "Extra")
    step = next_step([track("Extra", requirement="optional"), required], NOW)
    assert (step.kind, step.track and step.track.name) == (StepKind.TRAIN, "Core")


def test_an_open_assessment_on_a_certified_track_is_its_renewal() -> None:
    certified = track(
        "Core",
        status=Status.CERTIFIED,
        expires_at=NOW + timedelta(days=10),
        assessment_available=True,
        blocked_reason=None,
    )
    assert next_step([certified], NOW).kind == StepKind.RENEW


def test_no_training_access_asks_for_support_access() -> None:
    assert next_step([track("Core", blocked_reason="no_training_access")], NOW).kind == (
        StepKind.REQUEST_ACCESS
    )


def test_waiting_steps_name_the_wait() -> None:
    deciding = track(
        "Core",
        status=Status.AWAITING_MANUAL_REVIEW,
        blocked_reason="attempt_in_progress",
        required_done=2,
    )
    assert next_step([deciding], NOW).kind == StepKind.AWAIT_DECISION
    later = NOW + timedelta(days=3)
    retry = track(
        "Core",
        status=Status.FAILED,
        required_done=2,
        blocked_reason="retry_period_active",
        next_attempt_at=later,
    )
    step = next_step([retry], NOW)
    assert (step.kind, step.at) == (StepKind.AWAIT_RETRY, later)
    spent = track(
        "Core", status=Status.FAILED, required_done=2, blocked_reason="max_attempts_reached"
    )
    assert next_step([spent], NOW).kind == StepKind.ASK_BUSINESS


def test_unpublished_training_is_a_wait_not_done() -> None:
    waiting = track(
        "Core", required_total=0, next_module=None, blocked_reason="training_not_published"
    )
    step = next_step([waiting], NOW)
    assert (step.kind, step.track) == (StepKind.AWAIT_TRAINING, waiting)
    # Something the agent can do comes first.
    other = track("Billing")
    assert next_step([waiting, other], NOW).kind is StepKind.TRAIN


def test_every_track_certified_is_done_with_its_expiry_ahead() -> None:
    expires = NOW + timedelta(days=200)
    done = track(
        "Core",
        status=Status.CERTIFIED,
        required_done=2,
        blocked_reason="renewal_not_open",
        expires_at=expires,
    )
    assert next_step([done], NOW).kind == StepKind.DONE
    assert [(at, what) for at, what, _ in deadlines([done], NOW)] == [(expires, "expires")]


def test_an_expired_certification_is_not_done() -> None:
    lapsed = track(
        "Core",
        status=Status.CERTIFIED,
        required_done=2,
        blocked_reason="max_attempts_reached",
        expires_at=NOW - timedelta(days=1),
    )
    assert next_step([lapsed], NOW).kind == StepKind.ASK_BUSINESS
    assert deadlines([lapsed], NOW) == []
