import uuid
from datetime import datetime
from typing import Any, Literal

from ninja import Schema

from refairn.core.schemas import StrictIn
from refairn.notifications.domain.catalogue import Family
from refairn.notifications.domain.delivery import EmailMode


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    business_id: uuid.UUID | None
    created_at: datetime
    read: bool
    text: str
    link: str

    @staticmethod
    def resolve_read(obj: object) -> bool:
        return getattr(obj, "read_at", None) is not None


class EmailPreferencesOut(Schema):
    """The e-mail mode of each event family (docs/events.md lists the families)."""

    certification: EmailMode
    support: EmailMode
    commissions: EmailMode
    program: EmailMode


class EmailPreferencesIn(StrictIn):
    """Only the named families change."""

    certification: EmailMode | None = None
    support: EmailMode | None = None
    commissions: EmailMode | None = None
    program: EmailMode | None = None


class PreferencesOut(Schema):
    in_app: Literal["always"] = "always"
    email: EmailPreferencesOut


class PreferencesIn(StrictIn):
    email: EmailPreferencesIn


def preferences_out(modes: dict[Family, EmailMode]) -> dict[str, Any]:
    return {"in_app": "always", "email": {family.value: mode for family, mode in modes.items()}}
