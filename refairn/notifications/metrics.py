"""The outbox seen by Prometheus (issue 17): how far delivery lags behind the events, read from
the rows themselves at scrape time, so every process reports the same figures."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Min
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from refairn.core import clock
from refairn.notifications.domain.delivery import EmailStatus
from refairn.notifications.models import EmailDelivery, OutboxEvent


class OutboxCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = clock.now()
        waiting = OutboxEvent.objects.filter(dispatched_at__isnull=True).aggregate(
            oldest=Min("created_at")
        )["oldest"]
        lag = GaugeMetricFamily(
            "refairn_outbox_lag_seconds",
            "Age of the oldest outbox event not yet handed to its sinks (0 when none waits).",
        )
        lag.add_metric([], (now - waiting).total_seconds() if waiting else 0.0)
        yield lag
        mails = GaugeMetricFamily(
            "refairn_email_deliveries_due",
            "E-mails waiting to be sent whose time has come (first tries and retries).",
        )
        due = EmailDelivery.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now)
        mails.add_metric([], due.count())
        yield mails
