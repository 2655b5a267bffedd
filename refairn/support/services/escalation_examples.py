"""The topic detector's feedback loop (issue 14): human decisions become labelled examples."""

from __future__ import annotations

import hashlib

from django.db import transaction

from refairn.core import clock
from refairn.core.errors import Forbidden, NotFound
from refairn.core.tenancy import Actor, Role
from refairn.support.domain.escalation import Category
from refairn.support.domain.escalation_examples import example_from_feedback
from refairn.support.domain.escalation_model import Kind
from refairn.support.models import EscalationExample, Ticket


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def escalation_example_record(
    *,
    actor: Actor,
    ticket: Ticket,
    kind: Kind | str,
    text: str,
    category: Category | str | None,
) -> EscalationExample:
    """Issue 14 / PRODUCT.md §6: when staff or the agent escalate a ticket the detector did not
    flag (``category`` is what they escalated under) or dismiss a flag (``None``), keep the text
    as a labelled example of the business's own model. Per business, never shared; the same
    text recorded again (or twice at once) keeps one row with the latest label."""
    if ticket.business_id != actor.business_id:
        raise NotFound("ticket")
    if not (actor.is_staff or actor.has(Role.AGENT)):
        raise Forbidden("Only the business's staff or its agents label escalations.")
    example = example_from_feedback(
        text=text, kind=kind, category=category, business_id=str(actor.business_id)
    )
    row, _ = EscalationExample.objects.update_or_create(
        business_id=actor.business_id,
        kind=example.kind.value,
        text_sha256=text_digest(example.text),
        defaults={
            "text": example.text,
            "label": example.label,
            "ticket": ticket,
            "created_by_id": actor.user_id,
            "created_at": clock.now(),
        },
    )
    return row
