"""Reads for certification tracks, scoped to the caller's business (PRODUCT.md §3)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import Max

from refairn.accounts.models import User
from refairn.core.pagination import Page, keyset_page, page_limit
from refairn.core.tenancy import Actor, TenantQuerySet
from refairn.programs.selectors import actor_for_row_of
from refairn.training.domain import ContentStatus
from refairn.training.models import Track


def visible_tracks(actor: Actor) -> TenantQuerySet[Track]:
    """Staff see every track; everyone else only published ones (issue 12 item 5: drafts are
    the business's work in progress, archived tracks are retired)."""
    if actor.is_staff:
        return Track.objects.all()
    return Track.objects.filter(status=ContentStatus.PUBLISHED)


def track_get_for(actor: Actor, track_id: object) -> Track:
    """Any member of the business (staff, agent, applicant, customer) may read its tracks;
    outside the staff, published ones only."""
    return visible_tracks(actor).get_for(actor, track_id, what="track")


def track_actor(user: User, track_id: object) -> tuple[Actor, Track]:
    """For ``/tracks/{t}/...`` paths: the caller as an actor in the track's business."""
    actor, key = actor_for_row_of(user, Track, track_id, what="track")
    return actor, track_get_for(actor, key)


# The tracks' display order (Track.Meta.ordering), made total by the id.
TRACK_ORDER = ("position", "created_at", "id")


def tracks_list_for(actor: Actor) -> list[Track]:
    return list(visible_tracks(actor).for_actor(actor).prefetch_related("prerequisites"))


def tracks_page_for(actor: Actor, *, limit: int | None, cursor: str | None) -> Page[Track]:
    """The business's tracks in display order, a page at a time (any member)."""
    return keyset_page(
        visible_tracks(actor).for_actor(actor).prefetch_related("prerequisites"),
        order=TRACK_ORDER,
        limit=page_limit(limit),
        cursor=cursor,
    )


def track_name_taken(actor: Actor, name: str, *, other_than: Track | None = None) -> bool:
    """Track names are unique per business, whatever their case."""
    clash = Track.objects.for_actor(actor).filter(name__iexact=name)
    if other_than is not None:
        clash = clash.exclude(pk=other_than.pk)
    return clash.exists()


def tracks_by_id(actor: Actor, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Track]:
    """The business's tracks among ``ids`` (ids of other businesses are simply absent)."""
    return {t.id: t for t in Track.objects.for_actor(actor).filter(pk__in=list(ids))}


def track_ids_by_name(actor: Actor, names: Iterable[str]) -> dict[str, uuid.UUID]:
    """The business's tracks among ``names``, by exact name."""
    return dict(
        Track.objects.for_actor(actor).filter(name__in=list(names)).values_list("name", "id")
    )


def prerequisite_edges(business_id: uuid.UUID) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Each track of the business with the tracks it requires (one query)."""
    edges: dict[uuid.UUID, list[uuid.UUID]] = {}
    through = Track.prerequisites.through.objects.filter(from_track__business=business_id)
    for source, target in through.values_list("from_track_id", "to_track_id"):
        edges.setdefault(source, []).append(target)
    return edges


def next_track_position(business_id: uuid.UUID) -> int:
    last = Track.objects.filter(business_id=business_id).aggregate(Max("position"))["position__max"]
    return 0 if last is None else last + 1


def tracks_public(business_id: uuid.UUID) -> list[Track]:
    """What a business's public program page shows (issue 12): its tracks, in their order.
    Names, descriptions and requirements only; the page shows nothing of the question bank."""
    return list(
        Track.objects.filter(business_id=business_id, status=ContentStatus.PUBLISHED).order_by(
            "position", "created_at"
        )
    )
