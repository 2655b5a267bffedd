"""E-mail delivery of outbox events (issue 13): one mail per recipient per event, or one daily
digest, per the recipient's preference for the event's family; sent through Django's mail
framework (SMTP from the environment, or the console without ``EMAIL_HOST``)."""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from refairn.accounts.models import User
from refairn.core import clock
from refairn.notifications.domain.catalogue import BY_TYPE, FAMILY_LABELS, Family
from refairn.notifications.domain.delivery import (
    LEASE,
    EmailMode,
    EmailStatus,
    email_retry_at,
    status_for,
)
from refairn.notifications.models import EmailDelivery
from refairn.notifications.outbox import absolute_url
from refairn.notifications.preferences import (
    email_mode_in,
    preferences_get_each,
    preferences_get_for,
)
from refairn.notifications.unsubscribe import unsubscribe_token

log = logging.getLogger(__name__)

SWEEP_BATCH = 500
# Mails claimed together, under one lease and one read of their rows and of their recipients'
# preferences; few enough that a slow server (a couple of seconds a mail) still takes them all
# within the lease.
CLAIM_BATCH = 50
# What a mail server or the network raises for a mail that may go through on a later try.
SEND_ERRORS = (smtplib.SMTPException, OSError)


# -- rendering ---------------------------------------------------------------------------------


def _links(user: User, family: Family) -> dict[str, str]:
    token = unsubscribe_token(user.pk, family)
    return {
        "unsubscribe_url": absolute_url(reverse("notifications:unsubscribe", args=[token])),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }


def _family(value: str) -> Family:
    return Family(value) if value in {f.value for f in Family} else Family.PROGRAM


def event_mail(delivery: EmailDelivery) -> EmailMultiAlternatives:
    """The mail about one event: the family's text and HTML templates, a link to the page and
    an unsubscribe link (also as RFC 8058 one-click headers)."""
    event, user = delivery.event, delivery.user
    family = _family(event.family)
    spec = BY_TYPE.get(event.type)
    links = _links(user, family)
    context = {
        "user": user,
        "event": event,
        "summary": spec.summary if spec else event.text,
        "business_name": event.business.name if event.business else "",
        "page_url": absolute_url(event.link),
        "family_label": FAMILY_LABELS[family],
        **links,
    }
    subject = " ".join(event.text.split())
    if len(subject) > 90:
        subject = subject[:89] + "…"
    if context["business_name"]:
        subject = f"{context['business_name']}: {subject}"
    return _message(user, subject, f"notifications/email/{family.value}", context, links)


def digest_mail(user: User, deliveries: Sequence[EmailDelivery]) -> EmailMultiAlternatives:
    """One mail listing the day's events of the families the user wants as a digest."""
    families = sorted({_family(d.event.family) for d in deliveries})
    links = _links(user, families[0])
    sections = [
        {
            "family": family,
            "label": FAMILY_LABELS[family],
            "unsubscribe_url": _links(user, family)["unsubscribe_url"],
            "items": [
                {
                    "event": d.event,
                    "business_name": d.event.business.name if d.event.business else "",
                    "page_url": absolute_url(d.event.link),
                }
                for d in deliveries
                if _family(d.event.family) == family
            ],
        }
        for family in families
    ]
    count = len(deliveries)
    subject = f"Your Refairn digest: {count} update{'s' if count != 1 else ''}"
    context = {"user": user, "sections": sections, "count": count, **links}
    return _message(user, subject, "notifications/email/digest", context, links)


def _message(
    user: User, subject: str, template: str, context: dict[str, object], links: dict[str, str]
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


# -- sending -----------------------------------------------------------------------------------


def _claim(rows: Q, now: datetime) -> uuid.UUID | None:
    """Lease the matching rows that nobody holds (compare-and-set); the token names them."""
    token = uuid.uuid4()
    free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    claimed = EmailDelivery.objects.filter(rows & free).update(
        lease_until=now + LEASE, lease_token=token
    )
    return token if claimed else None


def _send_each(delivery_ids: Sequence[uuid.UUID]) -> int:
    """Deliver these pending mails per each recipient's current preference: send it now, leave
    it for the digest, or skip it. A mail server error schedules a retry (domain.delivery),
    then fails the mail. Mails another worker holds, or that are not due, are left alone.
    Returns how many were sent.

    A worker killed after the server accepted a mail but before its row was updated sends it
    again once the lease runs out: e-mail is at least once."""
    now = clock.now()
    token = _claim(
        Q(pk__in=delivery_ids, status=EmailStatus.PENDING, next_attempt_at__lte=now), now
    )
    if token is None:
        return 0
    mine = EmailDelivery.objects.filter(lease_token=token)
    deliveries = list(
        mine.select_related("event__business", "user").order_by("next_attempt_at", "id")
    )
    modes = preferences_get_each({delivery.user_id for delivery in deliveries})
    held: dict[EmailStatus, list[uuid.UUID]] = defaultdict(list)
    immediate = []
    for delivery in deliveries:
        mode = email_mode_in(modes[delivery.user_id], delivery.family)
        if mode == EmailMode.IMMEDIATE:
            immediate.append(delivery)
        else:
            held[status_for(mode)].append(delivery.pk)
    for status, held_ids in held.items():
        mine.filter(pk__in=held_ids).update(status=status, lease_until=None, lease_token=None)
    return sum(_send(delivery, token, now) for delivery in immediate)


def _send(delivery: EmailDelivery, token: uuid.UUID, now: datetime) -> bool:
    mine = EmailDelivery.objects.filter(pk=delivery.pk, lease_token=token)
    try:
        event_mail(delivery).send()
    except SEND_ERRORS as exc:
        failures = delivery.attempts + 1
        retry_at = email_retry_at(failures, clock.now())
        status = EmailStatus.PENDING if retry_at else EmailStatus.FAILED
        log.warning("e-mail %s failed (try %s): %s", delivery.pk, failures, exc)
        mine.update(
            status=status,
            attempts=failures,
            next_attempt_at=retry_at or now,
            last_error=str(exc)[:1000],
            lease_until=None,
            lease_token=None,
        )
        return False
    # Row by row, not once for the batch: a worker killed mid-batch sends again only the
    # mail it was sending.
    mine.update(
        status=EmailStatus.SENT,
        attempts=delivery.attempts + 1,
        sent_at=clock.now(),
        lease_until=None,
        lease_token=None,
    )
    return True


def email_deliveries_send(*, event_id: uuid.UUID | None = None) -> int:
    """Send every due pending mail (of one event, or all: the sweep). Returns how many were
    sent."""
    due = EmailDelivery.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=clock.now())
    if event_id is not None:
        due = due.filter(event_id=event_id)
    ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:SWEEP_BATCH])
    return sum(
        _send_each(ids[start : start + CLAIM_BATCH]) for start in range(0, len(ids), CLAIM_BATCH)
    )


def email_digests_send() -> int:
    """Issue 13: the daily digest — one mail per user with everything waiting for it. Rows of
    a family the user has since turned off are skipped. Returns how many digests were sent;
    a digest the server refused waits for the next day."""
    now = clock.now()
    user_ids = EmailDelivery.objects.filter(status=EmailStatus.DIGEST).values_list(
        "user_id", flat=True
    )
    sent = 0
    for user_id in sorted(set(user_ids)):
        token = _claim(Q(user_id=user_id, status=EmailStatus.DIGEST), now)
        if token is None:
            continue
        mine = EmailDelivery.objects.filter(lease_token=token, status=EmailStatus.DIGEST)
        modes = preferences_get_for(user_id)
        off = [f.value for f, mode in modes.items() if mode == EmailMode.OFF]
        mine.filter(family__in=off).update(
            status=EmailStatus.SKIPPED, lease_until=None, lease_token=None
        )
        rows = list(
            mine.select_related("event__business", "user").order_by("event__occurred_at", "id")
        )
        if not rows:
            continue
        try:
            digest_mail(rows[0].user, rows).send()
        except SEND_ERRORS as exc:
            log.warning("digest for %s failed: %s", user_id, exc)
            mine.update(lease_until=None, lease_token=None, last_error=str(exc)[:1000])
            continue
        mine.update(
            status=EmailStatus.SENT,
            attempts=1,
            sent_at=clock.now(),
            lease_until=None,
            lease_token=None,
        )
        sent += 1
    return sent
