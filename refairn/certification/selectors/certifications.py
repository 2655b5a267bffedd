"""The certification row, and the program rules the certification domain needs."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Q

from refairn.certification import domain
from refairn.certification.models import Certification
from refairn.certification.settings_section import certification_settings
from refairn.programs.models import Business
from refairn.training.models import Track


def certification_get_or_create(
    *, track: Track, agent_id: uuid.UUID, lock: bool = False
) -> Certification:
    """The agent's certification row for ``track`` (``not_started`` until something happens).

    Created on first need rather than when the track is made, so a track with many agents costs
    nothing until they engage. ``lock`` takes a row lock for a read that decides a write.
    """
    rows = Certification.objects.select_for_update() if lock else Certification.objects
    certification, _ = rows.get_or_create(
        track=track, agent_id=agent_id, defaults={"business_id": track.business_id}
    )
    return certification


def currently_certified(now: datetime) -> Q:
    """``domain.is_currently_certified`` as a filter: certified, and not expired at ``now``
    (no expiry never expires). A test holds the two to the same answer on every engine."""
    return Q(status=domain.Status.CERTIFIED) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


# -- program rules as the domain needs them -------------------------------------------------


def retry_policy(business: Business) -> domain.RetryPolicy:
    """PRODUCT.md §2: the business's retry period and maximum attempts."""
    return certification_settings(business).retry_policy()


def max_attempts_for(business: Business, certification: Certification | None) -> int | None:
    """The maximum for this cycle: the program's plus what the business granted; ``None`` when
    there is no maximum."""
    maximum = certification_settings(business).max_attempts
    if maximum is None:
        return None
    return maximum + (certification.granted_attempts if certification else 0)
