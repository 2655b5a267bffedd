"""Periodic: expiry and the expiry reminders (PRODUCT.md §5)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from refairn.certification import domain
from refairn.certification.events import Expired
from refairn.certification.models import Certification
from refairn.certification.services.transitions import (
    as_day,
    certification_transition,
    event_time,
    tell_agent,
)
from refairn.core import clock, events
from refairn.notifications.models import Notification


def certifications_expire_due(*, now: datetime | None = None) -> int:
    """PRODUCT.md §5: ``certified`` → ``expired`` when the interval runs out, announced
    (``events.Expired``). The event carries the expiry time, not the sweep's. Each row is
    re-read under a lock, so a run that overlaps another (or a renewal, or a revocation) skips
    what is no longer due. Returns how many expired."""
    now = now or clock.now()
    due = Certification.objects.filter(status=domain.Status.CERTIFIED, expires_at__lte=now)
    expired = 0
    for pk in list(due.order_by("expires_at").values_list("pk", flat=True)):
        with transaction.atomic():
            certification = (
                due.select_for_update(of=("self",)).select_related("track").filter(pk=pk).first()
            )
            if certification is None or certification.expires_at is None:
                continue
            expires_at = certification.expires_at
            certification_transition(
                certification,
                domain.Event.EXPIRE,
                actor_kind=domain.ActorKind.SYSTEM,
                by=None,
                reason="The recertification interval ran out.",
                at=event_time(certification, expires_at),
            )
            events.publish(
                Expired(
                    certification_id=certification.pk,
                    business_id=certification.business_id,
                    track_id=certification.track_id,
                    agent_id=certification.agent_id,
                    at=expires_at,
                )
            )
            tell_agent(
                certification,
                "certification.expired",
                f"Your {certification.track.name} certification expired; retake the "
                "assessment to renew it.",
                data={"expires_at": expires_at},
                at=expires_at,
                dedupe_key=f"certification-expired:{certification.pk}:{expires_at.isoformat()}",
            )
        expired += 1
    return expired


def _reminder_key(certification: Certification, reminder: domain.Reminder) -> str:
    expires_at = certification.expires_at
    assert expires_at is not None  # only certifications with an expiry are reminded
    return (
        f"certification-expiry-reminder:{certification.pk}:{expires_at.isoformat()}"
        f":{reminder.days_before}d"
    )


def expiry_reminders_send(*, now: datetime | None = None) -> int:
    """PRODUCT.md §5/§8: the expiry reminders, 30 and 7 days before, once per certification,
    expiry date and reminder.

    What was sent is the agent's notification itself (its dedupe key, written with the outbox
    event in one transaction), not a mark set beforehand: a run that dies half-way sends the
    rest next time, and a rerun or an overlapping run repeats nothing. A run that catches up
    after a jump of the test clock dates each reminder when it fell due. Returns how many were
    sent.
    """
    now = now or clock.now()
    due = Certification.objects.filter(
        status=domain.Status.CERTIFIED, expires_at__lte=now + domain.RENEWAL_WINDOW
    ).select_related("track")
    pending = [
        (certification, reminder, _reminder_key(certification, reminder))
        for certification in due
        for reminder in domain.reminders_due(
            certification.expires_at, certification.certified_at, now
        )
    ]
    already = set(
        Notification.objects.filter(
            dedupe_key__in=[f"{key}:{c.agent_id}" for c, _, key in pending]
        ).values_list("dedupe_key", flat=True)
    )
    sent = 0
    for certification, reminder, key in pending:
        if f"{key}:{certification.agent_id}" in already:
            continue
        sent += tell_agent(
            certification,
            "certification.expiry_reminder",
            f"Your {certification.track.name} certification expires on "
            f"{as_day(certification.expires_at)} (in {reminder.days_before} days); "
            "you can renew it now.",
            data={
                "expires_at": certification.expires_at,
                "days_before": reminder.days_before,
            },
            at=reminder.due_at,
            dedupe_key=key,
        )
    return sent
