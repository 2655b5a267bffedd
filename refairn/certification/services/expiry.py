"""Periodic: expiry and the 30-day reminders (PRODUCT.md §5)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F

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


def certifications_expire_due(*, now: datetime | None = None) -> int:
    """PRODUCT.md §5: ``certified`` → ``expired`` when the interval runs out. The event carries
    the expiry time, not the sweep's. Each row is re-read under a lock, so a run that overlaps
    another (or a renewal, or a revocation) skips what is no longer due. Returns how many
    expired."""
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
            tell_agent(
                certification,
                "certification_expired",
                f"Your {certification.track.name} certification expired; retake the "
                "assessment to renew it.",
                at=expires_at,
                dedupe_key=f"certification-expired:{certification.pk}:{expires_at.isoformat()}",
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
        expired += 1
    return expired


def expiry_reminders_send(*, now: datetime | None = None) -> int:
    """PRODUCT.md §5/§8: the 30-day expiry reminder, once per certification and expiry date.

    A compare-and-set on ``expiry_reminder_for`` decides which run sends it, so overlapping
    runs send it once. A run that catches up after a jump of the test clock still records the
    reminder at the time it fell due (30 days before expiry, or at certification if later).
    Returns how many were sent.
    """
    now = now or clock.now()
    due = (
        Certification.objects.filter(
            status=domain.Status.CERTIFIED, expires_at__lte=now + domain.RENEWAL_WINDOW
        )
        .exclude(expiry_reminder_for=F("expires_at"))
        .select_related("track")
    )
    sent = 0
    for certification in due:
        expires_at = certification.expires_at
        if expires_at is None:
            continue
        claimed = (
            Certification.objects.filter(pk=certification.pk, expires_at=expires_at)
            .exclude(expiry_reminder_for=expires_at)
            .update(expiry_reminder_for=expires_at)
        )
        if not claimed:
            continue
        fell_due = expires_at - domain.RENEWAL_WINDOW
        if certification.certified_at is not None:
            fell_due = max(fell_due, certification.certified_at)
        tell_agent(
            certification,
            "certification_expiry_reminder",
            f"Your {certification.track.name} certification expires on {as_day(expires_at)}; "
            "you can renew it now.",
            at=fell_due,
            dedupe_key=f"certification-expiry-reminder:{certification.pk}:{expires_at.isoformat()}",
        )
        sent += 1
    return sent
