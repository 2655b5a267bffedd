"""The agent's certification page, ``[Business] → Certification`` (the first seed): the way to
support access, each track's status in plain words, retry rules and the next allowed time. Thin:
the same selectors as ``GET /businesses/{b}/certifications/me``."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone

from refairn.assessments.models import Attempt
from refairn.certification import domain, selectors, services
from refairn.certification.schemas import STATUS_MEANINGS, status_meaning
from refairn.core import clock
from refairn.core.tenancy import Actor, Role
from refairn.programs.edge import page_actor
from refairn.programs.selectors import business_get_for
from refairn.training.domain import ContentStatus
from refairn.training.selectors import has_training_access
from refairn.training.settings_section import training_settings

# The first seed's status names, as the agent reads them.
STATUS_LABELS: dict[domain.Status, str] = {
    domain.Status.NOT_STARTED: "Not started",
    domain.Status.IN_PROGRESS: "In progress",
    domain.Status.SUBMITTED: "Submitted",
    domain.Status.PASSED: "Passed",
    domain.Status.AWAITING_MANUAL_REVIEW: "Awaiting manual review",
    domain.Status.CERTIFIED: "Certified",
    domain.Status.FAILED: "Failed",
    domain.Status.EXPIRED: "Expired",
    domain.Status.REVOKED: "Revoked",
}

# The page's colour for each status: done, waiting on someone, or needing the agent's action.
_STATUS_TONE: dict[domain.Status, str] = {
    domain.Status.CERTIFIED: "ok",
    domain.Status.PASSED: "ok",
    domain.Status.SUBMITTED: "warn",
    domain.Status.AWAITING_MANUAL_REVIEW: "warn",
    domain.Status.FAILED: "bad",
    domain.Status.EXPIRED: "bad",
    domain.Status.REVOKED: "bad",
}


def _blocked_text(row: dict[str, Any], prerequisite_names: list[str]) -> str:
    """Why the assessment is closed, in the agent's words (the codes are the API's)."""
    reason = row["blocked_reason"]
    when = row["next_attempt_at"]
    # The page's own time format, in the viewer's zone (accounts.middleware).
    when_text = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else ""
    texts = {
        "no_training_access": "Training is not open to you yet: request support access above.",
        "attempt_in_progress": "An attempt is open, or its result is still being decided.",
        "certification_revoked": "The business revoked this certification; it must reopen it "
        "before you can take the assessment again.",
        "renewal_not_open": f"You are certified. Renewal opens on {when_text}, 30 days before "
        "the expiry.",
        "training_not_published": "The business has not published this track's training "
        "yet; the assessment opens once it has.",
        "training_incomplete": "Complete every required training module first.",
        "track_archived": "The business has retired this track; your history in it stays here.",
        "prerequisite_missing": "Certify first in: " + ", ".join(prerequisite_names) + ".",
        "retry_period_active": f"Retry period: you can take the assessment again from {when_text}.",
        "max_attempts_reached": "You have used every attempt in this cycle. Contact the business "
        "to ask for a manual review or an exception (extra attempts).",
    }
    return texts.get(reason, reason)


def _latest_attempts(actor: Actor) -> dict[uuid.UUID, Attempt]:
    """The agent's most recent attempt per track (one query), for the "continue" and "result"
    links; scoped to the actor's business and to the agent's own attempts."""
    latest: dict[uuid.UUID, Attempt] = {}
    for attempt in (
        Attempt.objects.for_actor(actor)
        .filter(agent_id=actor.user_id)
        .order_by("track_id", "-started_at")
        .only("id", "track_id", "state", "number", "started_at", "submitted_at", "outcome")
    ):
        latest.setdefault(attempt.track_id, attempt)
    return latest


def _track_cards(actor: Actor) -> list[dict[str, Any]]:
    now = clock.now()
    rows = selectors.certification_rows_for_me(actor, now)
    tracks = {t.id: t for t in selectors.path_tracks_for(actor)}
    latest = _latest_attempts(actor)
    cards = []
    for row in rows:
        status = domain.Status(row["status"])
        track = tracks[row["track_id"]]
        required = [m for m in row["modules"] if m["required"]]
        expires_at = row["expires_at"]
        certified_now = domain.is_currently_certified(status, expires_at, now)
        max_attempts = row["max_attempts"]
        cards.append(
            {
                **row,
                "track": track,
                "status_label": STATUS_LABELS[status],
                "archived": row["track_status"] == ContentStatus.ARCHIVED,
                "status_meaning": status_meaning(status, row["declined_reason"]),
                "status_tone": _STATUS_TONE.get(status, ""),
                "badge_earned": certified_now,
                "required_done": sum(m["completed"] for m in required),
                "required_total": len(required),
                "attempts_left": (
                    max(0, max_attempts - row["attempts_used"])
                    if max_attempts is not None
                    else None
                ),
                "renewal_opens_at": expires_at - domain.RENEWAL_WINDOW if expires_at else None,
                "renewal_open": certified_now and domain.renewal_open(expires_at, now),
                "blocked_text": (
                    _blocked_text(row, [p.name for p in track.prerequisites.all()])
                    if row["blocked_reason"]
                    else ""
                ),
                "latest_attempt": latest.get(row["track_id"]),
            }
        )
    return cards


@login_required
def agent(request: HttpRequest, business_id: str) -> HttpResponse:
    """``[Business] → Certification``: one card per track, the way to support access and the
    status guide."""
    actor = page_actor(request, business_id)
    actor.require(Role.AGENT)
    services.attempts_settle(business_id=actor.business_id, agent_id=actor.user_id)
    business = business_get_for(actor)
    context = {
        "business": business,
        "actor": actor,
        "training_access": has_training_access(actor, business),
        "automatic_training": training_settings(business).training_access == "automatic",
        "cards": _track_cards(actor),
        "status_guide": [(STATUS_LABELS[s], STATUS_MEANINGS[s]) for s in domain.Status],
    }
    return render(request, "certification/agent.html", context)
