"""The training library's own record of who may open it (PRODUCT.md §2)."""

from __future__ import annotations

import uuid
from datetime import datetime

from refairn.training.models import LibraryAccess


def library_access_set(
    *, business_id: uuid.UUID, agent_id: uuid.UUID, open: bool, at: datetime
) -> None:
    """Open or close an agent's library in a program whose training access is on request.
    Support calls this with every change of the agent's support access (its request opens the
    library at once; a removal closes it)."""
    LibraryAccess.objects.update_or_create(
        business_id=business_id, agent_id=agent_id, defaults={"open": open, "changed_at": at}
    )
