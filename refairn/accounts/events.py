"""What accounts announces to the apps above it (refairn.core.events)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class EmailVerified:
    """A person proved they read ``email``: records kept under that address may now be theirs
    (programs links customer records)."""

    user_id: uuid.UUID
    email: str
