"""Issue 11 item 15: every notification's link opens an existing page for its recipient.

The demo replays a year of a program through the services, so its notifications are the ones
production writes; the few kinds its story never reaches are produced here, through the API
(or, for the security routing notice, through the service that records routing decisions)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import pytest
from django.db import transaction
from django.test import Client

from refairn.accounts.models import User
from refairn.certification.models import Certification
from refairn.commissions.models import ReferralEntry
from refairn.core import clock
from refairn.demo.loader import load_demo
from refairn.notifications.domain.catalogue import BY_TYPE
from refairn.notifications.models import Notification, OutboxEvent
from refairn.programs.models import Agent, Business, StaffMembership
from refairn.routing.domain import RoutingDecision
from refairn.routing.selectors import Routed
from refairn.routing.services import routing_decision_record
from refairn.support.models import PerformanceReview, SupportAccess, Ticket
from refairn.support.selectors import support_eligibility_for
from refairn.support.selectors.routing import routing_team
from refairn.webhooks.domain import payload_body
from tests.support import T0, api_as

pytestmark = pytest.mark.django_db

# Enough of each kind to meet its different recipients (agent, staff, customer).
PER_KIND = 4


def _security_routing(business: Business) -> None:
    ticket = Ticket.objects.filter(business=business).first()
    assert ticket is not None
    routing_decision_record(
        business_id=business.id,
        ticket_id=ticket.id,
        subject=ticket.subject,
        routed=Routed(
            RoutingDecision(
                agent_id=None,
                rule_name="Security",
                pool_size=0,
                fallback_used=None,
                notify_managers=False,
                flag_for_review=False,
                route_to_manager=False,
                escalate_to_security=True,
                reason="A security rule matched.",
            )
        ),
    )


def _the_rest(business: Business) -> None:
    """The kinds the demo's story does not reach, each through the API as production does."""
    b = business.id
    owner = StaffMembership.objects.filter(business=business, role="owner").first()
    assert owner is not None
    api = api_as(User.objects.get(pk=owner.user_id))
    pending = Agent.objects.filter(business=business, status="pending").first()
    assert pending is not None
    reject = api.post(f"/businesses/{b}/agents/{pending.user_id}/reject", {"reason": "Full"})
    assert reject.status_code == 200, reject.body
    # Two active agents who are certified support agents, whatever order the database
    # returns rows in: re-approving an agent with an expired support track is refused (409).
    first, second = [
        access
        for access in SupportAccess.objects.filter(business=business, status="active").order_by(
            "agent_id"
        )
        if support_eligibility_for(
            business=business, agent_id=access.agent_id, now=clock.now()
        ).is_certified_support_agent
    ][:2]
    for agent_id, actions in (
        (first.agent_id, ("suspend", "reinstate")),
        (second.agent_id, ("remove", "reapprove")),
    ):
        for action in actions:
            body = {"action": action, "reason": "Checked"}
            response = api.post(f"/businesses/{b}/agents/{agent_id}/support-access", body)
            assert response.status_code == 200, response.body
    review = PerformanceReview.objects.filter(business=business, status="open").first()
    assert review is not None
    decided = api.post(
        f"/businesses/{b}/performance-reviews/{review.id}/decide",
        {"outcome": "keep", "reason": "Improving"},
    )
    assert decided.status_code == 200, decided.body
    entry = ReferralEntry.objects.filter(business=business, reverses__isnull=True).first()
    assert entry is not None
    reversal = api.post(
        f"/businesses/{b}/commissions/{entry.id}/reversal",
        {"code": "customer_refunded", "note": "Refunded"},
    )
    assert reversal.status_code == 201, reversal.body
    _security_routing(business)
    _security_revocation(api, business)
    _reassignment(api, business)


def _reassignment(api: Any, business: Business) -> None:
    """Staff hand an open ticket to another agent routing could pick (issue 12 item 7)."""
    ticket = (
        Ticket.objects.filter(business=business, status="open", assigned_agent_id__isnull=False)
        .order_by("id")
        .first()
    )
    assert ticket is not None
    team = routing_team(business=business, now=clock.now())
    agent_id = next(
        c.agent_id
        for c in team.candidates
        if c.eligible and c.agent_id != str(ticket.assigned_agent_id)
    )
    moved = api.post(f"/tickets/{ticket.id}/reassign", {"agent_id": agent_id, "note": "Balance"})
    assert moved.status_code == 200, moved.body


def _security_revocation(api: Any, business: Business) -> None:
    """An agent holding an open ticket loses a security-critical certification: the ticket is
    re-routed (issue 11 item 1)."""
    held = Certification.objects.filter(
        business=business,
        status="certified",
        track__security_critical=True,
        agent_id__in=Ticket.objects.filter(business=business, status="open").values(
            "assigned_agent_id"
        ),
    ).first()
    assert held is not None
    path = f"/businesses/{business.id}/agents/{held.agent_id}/certifications/{held.track_id}"
    revoked = api.post(f"{path}/revoke", {"reason": "Shared a password"})
    assert revoked.status_code == 200, revoked.body


@pytest.fixture(scope="module")
def notified(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), clock.frozen(T0), transaction.atomic():
        _the_rest(load_demo())
        yield
        transaction.set_rollback(True)


def test_every_notification_kind_links_to_a_page_its_recipient_opens(notified: None) -> None:
    samples: dict[str, list[Notification]] = {}
    for note in Notification.objects.select_related("user").order_by("kind", "user_id", "id"):
        seen = samples.setdefault(note.kind, [])
        if len(seen) < PER_KIND and all(n.user_id != note.user_id for n in seen):
            seen.append(note)

    assert set(OutboxEvent.objects.values_list("type", flat=True)) == set(BY_TYPE)

    broken = []
    for kind, notes in samples.items():
        for note in notes:
            client = Client()
            client.force_login(note.user)
            page, _ = urldefrag(note.link)
            status = client.get(page).status_code if page else None
            if status != 200:
                broken.append((kind, note.link, status))
    assert broken == []


def test_every_event_sent_matches_its_schema_in_the_committed_openapi_document(
    notified: None,
) -> None:
    """Issue 13: what a webhook receives is what docs/openapi.json says, checked with a JSON
    Schema validator against the document subscribers read (not the catalogue's own check)."""
    from jsonschema import Draft202012Validator

    document = json.loads((Path(__file__).parents[1] / "docs" / "openapi.json").read_text())
    components = document["components"]["schemas"]
    failures = []
    checked = set()
    for event in OutboxEvent.objects.order_by("type", "created_at"):
        ref = document["webhooks"][event.type]["post"]["requestBody"]["content"]
        name = ref["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        body = json.loads(payload_body(event.type, event.occurred_at, event.data))
        errors = list(Draft202012Validator(components[name]).iter_errors(body))
        failures += [f"{event.type}: {list(e.absolute_path)} {e.message}" for e in errors[:1]]
        checked.add(event.type)
    assert failures == []
    assert checked == set(BY_TYPE)
