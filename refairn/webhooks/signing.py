"""Standard Webhooks signatures (https://www.standardwebhooks.com), through the
``standardwebhooks`` package rather than our own HMAC code."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes


def secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signed_headers(*, webhook_id: str, body: str, secrets_in_use: list[str]) -> dict[str, str]:
    """The request headers of one attempt: ``webhook-id`` (the same on every retry),
    ``webhook-timestamp`` and ``webhook-signature`` (one ``v1,<base64>`` per secret in use,
    space-separated, so a receiver that still has the previous secret verifies too).

    The timestamp is the wall-clock time of the attempt, not the platform clock: receivers
    compare it with their own clock to refuse replays, so under the test clock a business
    time would make every delivery look stale. The event's own time is in the body."""
    sent_at = datetime.now(UTC)
    signatures = [
        Webhook(secret).sign(msg_id=webhook_id, timestamp=sent_at, data=body.encode())
        for secret in secrets_in_use
    ]
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
        "user-agent": "Refairn-Webhooks/1",
    }
