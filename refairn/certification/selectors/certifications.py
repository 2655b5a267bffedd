"""The certification row, and the program rules the certification domain needs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from refairn.certification import domain
from refairn.certification.models import Certification
from refairn.programs.models import Business
from refairn.training.domain import Requirement
from refairn.training.models import Track


def certification_get_or_create(
    *, track: Track, agent_id: uuid.UUID, lock: bool = False
) -> Certification:
    """The agent's certification row for ``track`` (``not_started`` until something happens).

    Created on first need rather than when the track is made, so a track with many agents costs
    nothing until they engage. ``lock`` takes a row lock for a read that decides a write.
    """
    certification, _ = Certification.objects.get_or_create(
        track=track, agent_id=agent_id, defaults={"business_id": track.business_id}
    )
    if lock:
        certification = Certification.objects.select_for_update().get(pk=certification.pk)
    return certification


# -- program rules as the domain needs them -------------------------------------------------


def retry_policy(business: Business) -> domain.RetryPolicy:
    """PRODUCT.md §2: the business's retry period and maximum attempts."""
    settings = business.program_settings
    return domain.RetryPolicy(
        retry_period_days=settings.retry_period_days, max_attempts=settings.max_attempts
    )


def max_attempts_for(business: Business, certification: Certification | None) -> int | None:
    """The maximum for this cycle: the program's plus what the business granted; ``None`` when
    there is no maximum."""
    maximum = business.program_settings.max_attempts
    if maximum is None:
        return None
    return maximum + (certification.granted_attempts if certification else 0)


def support_track_ids_for(business: Business, tracks: Iterable[Track] | None = None) -> list[str]:
    """PRODUCT.md §2: the tracks that make a Certified Support Agent — the ``support_track_ids``
    setting, or every ``required`` track when it is null. ``tracks``: the business's tracks when
    the caller has them already (saves a query)."""
    chosen = business.program_settings.support_track_ids
    if chosen is not None:
        return [str(track_id) for track_id in chosen]
    if tracks is None:
        tracks = Track.objects.filter(business=business, requirement=Requirement.REQUIRED)
    return [str(t.id) for t in tracks if t.requirement == Requirement.REQUIRED]
