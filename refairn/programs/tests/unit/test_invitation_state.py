"""An invitation's state, as a pure rule (issue 12)."""

from datetime import UTC, datetime, timedelta

import pytest

from refairn.programs.domain import InvitationState, invitation_state

SENT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EXPIRES = SENT + timedelta(days=14)


@pytest.mark.parametrize(
    ("now", "accepted", "revoked", "state"),
    [
        (SENT, None, None, InvitationState.PENDING),
        (EXPIRES - timedelta(minutes=1), None, None, InvitationState.PENDING),
        (EXPIRES, None, None, InvitationState.EXPIRED),
        (EXPIRES + timedelta(days=1), SENT, None, InvitationState.ACCEPTED),
        (SENT, None, SENT, InvitationState.REVOKED),
        (EXPIRES, SENT, SENT, InvitationState.ACCEPTED),
    ],
)
def test_state(
    now: datetime, accepted: datetime | None, revoked: datetime | None, state: InvitationState
) -> None:
    assert (
        invitation_state(now=now, expires_at=EXPIRES, accepted_at=accepted, revoked_at=revoked)
        == state
    )
