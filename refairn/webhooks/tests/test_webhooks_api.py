"""Issue 13 / API.md additions: webhook endpoints of a business — register, read, change,
delete, rotate the secret — for owners and managers; SSRF refusals at registration."""

import base64
from datetime import datetime
from typing import Any

import pytest

from refairn.core.tenancy import Role
from refairn.programs.models import StaffMembership
from refairn.webhooks.models import WebhookEndpoint
from tests.support import T0, api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.216.34"  # only ever "resolved" by the fake DNS: nothing connects to it


@pytest.fixture
def public_host(dns: Any) -> str:
    dns["hooks.example.com"] = [PUBLIC]
    return "https://hooks.example.com/refairn"


def base(business: Any) -> str:
    return f"/businesses/{business.id}/webhooks"


def create(client: Any, business: Any, url: str, events: Any = ("*",)) -> Any:
    return client.post(base(business), {"url": url, "events": list(events)})


def test_an_owner_registers_an_endpoint_and_gets_its_secret_once(
    as_alice: Any, business_a: Any, public_host: str
) -> None:
    response = create(as_alice, business_a, public_host, ["certification.certified"])
    assert response.status_code == 201, response.body
    body = response.body
    assert body["url"] == public_host and body["events"] == ["certification.certified"]
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32
    listed = as_alice.get(base(business_a)).body
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    one = as_alice.get(f"{base(business_a)}/{body['id']}").body
    assert one == {
        "id": body["id"],
        "url": public_host,
        "events": ["certification.certified"],
        "created_at": one["created_at"],
        "previous_secret_until": None,
    }
    assert datetime.fromisoformat(one["created_at"]) == T0


def test_a_manager_may_too(business_a: Any, public_host: str) -> None:
    manager = make_user("mia@a.test")
    StaffMembership.objects.create(business=business_a, user=manager, role=Role.MANAGER)
    assert create(api_as(manager), business_a, public_host).status_code == 201


def test_star_means_every_event(as_alice: Any, business_a: Any, public_host: str) -> None:
    assert create(as_alice, business_a, public_host, ["*"]).body["events"] == ["*"]


@pytest.mark.parametrize(
    ("events", "code"),
    [
        (["certification.exploded"], "unknown_event_type"),
        (["*", "ticket.opened"], "unknown_event_type"),
        ([], "validation_error"),
    ],
)
def test_unknown_events_are_422(
    as_alice: Any, business_a: Any, public_host: str, events: list[str], code: str
) -> None:
    assert_problem(create(as_alice, business_a, public_host, events), 422, code)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.com/x", "webhook_url_insecure"),
        ("http://127.0.0.1:8080/x", "webhook_url_insecure"),  # production: no http at all
        ("https://127.0.0.1/x", "webhook_url_forbidden"),  # production: no loopback
        ("https://localhost/x", "webhook_url_forbidden"),
        ("https://10.1.2.3/x", "webhook_url_forbidden"),
        ("https://172.16.0.9/x", "webhook_url_forbidden"),
        ("https://192.168.1.20/x", "webhook_url_forbidden"),
        ("https://169.254.169.254/latest/meta-data/", "webhook_url_forbidden"),
        ("https://[::1]/x", "webhook_url_forbidden"),
        ("https://[fd00::5]/x", "webhook_url_forbidden"),
        ("https://[::ffff:10.0.0.1]/x", "webhook_url_forbidden"),
        ("https://0.0.0.0/x", "webhook_url_forbidden"),
        ("https://224.0.0.1/x", "webhook_url_forbidden"),
        ("https://internal.example.com/x", "webhook_url_forbidden"),  # resolves to 10.0.0.7
        ("https://split.example.com/x", "webhook_url_forbidden"),  # public and private
        ("https://nowhere.example.com/x", "webhook_url_unresolvable"),
        ("ftp://hooks.example.com/x", "webhook_url_invalid"),
        ("https://user:pw@hooks.example.com/x", "webhook_url_invalid"),
        ("hooks.example.com/x", "webhook_url_invalid"),
    ],
)
def test_urls_into_the_operators_network_are_refused(
    as_alice: Any, business_a: Any, public_host: str, dns: Any, url: str, code: str
) -> None:
    dns["internal.example.com"] = ["10.0.0.7"]
    dns["split.example.com"] = [PUBLIC, "192.168.0.3"]
    response = create(as_alice, business_a, url)
    assert_problem(response, 422, code)
    assert response.body["errors"][0]["field"] == "url"
    assert not WebhookEndpoint.objects.exists()


def test_development_allows_http_to_loopback_only(
    as_alice: Any, business_a: Any, dev_mode: None
) -> None:
    assert create(as_alice, business_a, "http://127.0.0.1:9/x").status_code == 201
    assert create(as_alice, business_a, "http://localhost:9/x").status_code == 201
    assert create(as_alice, business_a, "https://[::1]:9/x").status_code == 201
    assert_problem(create(as_alice, business_a, "http://10.0.0.1/x"), 422, "webhook_url_insecure")
    assert_problem(
        create(as_alice, business_a, "https://169.254.169.254/"), 422, "webhook_url_forbidden"
    )


def test_patch_changes_the_url_and_events(
    as_alice: Any, business_a: Any, public_host: str, dns: Any
) -> None:
    dns["other.example.com"] = [PUBLIC]
    hook = create(as_alice, business_a, public_host).body
    path = f"{base(business_a)}/{hook['id']}"
    changed = as_alice.patch(path, {"events": ["ticket.opened", "ticket.opened"]}).body
    assert changed["events"] == ["ticket.opened"] and changed["url"] == public_host
    changed = as_alice.patch(path, {"url": "https://other.example.com/h"}).body
    assert changed["url"] == "https://other.example.com/h"
    assert_problem(as_alice.patch(path, {"url": "https://10.0.0.1/"}), 422, "webhook_url_forbidden")
    assert_problem(as_alice.patch(path, {"secret": "whsec_x"}), 422, "validation_error")
    assert WebhookEndpoint.objects.get().url == "https://other.example.com/h"


def test_delete_removes_the_endpoint(as_alice: Any, business_a: Any, public_host: str) -> None:
    hook = create(as_alice, business_a, public_host).body
    path = f"{base(business_a)}/{hook['id']}"
    assert as_alice.delete(path).status_code == 204
    assert_problem(as_alice.get(path), 404, "not_found")
    assert_problem(as_alice.delete(path), 404, "not_found")


def test_rotating_gives_a_new_secret_and_keeps_the_old_one_for_a_day(
    as_alice: Any, business_a: Any, public_host: str
) -> None:
    hook = create(as_alice, business_a, public_host).body
    rotated = as_alice.post(f"{base(business_a)}/{hook['id']}/rotate-secret")
    assert rotated.status_code == 200
    assert rotated.body["secret"].startswith("whsec_") and rotated.body["secret"] != hook["secret"]
    assert rotated.body["previous_secret_until"].startswith("2026-11-03T09:00:00")
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.previous_secret == hook["secret"]


def test_agents_and_reviewers_get_403_and_change_nothing(
    as_alice: Any, as_bob: Any, business_a: Any, public_host: str
) -> None:
    hook = create(as_alice, business_a, public_host).body
    reviewer = make_user("rita@a.test")
    StaffMembership.objects.create(business=business_a, user=reviewer, role=Role.REVIEWER)
    path = f"{base(business_a)}/{hook['id']}"
    for client in (as_bob, api_as(reviewer)):
        assert_problem(client.get(base(business_a)), 403, "forbidden")
        assert_problem(create(client, business_a, public_host), 403, "forbidden")
        assert_problem(client.patch(path, {"events": ["ticket.opened"]}), 403, "forbidden")
        assert_problem(client.delete(path), 403, "forbidden")
        assert_problem(client.post(f"{path}/rotate-secret"), 403, "forbidden")
        assert_problem(client.post(f"{path}/test"), 403, "forbidden")
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.events, endpoint.secret) == (["*"], hook["secret"])


def test_another_business_gets_404_for_everything(
    as_alice: Any, as_charlie: Any, business_a: Any, public_host: str
) -> None:
    hook = create(as_alice, business_a, public_host).body
    path = f"{base(business_a)}/{hook['id']}"
    assert_problem(as_charlie.get(base(business_a)), 404, "not_found")
    assert_problem(create(as_charlie, business_a, public_host), 404, "not_found")
    assert_problem(as_charlie.get(path), 404, "not_found")
    assert_problem(as_charlie.delete(path), 404, "not_found")
    assert_problem(as_charlie.post(f"{path}/rotate-secret"), 404, "not_found")
    assert_problem(as_charlie.get(f"{path}/deliveries"), 404, "not_found")
    assert WebhookEndpoint.objects.count() == 1


def test_an_unknown_endpoint_is_404(as_alice: Any, business_a: Any) -> None:
    assert_problem(as_alice.get(f"{base(business_a)}/not-an-id"), 404, "not_found")
    assert_problem(
        as_alice.get(f"{base(business_a)}/00000000-0000-0000-0000-000000000000"), 404, "not_found"
    )


def test_the_delivery_log_filter_takes_only_known_statuses(
    as_alice: Any, business_a: Any, public_host: str
) -> None:
    hook = create(as_alice, business_a, public_host).body
    path = f"{base(business_a)}/{hook['id']}/deliveries"
    assert as_alice.get(f"{path}?status=dead").body == []
    assert_problem(as_alice.get(f"{path}?status=lost"), 422, "validation_error")
