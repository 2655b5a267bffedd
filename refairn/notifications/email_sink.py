"""The e-mail sink of the outbox (``notifications.sinks``): one pending delivery per recipient
when an event is dispatched, delivered by the Huey task; the mode (immediate, digest, off) is
decided when the mail is sent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from refairn.accounts.models import User
from refairn.core import clock
from refairn.notifications.models import EmailDelivery, OutboxEvent
from refairn.notifications.tasks import email_deliveries_send_task


class EmailSink:
    """The e-mail sink: one pending delivery per recipient; the mode is decided at sending."""

    def accept(self, events: Sequence[OutboxEvent]) -> None:
        wanted = {user_id for event in events for user_id in event.recipient_ids}
        emails = dict(User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", "email"))
        addressed = {user_id for user_id, email in emails.items() if email}
        now = clock.now()
        EmailDelivery.objects.bulk_create(
            [
                EmailDelivery(
                    event=event,
                    user_id=user_id,
                    family=event.family,
                    next_attempt_at=event.created_at,
                    created_at=now,
                )
                for event in events
                for user_id in dict.fromkeys(map(uuid.UUID, event.recipient_ids))
                if user_id in addressed
            ],
            ignore_conflicts=True,  # dispatched again after a crash: already written
        )

    def schedule(self, event: OutboxEvent) -> None:
        email_deliveries_send_task(event.pk)
