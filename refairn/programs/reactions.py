"""How programs reacts to what accounts announces (refairn.core.events)."""

from __future__ import annotations

from refairn.accounts.events import EmailVerified
from refairn.programs.models import Customer


def on_email_verified(event: EmailVerified) -> None:
    """Issue 12: a person who signs up after a business recorded them as a customer becomes
    that customer once they prove the address is theirs, in every business that has it.
    A record already linked to someone keeps its link."""
    Customer.objects.filter(email=event.email, user__isnull=True).update(user_id=event.user_id)
