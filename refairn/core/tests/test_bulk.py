"""``core.bulk.rows_insert`` writes the rows ``bulk_create`` writes (issue 17), on PostgreSQL
through one array text per column."""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.forms.models import model_to_dict

from refairn.core.bulk import rows_insert
from refairn.notifications.models import Notification, OutboxEvent
from tests.support import T0

pytestmark = pytest.mark.django_db

AWKWARD = 'Say "hi", {brace}\\back, NULL, é'


def _events(business: Any, alice: Any) -> list[OutboxEvent]:
    return [
        OutboxEvent(
            type="ticket.opened",
            kind="ticket_opened",
            family="support",
            business=business if n % 2 else None,
            text=f"{AWKWARD} {n}",
            link="" if n else "/b/x/",
            data={"text": AWKWARD, "n": n, "none": None, "nested": {"list": [1, "two"]}},
            recipient_ids=[str(alice.id)],
            occurred_at=T0 + timedelta(microseconds=n),
        )
        for n in range(3)
    ]


def _stored(model: Any, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    return [model_to_dict(row) for row in model.objects.filter(pk__in=ids).order_by("text")]


def test_rows_insert_stores_what_bulk_create_stores(alice: Any, business_a: Any) -> None:
    inserted = _events(business_a, alice)
    assert rows_insert(OutboxEvent, inserted) == 3
    created = OutboxEvent.objects.bulk_create(_events(business_a, alice))
    mine = _stored(OutboxEvent, [row.pk for row in inserted])
    theirs = _stored(OutboxEvent, [row.pk for row in created])
    assert [{**row, "id": None} for row in mine] == [{**row, "id": None} for row in theirs]
    assert len(mine) == 3 and mine[0]["data"]["text"] == AWKWARD

    notes = [Notification(user=alice, kind="k", text=AWKWARD, dedupe_key=None)]
    rows_insert(Notification, notes)
    stored = Notification.objects.get(pk=notes[0].pk)
    assert (stored.text, stored.business_id, stored.read_at, stored.created_at) == (
        AWKWARD,
        None,
        None,
        T0,
    )


def test_rows_without_their_ids_are_refused_before_anything_is_written(alice: Any) -> None:
    note = Notification(user=alice, kind="k", text="t")
    note.pk = None
    with pytest.raises(ValueError, match="ids of the Notification rows"):
        rows_insert(Notification, [note])
    assert not Notification.objects.exists()


def test_conflicting_rows_are_skipped_and_not_counted(alice: Any, business_a: Any) -> None:
    """The sweep's flags: a row a unique key already holds is left, the others written."""
    events = _events(business_a, alice)
    assert rows_insert(OutboxEvent, events[:1]) == 1
    again = [copy.copy(event) for event in events]
    assert rows_insert(OutboxEvent, again, ignore_conflicts=True) == 2
    assert OutboxEvent.objects.count() == 3
