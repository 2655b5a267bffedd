"""What training announces to the apps above it (``refairn.core.events``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CompositionSet:
    """A track's assessment mix was set (issue 11 item 5): the exam engine refuses it (422)
    when the bank lacks questions of a type."""

    business_id: uuid.UUID
    track_id: uuid.UUID
    composition: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class TrainingProgressed:
    """An agent recorded progress in one of a track's modules (PRODUCT.md §5: the first module
    started moves the track's certification to ``in_progress``)."""

    business_id: uuid.UUID
    track_id: uuid.UUID
    agent_id: uuid.UUID
    at: datetime
