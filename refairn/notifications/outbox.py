"""The transactional outbox (issue 13): record an event with the change, dispatch it to the
sinks after commit, and sweep up whatever a crash left behind."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from refairn.core import clock
from refairn.core.bulk import rows_insert
from refairn.notifications.domain.catalogue import BY_TYPE, family_of, payload_problems
from refairn.notifications.models import OutboxEvent
from refairn.notifications.notice import Notice
from refairn.notifications.sinks import SINKS

log = logging.getLogger(__name__)

SWEEP_BATCH = 500
# Events dispatched in one transaction: a handful of statements for the batch instead of
# seven per event.
DISPATCH_BATCH = 100


def absolute_url(path: str) -> str:
    """A web-app path as the URL people outside the app follow (mails, webhook payloads)."""
    if not path:
        return ""
    return settings.REFAIRN_PUBLIC_URL + "/" + path.lstrip("/")


class PayloadMismatch(ValueError):
    """An event outside the catalogue, or a payload that does not match its schema."""


def payload_check(event: str, data: Mapping[str, Any]) -> None:
    """Refuse (``PayloadMismatch``) an uncatalogued ``event`` or ``data`` that does not match
    its own fields, whether or not anyone is told this time. Outside the suite and DEBUG a
    catalogued event's field mismatch is logged instead (``REFAIRN_STRICT_EVENT_PAYLOADS``):
    subscribers get the payload as it is rather than the person's change being lost."""
    sent = json.loads(json.dumps(dict(data), cls=DjangoJSONEncoder))
    _mismatch(event, payload_problems(event, sent, with_common=False))


def _mismatch(event: str, problems: Sequence[str]) -> None:
    if not problems:
        return
    message = f"event {event!r}: " + "; ".join(problems)
    if settings.REFAIRN_STRICT_EVENT_PAYLOADS or event not in BY_TYPE:
        raise PayloadMismatch(message)
    log.error("notification payload off its schema: %s", message)


def _business_names(business_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not business_ids:
        return {}
    # Through the foreign key: the business belongs to an app above this one.
    business = OutboxEvent._meta.get_field("business").related_model
    assert isinstance(business, type)
    rows = business._default_manager.filter(pk__in=business_ids).values_list("pk", "name")
    return dict(rows)


def outbox_record_each(*, notices: Sequence[Notice]) -> list[OutboxEvent]:
    """Write an outbox event for each notice, in the caller's transaction and in one insert,
    to be dispatched once that commits.

    ``data`` is stored as JSON exactly as it will be sent (ids, times and amounts as strings);
    the common fields of the catalogue (``business_id``, ``business_name``, ``kind``, ``text``,
    ``link``, ``url``, ``recipient_ids``) are added. A type outside the catalogue, or a payload
    that does not match its fields, raises ``PayloadMismatch`` (see ``payload_check``):
    subscribers get what docs/events.md promises, or the change that would announce something
    else fails its tests.
    """
    names = _business_names({n.business_id for n in notices if n.business_id is not None})
    rows = [
        _outbox_row(
            kind=notice.kind,
            text=notice.text,
            link=notice.link,
            business_id=notice.business_id,
            business_name=names.get(notice.business_id) if notice.business_id else None,
            recipient_ids=notice.user_ids,
            occurred_at=notice.at,
            event=notice.event,
            data=notice.data,
        )
        for notice in notices
    ]
    rows_insert(OutboxEvent, rows)
    return rows


def _outbox_row(
    *,
    kind: str,
    text: str,
    link: str,
    business_id: uuid.UUID | None,
    business_name: str | None,
    recipient_ids: Sequence[uuid.UUID],
    occurred_at: datetime,
    event: str,
    data: Mapping[str, Any],
) -> OutboxEvent:
    payload = dict(data)
    payload.update(
        business_id=business_id,
        business_name=business_name,
        kind=kind,
        text=text,
        link=link,
        url=absolute_url(link),
        recipient_ids=list(recipient_ids),
    )
    sent = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    _mismatch(event, payload_problems(event, sent))
    return OutboxEvent(
        type=event,
        kind=kind,
        family=family_of(event).value,
        business_id=business_id,
        text=text,
        link=link,
        data=sent,
        recipient_ids=[str(user_id) for user_id in recipient_ids],
        occurred_at=occurred_at,
        created_at=clock.now(),
    )


def outbox_dispatch(event_id: uuid.UUID) -> bool:
    """Hand one event to every sink, exactly once: the compare-and-set on ``dispatched_at``
    and the sinks' delivery rows commit together, so a crash before the commit leaves the
    event undispatched (the sweep redoes it) and two dispatchers never both win.

    Returns whether this call dispatched it."""
    return _dispatch([event_id]) == 1


def _dispatch(event_ids: Sequence[uuid.UUID]) -> int:
    """``outbox_dispatch`` of several events in one transaction, with one read of the events
    and one write per sink; returns how many this call dispatched."""
    with transaction.atomic():
        now = clock.now()
        claimed = [
            event_id
            for event_id in event_ids
            if OutboxEvent.objects.filter(pk=event_id, dispatched_at__isnull=True).update(
                dispatched_at=now
            )
        ]
        if not claimed:
            return 0
        by_id = OutboxEvent.objects.in_bulk(claimed)
        events = [by_id[event_id] for event_id in claimed]
        sinks = list(SINKS.values())
        for sink in sinks:
            sink.accept(events)

        def schedule() -> None:
            for sink in sinks:
                for event in events:
                    try:
                        sink.schedule(event)
                    except Exception:
                        log.exception("sink %r could not schedule event %s", sink, event.pk)

        transaction.on_commit(schedule)
    return len(claimed)


def outbox_sweep() -> int:
    """Dispatch every event still waiting (its task was lost, or a worker died mid-dispatch).
    Returns how many this sweep dispatched."""
    waiting = list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return outbox_dispatch_each(waiting)


def outbox_dispatch_each(event_ids: Sequence[uuid.UUID]) -> int:
    """``outbox_dispatch`` of each event, a batch at a time; returns how many this call
    dispatched."""
    done = 0
    for start in range(0, len(event_ids), DISPATCH_BATCH):
        batch = event_ids[start : start + DISPATCH_BATCH]
        try:
            done += _dispatch(batch)
        except Exception:
            # One broken event must not hold back the others: the batch was rolled back, so
            # its events go one by one, and a broken one is tried again next sweep.
            for event_id in batch:
                try:
                    done += outbox_dispatch(event_id)
                except Exception:
                    log.exception("dispatching outbox event %s failed", event_id)
    return done
