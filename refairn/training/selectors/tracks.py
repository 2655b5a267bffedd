"""Reads for certification tracks, scoped to the caller's business (PRODUCT.md §3)."""

from __future__ import annotations

from refairn.accounts.models import User
from refairn.core.errors import NotFound
from refairn.core.tenancy import Actor, parse_uuid
from refairn.programs.selectors import actor_for_row_of
from refairn.training.models import Track


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
