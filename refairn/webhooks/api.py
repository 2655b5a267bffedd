"""Webhook endpoints of a business (issue 13; API.md additions). Thin: parse, call a service
or selector, return a schema."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from refairn.accounts.auth import request_user
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.core.tenancy import Actor
from refairn.programs.selectors import actor_for
from refairn.webhooks import selectors, services
from refairn.webhooks.domain import DeliveryStatus
from refairn.webhooks.models import WebhookDelivery, WebhookEndpoint
from refairn.webhooks.schemas import (
    WebhookDeliveryOut,
    WebhookIn,
    WebhookOut,
    WebhookPatchIn,
    WebhookSecretOut,
)

router = Router(tags=["webhooks"])


def actor(request: HttpRequest, business_id: str) -> Actor:
    return actor_for(request_user(request), business_id)


@router.post("/businesses/{b}/webhooks", response={201: WebhookSecretOut})
def create_webhook(request: HttpRequest, b: str, payload: WebhookIn) -> Status:
    """Register an endpoint (owner, manager); the answer is the only one with the secret
    besides a rotation."""
    endpoint = services.webhook_create(
        actor=actor(request, b), url=payload.url, events=payload.events
    )
    return Status(201, endpoint)


@router.get("/businesses/{b}/webhooks", response=list[WebhookOut])
def list_webhooks(request: HttpRequest, b: str) -> list[WebhookEndpoint]:
    """Whole: a business has at most ``services.MAX_ENDPOINTS`` (20) endpoints."""
    return selectors.webhooks_list_for(actor(request, b))


@router.get("/businesses/{b}/webhooks/{w}", response=WebhookOut)
def get_webhook(request: HttpRequest, b: str, w: str) -> WebhookEndpoint:
    return selectors.webhook_get_for(actor(request, b), w)


@router.patch("/businesses/{b}/webhooks/{w}", response=WebhookOut)
def update_webhook(
    request: HttpRequest, b: str, w: str, payload: WebhookPatchIn
) -> WebhookEndpoint:
    return services.webhook_update(
        actor=actor(request, b), endpoint_id=w, url=payload.url, events=payload.events
    )


@router.delete("/businesses/{b}/webhooks/{w}", response={204: None})
def delete_webhook(request: HttpRequest, b: str, w: str) -> Status:
    services.webhook_delete(actor=actor(request, b), endpoint_id=w)
    return Status(204, None)


@router.post("/businesses/{b}/webhooks/{w}/rotate-secret", response=WebhookSecretOut)
def rotate_secret(request: HttpRequest, b: str, w: str) -> WebhookEndpoint:
    """A new secret; the previous one keeps signing for 24 hours."""
    return services.webhook_secret_rotate(actor=actor(request, b), endpoint_id=w)


@router.post("/businesses/{b}/webhooks/{w}/test", response={202: WebhookDeliveryOut})
def ping_webhook(request: HttpRequest, b: str, w: str) -> Status:
    """Send a signed ``webhook.test`` event; the answer is its delivery (202: sent in the
    background, logged like any other)."""
    delivery = services.webhook_ping(actor=actor(request, b), endpoint_id=w)
    return Status(202, delivery)


@router.get("/businesses/{b}/webhooks/{w}/deliveries", response=list[WebhookDeliveryOut])
def list_deliveries(
    request: HttpRequest,
    response: HttpResponse,
    b: str,
    w: str,
    status: DeliveryStatus | None = None,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[WebhookDelivery]:
    """The delivery log, newest first, each delivery with its attempts; when more remain,
    ``X-Next-Cursor`` carries the ``cursor`` of the next page."""
    page = selectors.deliveries_page_for(
        actor(request, b), w, status=status, limit=limit, cursor=cursor
    )
    return paged(response, page)


@router.get("/businesses/{b}/webhooks/{w}/deliveries/{d}", response=WebhookDeliveryOut)
def get_delivery(request: HttpRequest, b: str, w: str, d: str) -> WebhookDelivery:
    return selectors.delivery_get_for(actor(request, b), w, d)


@router.post(
    "/businesses/{b}/webhooks/{w}/deliveries/{d}/redeliver", response={202: WebhookDeliveryOut}
)
def redeliver(request: HttpRequest, b: str, w: str, d: str) -> Status:
    """Send a dead (or delivered) delivery again under the same webhook-id; 409
    ``delivery_pending`` while it is still being tried."""
    delivery = services.webhook_delivery_redeliver(
        actor=actor(request, b), endpoint_id=w, delivery_id=d
    )
    return Status(202, delivery)
