"""Unsubscribe links that need no login: a signed token naming a user and an event family.

Django's signing (HMAC with SECRET_KEY and a salt of our own) makes the token unforgeable;
it does not expire, because a mail read months later must still let its reader stop them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core import signing

from refairn.notifications.domain.catalogue import Family

_SALT = "refairn.notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: uuid.UUID
    family: Family


def unsubscribe_token(user_id: uuid.UUID, family: Family) -> str:
    return signing.dumps({"u": str(user_id), "f": family.value}, salt=_SALT, compress=True)


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """The token's user and family, or None for a forged, damaged or stale token."""
    try:
        value = signing.loads(token, salt=_SALT)
        return Unsubscribe(uuid.UUID(value["u"]), Family(value["f"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
