"""The topic detector's feedback loop (issue 14): labelled examples per business, and the
business's own detector trained from them by ``refairn escalation train --business``."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from refairn.core.errors import NotFound
from refairn.programs.selectors import actor_for
from refairn.support.domain.escalation import Category, detect_topics
from refairn.support.domain.escalation_model import default_detector
from refairn.support.escalation_detectors import (
    business_artifact_path,
    business_examples,
    detector_for,
)
from refairn.support.models import EscalationExample, Ticket
from refairn.support.services.escalation_examples import escalation_example_record
from refairn.support.tests.conftest import new_customer, open_ticket

pytestmark = pytest.mark.django_db

HENDRIX = [
    "Please do the Hendrix for last month",
    "I'd like the Hendrix on invoice 33",
    "Can we get a Hendrix for the two weeks we couldn't use it?",
    "Hendrix please, the plan renewed by mistake",
    "Still waiting on my Hendrix from April",
    "Is a Hendrix possible for the unused seats?",
]


@pytest.fixture
def ticket(as_dana: Any, northwind: Any) -> Ticket:
    return Ticket.objects.get(pk=open_ticket(as_dana, northwind)["id"])


def test_staff_label_a_message_for_their_business_and_the_latest_label_wins(
    alice: Any, business_a: Any, ticket: Ticket
) -> None:
    actor = actor_for(alice, business_a.id)
    text = "Can you do the Hendrix thing on March for me?"
    escalation_example_record(actor=actor, ticket=ticket, kind="customer", text=text, category=None)
    escalation_example_record(
        actor=actor, ticket=ticket, kind="customer", text=f"  {text} ", category=Category.REFUND
    )
    row = EscalationExample.objects.get()
    assert (row.business_id, row.kind, row.text, row.label) == (
        business_a.id,
        "customer",
        text,
        "refund",
    )
    assert [(e.text, e.label, e.business_id) for e in business_examples(business_a.id)] == [
        (text, "refund", str(business_a.id))
    ]


def test_another_business_cannot_label_a_ticket_and_nothing_is_stored(
    charlie: Any, business_b: Any, ticket: Ticket
) -> None:
    with pytest.raises(NotFound):
        escalation_example_record(
            actor=actor_for(charlie, business_b.id),
            ticket=ticket,
            kind="customer",
            text="refund me",
            category="refund",
        )
    assert not EscalationExample.objects.exists()


def test_a_business_trains_its_own_detector_from_its_examples_only(
    alice: Any,
    business_a: Any,
    charlie: Any,
    business_b: Any,
    ticket: Ticket,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.DATA_DIR = tmp_path
    actor = actor_for(alice, business_a.id)
    for text in HENDRIX:
        escalation_example_record(
            actor=actor, ticket=ticket, kind="customer", text=text, category="refund"
        )
    other = Ticket.objects.create(
        business=business_b,
        customer=new_customer(business_b, "Contoso"),
        subject="s",
        body="b",
        first_response_due_at=ticket.first_response_due_at,
        resolution_due_at=ticket.resolution_due_at,
    )
    escalation_example_record(
        actor=actor_for(charlie, business_b.id),
        ticket=other,
        kind="customer",
        text="Hendrix means nothing here",
        category=None,
    )
    text = "Can you do the Hendrix thing on March for me?"
    assert detector_for(business_a.id) is default_detector()

    out = StringIO()
    call_command("escalation", "train", "--business", business_a.slug, stdout=out)

    assert "12/12 done" in out.getvalue()
    assert "6 business examples" in out.getvalue()
    assert business_artifact_path(business_a.id).exists()
    own = detector_for(business_a.id)
    assert own.meta["business_id"] == str(business_a.id)
    assert [w.category for w in detect_topics(text, kind="customer", detector=own)] == [
        Category.REFUND
    ]
    # Business B still has the shipped detector, which does not know the word.
    assert detector_for(business_b.id) is default_detector()
    shipped = detect_topics(text, kind="customer", detector=detector_for(business_b.id))
    assert Category.REFUND not in [w.category for w in shipped]


def test_an_unknown_business_is_refused(db: Any) -> None:
    with pytest.raises(CommandError, match="nobody"):
        call_command("escalation", "train", "--business", "nobody", stdout=StringIO())
