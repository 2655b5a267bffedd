"""Requesting support access, and its activation once the agent is certified in every support
track (PRODUCT.md §2, §5)."""

from typing import Any

import pytest

from refairn.certification.tests.journeys import as_actor, certify, make_track, set_settings
from refairn.notifications.models import Notification
from refairn.programs.models import Agent
from refairn.support.models import SupportAccessEvent
from refairn.training.selectors import has_training_access
from tests.support import api_as, assert_problem, make_user, set_support_access, support_access_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(business_a: Any, alice: Any) -> Any:
    return make_track(business_a, alice)


def request_access(client: Any, business: Any) -> Any:
    return client.post(f"/businesses/{business.id}/support-access/request")


def test_an_agent_requests_support_access_and_the_business_is_told(
    as_bob: Any, bob: Any, alice: Any, manager: Any, business_a: Any
) -> None:
    bob_actor = as_actor(bob, business_a)
    assert not has_training_access(bob_actor, business_a)
    response = request_access(as_bob, business_a)
    assert response.status_code == 201, response.content
    assert response.body["status"] == "requested"
    assert support_access_of(bob) == "requested"
    event = SupportAccessEvent.objects.get(agent=bob)
    assert (event.event, event.from_status, event.to_status) == ("request", "none", "requested")
    assert event.by == bob
    assert event.reason
    told = set(
        Notification.objects.filter(kind="support_access_requested").values_list("user", flat=True)
    )
    assert told == {alice.id, manager.id}
    # PRODUCT.md §2: the request unlocks the training library at once.
    assert has_training_access(bob_actor, business_a)


def test_requesting_twice_is_409(as_bob: Any, bob: Any, business_a: Any) -> None:
    request_access(as_bob, business_a)
    assert_problem(request_access(as_bob, business_a), 409, "already_requested")
    assert SupportAccessEvent.objects.filter(agent=bob).count() == 1


def test_removed_access_cannot_be_requested_again(as_bob: Any, bob: Any, business_a: Any) -> None:
    set_support_access(bob, "removed")
    assert_problem(request_access(as_bob, business_a), 409, "invalid_transition")
    assert not SupportAccessEvent.objects.exists()


def test_staff_cannot_request_support_access(as_alice: Any, business_a: Any) -> None:
    assert_problem(request_access(as_alice, business_a), 403, "forbidden")
    assert not SupportAccessEvent.objects.exists()


def test_a_pending_applicant_cannot_request_support_access(business_a: Any) -> None:
    dana = make_user("dana@x.test")
    Agent.objects.create(business=business_a, user=dana)
    assert_problem(request_access(api_as(dana), business_a), 403, "forbidden")
    assert support_access_of(dana) == "none"


def test_another_tenant_cannot_request_support_access(as_charlie: Any, business_a: Any) -> None:
    assert_problem(request_access(as_charlie, business_a), 404, "not_found")
    assert not SupportAccessEvent.objects.exists()


def test_certified_in_every_support_track_activates_requested_access(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    security = make_track(business_a, alice, "Security")
    make_track(business_a, alice, "Billing", requirement="optional")
    request_access(as_bob, business_a)
    certify(track, bob, alice)
    assert support_access_of(bob) == "requested"
    certify(security, bob, alice)
    assert support_access_of(bob) == "active"
    activation = SupportAccessEvent.objects.get(agent=bob, event="activate")
    assert (activation.from_status, activation.to_status, activation.by) == (
        "requested",
        "active",
        None,
    )
    assert Notification.objects.filter(user=bob, kind="support_access_active").count() == 1


def test_automatic_training_access_activates_without_a_request(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    set_settings(business_a, training_access="automatic")
    certify(track, bob, alice)
    assert support_access_of(bob) == "active"


def test_the_configured_support_tracks_decide_activation(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    billing = make_track(business_a, alice, "Billing", requirement="optional")
    set_settings(business_a, support_track_ids=[str(billing.id)])
    certify(track, bob, alice)
    assert support_access_of(bob) == "none"
    certify(billing, bob, alice)
    assert support_access_of(bob) == "active"


def test_suspended_access_is_left_alone_when_certified(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    set_support_access(bob, "suspended")
    certify(track, bob, alice)
    assert support_access_of(bob) == "suspended"
    assert not SupportAccessEvent.objects.exists()


def test_requesting_when_already_certified_activates_at_once(
    as_bob: Any, bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    set_support_access(bob, "removed")
    certify(track, bob, alice)
    set_support_access(bob, "none")
    response = request_access(as_bob, business_a)
    assert response.status_code == 201
    assert response.body["status"] == "active"
