"""Which topic detector a business uses (issue 14), and the examples that train its own.

The shipped artifact serves every business until ``refairn escalation train --business <slug>``
writes one trained on the corpus plus that business's own examples to
``$REFAIRN_DATA_DIR/escalation/<business id>/default-v3.json``. A business's artifact is read
again only when the file changes.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from refairn.support.domain.escalation_examples import Example
from refairn.support.domain.escalation_model import (
    DEFAULT_ARTIFACT,
    Detector,
    Kind,
    default_detector,
    load_detector,
)
from refairn.support.models import EscalationExample


def business_artifact_path(business_id: uuid.UUID | str) -> Path:
    return Path(settings.DATA_DIR) / "escalation" / str(business_id) / DEFAULT_ARTIFACT


@lru_cache(maxsize=64)
def _load(path: Path, modified_ns: int) -> Detector:
    return load_detector(path)


def detector_for(business_id: uuid.UUID | str) -> Detector:
    """The business's own trained detector if it has one, else the shipped one."""
    path = business_artifact_path(business_id)
    try:
        modified_ns = path.stat().st_mtime_ns
    except FileNotFoundError:
        return default_detector()
    return _load(path, modified_ns)


def business_examples(business_id: uuid.UUID | str) -> list[Example]:
    """The business's labelled feedback, oldest first, as training examples."""
    rows = EscalationExample.objects.filter(business_id=business_id).order_by("created_at", "id")
    return [
        Example(row.text, Kind(row.kind), row.label, "train", "feedback", str(business_id))
        for row in rows
    ]
