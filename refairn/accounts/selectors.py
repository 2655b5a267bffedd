"""Account reads."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from refairn.accounts.models import ApiToken, User
from refairn.core import clock
from refairn.core.pagination import Page, keyset_page, page_limit

TOKEN_ORDER = ("-created_at", "-id")


def token_list_for(user: User) -> QuerySet[ApiToken]:
    """The caller's live tokens (not revoked, not expired), newest first. Never the secret:
    only its hash is stored."""
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=clock.now()))
        .order_by(*TOKEN_ORDER)
    )


def tokens_page_for(user: User, *, limit: int | None, cursor: str | None) -> Page[ApiToken]:
    return keyset_page(
        token_list_for(user), order=TOKEN_ORDER, limit=page_limit(limit), cursor=cursor
    )
