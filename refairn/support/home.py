"""The program home's panels for agents and customers (issue 12 item 4): an agent's path (next
step, progress, dates ahead, certifications with their expiry) and support workload; a
customer's tickets and the badges and quality tier of the agent who supports them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refairn.certification.domain.expiry import is_currently_certified
from refairn.certification.domain.next_step import PathTrack, deadlines, next_step
from refairn.certification.domain.status import Status
from refairn.certification.selectors import certification_rows_for_me
from refairn.certification.views import STATUS_LABELS
from refairn.core import clock
from refairn.core.errors import NotFound
from refairn.core.tenancy import Actor, Role
from refairn.programs.home_panels import HomePanel
from refairn.support.selectors import (
    agent_profile,
    customer_tickets_for,
    customers_of,
    open_assignment,
    workload_for,
)
from refairn.training.domain import ContentStatus

CUSTOMER_TICKETS_SHOWN = 5


def _path_track(row: Mapping[str, Any]) -> PathTrack:
    required = [m for m in row["modules"] if m["required"]]
    return PathTrack(
        track_id=str(row["track_id"]),
        name=row["track_name"],
        requirement=row["requirement"],
        status=Status(row["status"]),
        required_done=sum(1 for m in required if m["completed"]),
        required_total=len(required),
        next_module=next((m["title"] for m in required if not m["completed"]), None),
        assessment_available=row["assessment_available"],
        blocked_reason=row["blocked_reason"],
        next_attempt_at=row["next_attempt_at"],
        expires_at=row["expires_at"],
    )


def _agent_context(actor: Actor) -> Mapping[str, Any]:
    now = clock.now()
    # The path is what lies ahead: a retired track's history is on the certification page.
    tracks = [
        _path_track(row)
        for row in certification_rows_for_me(actor, now)
        if row["track_status"] != ContentStatus.ARCHIVED
    ]
    certified = [t for t in tracks if is_currently_certified(t.status, t.expires_at, now)]
    required = [t for t in tracks if t.requirement == "required"]
    return {
        "step": next_step(tracks, now),
        "tracks": [(t, STATUS_LABELS[t.status]) for t in tracks],
        "certified": certified,
        "required_total": len(required),
        "required_certified": sum(1 for t in required if t in certified),
        "deadlines": deadlines(tracks, now),
        "workload": workload_for(actor),
    }


def _customer_context(actor: Actor) -> Mapping[str, Any]:
    agents = []
    for customer in customers_of(actor):
        assignment = open_assignment(customer)
        if assignment is None:
            continue
        try:
            profile = agent_profile(assignment.agent_id)
        except NotFound:  # no longer an approved agent anywhere: no public profile to show
            continue
        badges = [b for b in profile["badges"] if b["business_id"] == actor.business_id]
        agents.append({"customer": customer, "profile": profile, "badges": badges})
    tickets = customer_tickets_for(actor)
    return {
        "agents": agents,
        "tickets": tickets[:CUSTOMER_TICKETS_SHOWN],
        "more_tickets": len(tickets) > CUSTOMER_TICKETS_SHOWN,
    }


AGENT_PANEL = HomePanel(
    name="agent_path",
    order=10,
    template="support/_home_agent.html",
    shows=lambda actor: actor.has(Role.AGENT),
    context=_agent_context,
)

CUSTOMER_PANEL = HomePanel(
    name="customer_tickets",
    order=20,
    template="support/_home_customer.html",
    shows=lambda actor: actor.has(Role.CUSTOMER),
    context=_customer_context,
)
