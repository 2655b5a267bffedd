"""Who is calling, in which business, and the one queryset filter that enforces tenancy.

An ``Actor`` is built once at the edge (``refairn.programs.selectors.actor_for``) and passed down
explicitly. Tenant-owned models use ``TenantQuerySet`` so every read goes through
``.for_actor(actor)``, which can only ever return the actor's own business's rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from refairn.core.errors import Forbidden, NotFound

M = TypeVar("M", bound=models.Model)


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    REVIEWER = "reviewer"
    SECURITY = "security"
    AGENT = "agent"
    CUSTOMER = "customer"


STAFF_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.REVIEWER, Role.SECURITY})
ADMIN_ROLES = frozenset({Role.OWNER, Role.MANAGER})


@dataclass(frozen=True)
class Actor:
    """A user acting inside one business, with the roles they hold there.

    ``roles`` may be empty: a user who has only applied as an agent can see the business but
    do nothing in it yet.
    """

    user_id: uuid.UUID
    business_id: uuid.UUID
    roles: frozenset[Role] = field(default_factory=frozenset)
    customer_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_admin(self) -> bool:
        """Owner or manager: runs the program (settings, commissions, decisions)."""
        return bool(self.roles & ADMIN_ROLES)

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    def require(self, *roles: Role) -> None:
        if not self.has(*roles):
            allowed = ", ".join(sorted(r.value for r in roles))
            raise Forbidden(f"This action needs one of these roles: {allowed}.")

    def require_staff(self) -> None:
        self.require(*STAFF_ROLES)


class TenantQuerySet(models.QuerySet[M]):
    """Every tenant-owned model's manager: reads are scoped to one business."""

    def for_actor(self, actor: Actor) -> Self:
        return self.filter(business_id=actor.business_id)

    def get_for(self, actor: Actor, key: object, *, what: str, field: str = "pk") -> M:
        """The one row of the actor's business whose ``field`` is ``key`` (this queryset's
        other filters kept), or NotFound: an id of another business, an unknown id and a
        malformed one are the same answer."""
        value = parse_uuid(key, what=what)
        try:
            return self.for_actor(actor).get(**{field: value})
        except ObjectDoesNotExist:
            raise NotFound(what) from None


def parse_uuid(value: object, *, what: str = "resource") -> uuid.UUID:
    """Ids are opaque to callers: anything that is not one of ours is simply not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(what) from None
