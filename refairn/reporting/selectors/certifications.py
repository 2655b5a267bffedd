"""The certification rows of the reports (PRODUCT.md §8): tracks, active agents, and each
agent's certification in each track at ``as_of``. Four queries, whatever the number of agents,
tracks or events."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Case, F, Max, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber

from refairn.certification.domain.status import Event, Status
from refairn.certification.models import CertificationEvent
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent, Business
from refairn.reporting.domain.history import REPLAYED_EVENTS, RecordedEvent, replay_cycle
from refairn.reporting.domain.inputs import AgentRow, CertState, TrackRow
from refairn.reporting.selectors.instants import UtcText, instant, optional_instant
from refairn.reporting.settings_section import report_settings
from refairn.training.domain import ContentStatus, Requirement
from refairn.training.models import Track


def track_rows(business: Business) -> list[TrackRow]:
    """The business's tracks in display order, with its completion targets (settings
    ``report.targets``). One query."""
    targets = report_settings(business).report.targets
    # A draft or archived track never counts (issue 12 item 5).
    rows = Track.objects.filter(business=business, status=ContentStatus.PUBLISHED).order_by(
        "position", "created_at", "id"
    )
    return [
        TrackRow(
            track_id=str(track_id),
            name=name,
            requirement=Requirement(requirement),
            security_critical=security_critical,
            target_percent=targets.get(track_id),
            min_level=min_level,
        )
        for track_id, name, requirement, security_critical, min_level in rows.values_list(
            "id", "name", "requirement", "security_critical", "min_level"
        )
    ]


def _active_agents(
    business: Business, as_of: datetime
) -> list[tuple[uuid.UUID, str, datetime, str]]:
    """Agents approved by ``as_of`` (PRODUCT.md §1: an approved agent is active in the program;
    failing or losing support access never removes them). Joined = approved."""
    rows = (
        Agent.objects.filter(business=business, status=AgentStatus.APPROVED)
        .annotate(joined_at=Coalesce("decided_at", "applied_at"))
        .filter(joined_at__lte=as_of)
        .order_by("user_id")
        .values_list("user_id", "user__name", UtcText("joined_at"), "support_level")
    )
    return [(agent_id, name, instant(joined), level) for agent_id, name, joined, level in rows]


def _statuses_at(business: Business, as_of: datetime) -> list[tuple[Any, ...]]:
    """Every certification with an event by ``as_of``: its agent, track, the status its latest
    event by then led to, the stored expiry and certification time (``UtcText``, parsed by
    the caller when used), and whether anything happened after ``as_of`` (then the stored
    expiry is not the one that stood).

    One pass over the business's events, ranked per certification (a correlated subquery per
    certification and figure is what made this slow, issue 17): the latest event by ``as_of``
    ranks first, and the latest event of all tells whether anything came after ``as_of``."""
    # Flags rather than times: parsing two timestamps per certification cost more than the SQL.
    later = Case(When(at__gt=as_of, then=Value(1)), default=Value(0))
    per_certification = [F("certification_id")]
    ranked = (
        CertificationEvent.objects.filter(business=business)
        .annotate(
            later=later,
            rank=Window(
                RowNumber(),
                partition_by=per_certification,
                order_by=[later.asc(), F("at").desc(), F("id").desc()],
            ),
            any_later=Window(Max(later), partition_by=per_certification),
        )
        .filter(rank=1)
        .order_by()
        .values_list(
            "certification_id",
            "certification__agent_id",
            "certification__track_id",
            "to_status",
            UtcText("certification__expires_at"),
            UtcText("certification__certified_at"),
            "later",
            "any_later",
        )
    )
    return [(*row, bool(any_later)) for *row, later, any_later in ranked if not later]


def _replayed_events(business: Business, as_of: datetime) -> dict[int, list[RecordedEvent]]:
    """Each certification's events that set or clear an expiry, up to ``as_of``, in order."""
    rows = (
        CertificationEvent.objects.filter(
            business=business, at__lte=as_of, event__in=[e.value for e in REPLAYED_EVENTS]
        )
        .order_by("certification_id", "at", "id")
        .values_list(
            "certification_id",
            "event",
            UtcText("at"),
            "certification__track__recertification_months",
        )
    )
    by_certification: dict[int, list[RecordedEvent]] = defaultdict(list)
    for certification_id, event, at, months in rows:
        recorded = RecordedEvent(Event(event), instant(at), months)
        by_certification[certification_id].append(recorded)
    return by_certification


def agent_rows(
    business: Business, *, as_of: datetime, tracks: Sequence[TrackRow]
) -> list[AgentRow]:
    """PRODUCT.md §8: the active agents at ``as_of`` with their certification in each track as
    it stood then (``reporting.domain.history`` explains the replay). Three queries."""
    agents = _active_agents(business, as_of)
    active = {agent_id for agent_id, _, _, _ in agents}
    known_tracks = {track.track_id for track in tracks}
    replayed = _replayed_events(business, as_of)
    states: dict[uuid.UUID, dict[str, CertState]] = defaultdict(dict)
    first_certified: dict[uuid.UUID, datetime] = {}
    for row in _statuses_at(business, as_of):
        pk, agent_id, track_id, status, stored_expiry, certified_at, changed_later = row
        if agent_id not in active or str(track_id) not in known_tracks:
            continue
        cycle = replay_cycle(replayed.get(pk, ()))
        earned_at = cycle.earned_at
        if status == Status.CERTIFIED and earned_at is None:
            # Certified without a recorded approval (rows written outside the services).
            earned_at = optional_instant(certified_at) or as_of
        states[agent_id][str(track_id)] = CertState(
            status=Status(status),
            expires_at=cycle.expires_at if changed_later else optional_instant(stored_expiry),
            earned_at=earned_at,
            last_renewal=cycle.last_renewal,
        )
        first = cycle.first_certified_at
        if first is not None:
            first_certified[agent_id] = min(first_certified.get(agent_id, first), first)
    return [
        AgentRow(
            agent_id=str(agent_id),
            name=name,
            joined_at=joined_at,
            certifications=states.get(agent_id, {}),
            first_certified_at=first_certified.get(agent_id),
            support_level=support_level,
        )
        for agent_id, name, joined_at, support_level in agents
    ]
