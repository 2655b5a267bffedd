from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Schema
from pydantic import Field

from refairn.core.schemas import StrictIn
from refairn.webhooks.domain import DeliveryStatus

_URL = Field(max_length=2000, description="https:// (http only for loopback in development)")
_EVENTS = Field(
    min_length=1,
    max_length=100,
    description='Event types from docs/events.md, or ["*"] for every event.',
)


class WebhookIn(StrictIn):
    url: str = _URL
    events: list[str] = _EVENTS


class WebhookPatchIn(StrictIn):
    url: str | None = Field(default=None, max_length=2000)
    events: list[str] | None = Field(default=None, min_length=1, max_length=100)


class WebhookOut(Schema):
    id: uuid.UUID
    url: str
    events: list[str]
    created_at: datetime
    previous_secret_until: datetime | None = Field(
        description="After a rotation, the old secret also signs until then."
    )


class WebhookSecretOut(WebhookOut):
    """Only the answers to creating an endpoint and rotating its secret carry the secret."""

    secret: str = Field(description="Standard Webhooks signing secret, whsec_<base64>.")


class WebhookAttemptOut(Schema):
    at: datetime
    status_code: int | None
    error: str
    duration_ms: int


class WebhookDeliveryOut(Schema):
    id: uuid.UUID
    webhook_id: str = Field(description="The webhook-id header: the same on every retry.")
    endpoint_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None
    created_at: datetime
    tries: list[WebhookAttemptOut]

    @staticmethod
    def resolve_next_attempt_at(obj: object) -> datetime | None:
        return (
            getattr(obj, "next_attempt_at", None)
            if getattr(obj, "status", "") == "pending"
            else None
        )

    @staticmethod
    def resolve_tries(obj: object) -> list[object]:
        return list(obj.tries.all())  # type: ignore[attr-defined]
