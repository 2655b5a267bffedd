"""Reads of webhook endpoints and their delivery log, scoped to the caller's business and
open to owners and managers only (issue 13)."""

from __future__ import annotations

from refairn.core.errors import NotFound
from refairn.core.pagination import Page, keyset_page, keyset_window, page_limit
from refairn.core.tenancy import ADMIN_ROLES, Actor, parse_uuid
from refairn.webhooks.models import WebhookDelivery, WebhookEndpoint

DELIVERY_PAGE = 100


def _admin(actor: Actor) -> None:
    actor.require(*ADMIN_ROLES)


def webhooks_list_for(actor: Actor) -> list[WebhookEndpoint]:
    _admin(actor)
    return list(WebhookEndpoint.objects.for_actor(actor).order_by("created_at", "id"))


def webhook_get_for(actor: Actor, endpoint_id: object, *, lock: bool = False) -> WebhookEndpoint:
    _admin(actor)
    qs = WebhookEndpoint.objects.all()
    if lock:
        qs = qs.select_for_update()
    return qs.get_for(actor, endpoint_id, what="webhook")


DELIVERY_ORDER = ("-created_at", "id")


def deliveries_page_for(
    actor: Actor,
    endpoint_id: object,
    *,
    status: str | None = None,
    limit: int | None,
    cursor: str | None,
) -> Page[WebhookDelivery]:
    """The endpoint's delivery log, newest first, a page at a time."""
    endpoint = webhook_get_for(actor, endpoint_id)
    qs = WebhookDelivery.objects.for_actor(actor).filter(endpoint=endpoint)
    if status:
        qs = qs.filter(status=status)
    return keyset_page(
        qs.prefetch_related("tries"), order=DELIVERY_ORDER, limit=page_limit(limit), cursor=cursor
    )


def recent_deliveries_for(
    actor: Actor, *, cursor: str | None, before: str | None
) -> Page[WebhookDelivery]:
    """The business's deliveries to every endpoint, newest first, a page at a time (the staff
    page's log)."""
    _admin(actor)
    qs = WebhookDelivery.objects.for_actor(actor).select_related("endpoint")
    return keyset_window(
        qs.prefetch_related("tries"),
        order=DELIVERY_ORDER,
        limit=DELIVERY_PAGE,
        cursor=cursor,
        before=before,
    )


def delivery_get_for(actor: Actor, endpoint_id: object, delivery_id: object) -> WebhookDelivery:
    endpoint = webhook_get_for(actor, endpoint_id)
    delivery = (
        WebhookDelivery.objects.for_actor(actor)
        .filter(endpoint=endpoint, pk=parse_uuid(delivery_id, what="delivery"))
        .prefetch_related("tries")
        .first()
    )
    if delivery is None:
        raise NotFound("delivery")
    return delivery
