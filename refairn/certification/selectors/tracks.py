"""Tracks, the certification row, and the program rules as the domain needs them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from refairn.accounts.models import User
from refairn.certification import domain
from refairn.certification.models import Certification, Track
from refairn.core.errors import NotFound
from refairn.core.tenancy import Actor, parse_uuid
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for_row_of


def track_get_for(actor: Actor, track_id: object) -> Track:
    """Any member of the business (staff, agent, applicant, customer) may read its tracks."""
    key = parse_uuid(track_id, what="track")
    track = Track.objects.for_actor(actor).filter(pk=key).first()
    if track is None:
        raise NotFound("track")
    return track


def track_actor(user: User, track_id: object) -> tuple[Actor, Track]:
    """For ``/tracks/{t}/...`` paths: the caller as an actor in the track's business."""
    actor, key = actor_for_row_of(user, Track, track_id, what="track")
    return actor, track_get_for(actor, key)


def tracks_list_for(actor: Actor) -> list[Track]:
    return list(Track.objects.for_actor(actor).prefetch_related("prerequisites"))


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
        tracks = Track.objects.filter(business=business, requirement=domain.Requirement.REQUIRED)
    return [str(t.id) for t in tracks if t.requirement == domain.Requirement.REQUIRED]
