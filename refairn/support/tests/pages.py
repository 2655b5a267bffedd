"""Helpers for the page tests: a logged-in browser client and tickets made through the services."""

from __future__ import annotations

from typing import Any

from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Customer
from refairn.programs.selectors import actor_for
from refairn.support import services
from refairn.support.models import Ticket


def browser(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ticket_for(customer: Customer, user: User, **overrides: Any) -> Ticket:
    """A ticket ``user`` (the customer's portal user, or staff) opens for ``customer``."""
    fields: dict[str, Any] = {
        "subject": "How do I export a report?",
        "body": "I cannot find the export button on the dashboard.",
        "tags": [],
        "priority": "P3",
        **overrides,
    }
    actor = actor_for(user, customer.business_id)
    return services.ticket_create(actor=actor, customer_id=customer.id, **fields)


def text(response: Any) -> str:
    return response.content.decode()
