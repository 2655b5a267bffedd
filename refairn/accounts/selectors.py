"""Account reads."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from refairn.accounts.models import ApiToken, User
from refairn.core import clock


def token_list_for(user: User) -> QuerySet[ApiToken]:
    """The caller's live tokens (not revoked, not expired), newest first. Never the secret:
    only its hash is stored."""
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=clock.now()))
        .order_by("-created_at", "-pk")
    )
