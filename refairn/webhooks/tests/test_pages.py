"""The webhooks page: endpoints and the delivery log with redeliver, for owners and managers."""

from typing import Any

import pytest
from django.test import Client

from refairn.programs.selectors import actor_for
from refairn.webhooks import services
from refairn.webhooks.domain import DeliveryStatus
from refairn.webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_delivery(alice: Any, business_a: Any, dev_mode: None) -> WebhookDelivery:
    actor = actor_for(alice, business_a.id)
    endpoint = services.webhook_create(actor=actor, url="http://127.0.0.1:9/hook", events=["*"])
    delivery = services.webhook_ping(actor=actor, endpoint_id=endpoint.id)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DEAD, attempts=13, last_error="ConnectionRefused"
    )
    return delivery


def browser_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_sees_the_log_and_redelivers_a_dead_delivery(
    alice: Any, business_a: Any, dead_delivery: WebhookDelivery
) -> None:
    browser = browser_for(alice)
    page = browser.get(f"/b/{business_a.id}/webhooks/")
    assert page.status_code == 200
    assert dead_delivery.webhook_id.encode() in page.content and b"Redeliver" in page.content
    url = (
        f"/b/{business_a.id}/webhooks/{dead_delivery.endpoint_id}/deliveries/"
        f"{dead_delivery.id}/redeliver/"
    )
    assert browser.post(url).status_code == 302
    dead_delivery.refresh_from_db()
    assert (dead_delivery.status, dead_delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert browser.post(url).status_code == 302  # pending now: refused with a message
    assert WebhookDelivery.objects.get(pk=dead_delivery.pk).status == DeliveryStatus.PENDING


def test_agents_get_403_and_other_businesses_404(
    bob: Any, charlie: Any, business_a: Any, business_b: Any, dead_delivery: WebhookDelivery
) -> None:
    assert browser_for(bob).get(f"/b/{business_a.id}/webhooks/").status_code == 403
    assert browser_for(charlie).get(f"/b/{business_a.id}/webhooks/").status_code == 404
    url = (
        f"/b/{business_a.id}/webhooks/{dead_delivery.endpoint_id}/deliveries/"
        f"{dead_delivery.id}/redeliver/"
    )
    assert browser_for(charlie).post(url).status_code == 404
    assert WebhookDelivery.objects.get(pk=dead_delivery.pk).status == DeliveryStatus.DEAD


@pytest.mark.parametrize("who", ["alice", "manager"])
def test_owners_and_managers_reach_the_webhooks_page_from_the_business_navigation(
    who: str, request: Any, business_a: Any
) -> None:
    browser = browser_for(request.getfixturevalue(who))
    url = f"/b/{business_a.id}/webhooks/"
    home = browser.get(f"/b/{business_a.id}/")
    assert home.status_code == 200 and f'href="{url}"'.encode() in home.content
    page = browser.get(url)
    assert f'href="{url}" aria-current="page"'.encode() in page.content


@pytest.mark.parametrize("who", ["bob", "reviewer"])
def test_the_webhooks_link_is_not_shown_to_agents_or_reviewers(
    who: str, request: Any, business_a: Any
) -> None:
    home = browser_for(request.getfixturevalue(who)).get(f"/b/{business_a.id}/")
    assert home.status_code == 200 and b"/webhooks/" not in home.content
