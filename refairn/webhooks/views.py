"""The business's webhooks page (issue 13): its endpoints and the delivery log, with a test
ping and a redeliver button. Owners and managers only; thin over the API's services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from refairn.accounts.models import User
from refairn.core.errors import Conflict
from refairn.core.pagination import page_links
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.selectors import actor_for, business_get_for
from refairn.webhooks import selectors, services


def _admin(request: HttpRequest, business_id: str) -> Actor:
    """404 outside the business, 403 for anyone but its owners and managers."""
    user = request.user
    assert isinstance(user, User)  # login_required
    actor = actor_for(user, business_id)
    actor.require(*ADMIN_ROLES)
    return actor


@login_required
@require_GET
def log(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = _admin(request, business_id)
    deliveries = selectors.recent_deliveries_for(
        actor, cursor=request.GET.get("cursor"), before=request.GET.get("before")
    )
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "endpoints": selectors.webhooks_list_for(actor),
        "deliveries": deliveries.items,
        "pager": page_links(request.GET, deliveries),
    }
    return render(request, "webhooks/log.html", context)


@login_required
@require_POST
def ping(request: HttpRequest, business_id: str, endpoint_id: str) -> HttpResponse:
    actor = _admin(request, business_id)
    services.webhook_ping(actor=actor, endpoint_id=endpoint_id)
    messages.success(request, "A test delivery is on its way; it appears in the log below.")
    return redirect("webhooks:log", business_id=business_id)


@login_required
@require_POST
def redeliver(
    request: HttpRequest, business_id: str, endpoint_id: str, delivery_id: str
) -> HttpResponse:
    actor = _admin(request, business_id)
    try:
        services.webhook_delivery_redeliver(
            actor=actor, endpoint_id=endpoint_id, delivery_id=delivery_id
        )
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "The delivery will be sent again under the same webhook-id.")
    return redirect("webhooks:log", business_id=business_id)
