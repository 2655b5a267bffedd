"""The first step of a new program on its home (issue 12): until a track is published, agents
who join have nothing to train on, so the owner and managers are told where to start."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.home_panels import HomePanel
from refairn.training.domain.lifecycle import ContentStatus
from refairn.training.models import Track


def _no_published_track(actor: Actor) -> bool:
    return (
        actor.has(*ADMIN_ROLES)
        and not Track.objects.filter(
            business_id=actor.business_id, status=ContentStatus.PUBLISHED
        ).exists()
    )


def _context(actor: Actor) -> Mapping[str, Any]:
    return {"drafts": Track.objects.filter(business_id=actor.business_id).exists()}


FIRST_TRACK_PANEL = HomePanel(
    name="first_track",
    order=-10,  # above the work queue: nothing else can happen before it
    template="training/_home_first_track.html",
    shows=_no_published_track,
    context=_context,
)
