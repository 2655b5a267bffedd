import uuid
from datetime import datetime

from ninja import Schema


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
