"""Issue 13: every certification notification goes out as a catalogued event type whose payload
carries the fields ``notifications.domain.catalogue`` promises (docs/events.md)."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.certification.services import (
    certifications_expire_due,
    expiry_reminders_send,
)
from refairn.certification.tests.journeys import begin, certify, make_track, submit, to_failed
from refairn.core import clock
from refairn.notifications.domain.catalogue import BY_TYPE, COMMON_FIELDS
from refairn.notifications.models import Notification, OutboxEvent
from tests.support import T0, api_as

pytestmark = pytest.mark.django_db


def path(business: Any, agent: Any, track: Any, action: str) -> str:
    return f"/businesses/{business.id}/agents/{agent.id}/certifications/{track.id}/{action}"


def test_each_certification_notification_is_a_catalogued_event_with_its_payload(
    alice: Any, bob: Any, business_a: Any
) -> None:
    owner = api_as(alice)
    first = make_track(business_a, alice, name="Fundamentals")
    second = make_track(business_a, alice, name="Billing")
    third = make_track(business_a, alice, name="Security")

    certify(first, bob, alice)  # passed, approval_needed, certified
    to_failed(second, bob)  # failed
    assert owner.post(path(business_a, bob, second, "grant-attempts"), {"count": 1}).status_code
    fourth = make_track(business_a, alice, name="Escalations")
    submit(begin(fourth, bob.id), earned=100)
    owner.post(path(business_a, bob, fourth, "decline"), {"reason": "Redo module 2."})
    business_a.settings = {**business_a.settings, "manual_review": True}
    business_a.save(update_fields=["settings"])
    submit(begin(third, bob.id), earned=100)  # awaiting_review, review_needed
    owner.post(path(business_a, bob, third, "revoke"), {"reason": "Shared answers."})
    owner.post(path(business_a, bob, third, "reopen"), {"reason": ""})
    expires = T0.replace(year=2027)
    with clock.frozen(expires):
        expiry_reminders_send()
        certifications_expire_due()

    kinds = set(Notification.objects.filter(user__in=[bob, alice]).values_list("kind", flat=True))
    events = list(OutboxEvent.objects.filter(type__startswith="certification."))
    assert {e.type for e in events} == {
        "certification.passed",
        "certification.approval_needed",
        "certification.certified",
        "certification.failed",
        "certification.attempts_granted",
        "certification.declined",
        "certification.awaiting_review",
        "certification.review_needed",
        "certification.revoked",
        "certification.reopened",
        "certification.expiry_reminder",
        "certification.expired",
    }
    assert {e.kind for e in events} <= kinds
    for event in events:
        spec = BY_TYPE[event.type]
        promised = {f.name for f in (*COMMON_FIELDS, *spec.fields)}
        assert promised <= set(event.data), (event.type, promised - set(event.data))
        assert event.data["agent_id"] == str(bob.id)
        assert event.kind == event.type.replace(".", "_")
    certified = next(e for e in events if e.type == "certification.certified")
    assert (certified.data["renewed"], certified.data["expires_at"]) == (
        False,
        expires.isoformat().replace("+00:00", "Z"),
    )
    failed = next(e for e in events if e.type == "certification.failed")
    assert failed.data["score"] == "10.00"
    assert failed.data["next_attempt_at"] is not None
    assert next(e for e in events if e.type == "certification.declined").data["reason"] == (
        "Redo module 2."
    )
    reminders = [e for e in events if e.type == "certification.expiry_reminder"]
    assert sorted(e.data["days_before"] for e in reminders) == [7, 30]
