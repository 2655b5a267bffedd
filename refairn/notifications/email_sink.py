"""The e-mail sink of the outbox (``notifications.sinks``): one pending delivery per recipient
when an event is dispatched, delivered by the Huey task; the mode (immediate, digest, off) is
decided when the mail is sent."""

from __future__ import annotations

from refairn.accounts.models import User
from refairn.core import clock
from refairn.notifications.models import EmailDelivery, OutboxEvent
from refairn.notifications.tasks import email_deliveries_send_task


class EmailSink:
    """The e-mail sink: one pending delivery per recipient; the mode is decided at sending."""

    def accept(self, event: OutboxEvent) -> None:
        recipients = User.objects.filter(pk__in=event.recipient_ids, is_active=True)
        EmailDelivery.objects.bulk_create(
            [
                EmailDelivery(
                    event=event,
                    user=user,
                    family=event.family,
                    next_attempt_at=event.created_at,
                    created_at=clock.now(),
                )
                for user in recipients
                if user.email
            ],
            ignore_conflicts=True,  # dispatched again after a crash: already written
        )

    def schedule(self, event: OutboxEvent) -> None:
        email_deliveries_send_task(event.pk)
