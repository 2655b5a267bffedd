"""What training announces to the apps above it (``refairn.core.events``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TrainingProgressed:
    """An agent recorded progress in one of a track's modules (PRODUCT.md §5: the first module
    started moves the track's certification to ``in_progress``)."""

    business_id: uuid.UUID
    track_id: uuid.UUID
    agent_id: uuid.UUID
    at: datetime
