"""Writes for certification tracks (PRODUCT.md §3)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from refairn.core import events
from refairn.core.errors import Conflict, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.selectors import business_get_for
from refairn.training.domain import (
    ContentStatus,
    Format,
    TrainingRuleViolation,
    composition_problem,
    creates_cycle,
    move_in_order,
    next_status,
)
from refairn.training.events import CompositionSet
from refairn.training.models import Module, Track
from refairn.training.selectors.tracks import (
    TRACK_ORDER,
    next_track_position,
    prerequisite_edges,
    track_name_taken,
    tracks_by_id,
)
from refairn.training.standard_tracks import TEMPLATES

# Track fields a PATCH may set to null; ``min_level`` is stored as "" for none.
_NULLABLE = frozenset({"min_level", "estimated_days"})
_API_FIELD = {
    "badge_name": "badge.name",
    "badge_icon": "badge.icon",
    "assessment_mode": "assessment.mode",
    "question_count": "assessment.question_count",
    "time_limit_minutes": "assessment.time_limit_minutes",
    "composition": "assessment.composition",
}


def _name_free(actor: Actor, name: str, *, track: Track | None = None) -> str:
    name = name.strip()
    if not name:
        raise field_error("name", "must not be blank")
    if track_name_taken(actor, name, other_than=track):
        raise Conflict(f"A track named {name!r} already exists.", code="track_name_taken")
    return name


def _prerequisites(actor: Actor, ids: Iterable[uuid.UUID], *, track: Track | None) -> list[Track]:
    """Prerequisites must be tracks of the same business and must not form a cycle."""
    wanted = list(dict.fromkeys(ids))
    found = tracks_by_id(actor, wanted)
    unknown = [str(key) for key in wanted if key not in found]
    if unknown:
        raise field_error("prerequisite_ids", f"not tracks of this business: {', '.join(unknown)}")
    if track is not None and creates_cycle(track.id, found, prerequisite_edges(actor.business_id)):
        raise field_error(
            "prerequisite_ids",
            f"{track.name} would end up as its own prerequisite",
            code="prerequisite_cycle",
        )
    return [found[key] for key in wanted]


def _check_composition(track: Track) -> None:
    """Issue 11 item 5: the mix fits the question count, and (the exam engine's reaction to
    ``CompositionSet``) the bank holds enough of each type; 422 otherwise."""
    pairs = tuple((str(c["type"]), int(c["count"])) for c in track.composition)
    problem = composition_problem(pairs, track.question_count)
    if problem:
        raise field_error("assessment.composition", problem, code="invalid_composition")
    if pairs:
        events.publish(CompositionSet(track.business_id, track.id, pairs))


def _create_track(
    business_id: uuid.UUID, values: dict[str, Any], prerequisites: list[Track]
) -> Track:
    try:
        with transaction.atomic():
            track = Track.objects.create(business_id=business_id, **values)
    except IntegrityError:  # the same name, created at the same moment
        raise Conflict(
            f"A track named {values['name']!r} already exists.", code="track_name_taken"
        ) from None
    _check_composition(track)
    track.prerequisites.set(prerequisites)
    return track


@transaction.atomic
def track_create(*, actor: Actor, fields: Mapping[str, Any]) -> Track:
    """PRODUCT.md §3: a track with its requirement, minimum level, prerequisites (same
    business), passing score, recertification interval, security-critical flag, badge and
    assessment settings. ``fields`` uses ``Track`` field names plus ``prerequisite_ids``."""
    actor.require(*ADMIN_ROLES)
    values = dict(fields)
    prerequisites = _prerequisites(actor, values.pop("prerequisite_ids", []), track=None)
    values["name"] = _name_free(actor, values["name"])
    values["min_level"] = values.get("min_level") or ""
    if values.get("position") is None:
        values["position"] = next_track_position(actor.business_id)
    return _create_track(actor.business_id, values, prerequisites)


@transaction.atomic
def track_update(*, actor: Actor, track: Track, changes: Mapping[str, Any]) -> Track:
    """PRODUCT.md §3: change a track; the same rules as creating one, and no prerequisite
    cycle. Only the fields in ``changes`` change; nothing is written unless all are valid."""
    actor.require(*ADMIN_ROLES)
    track = Track.objects.select_for_update().get(pk=track.pk)
    values = dict(changes)
    for key, value in values.items():
        if value is None and key not in _NULLABLE:
            raise field_error(_API_FIELD.get(key, key), "must not be null")
    prerequisites = None
    if "prerequisite_ids" in values:
        prerequisites = _prerequisites(actor, values.pop("prerequisite_ids"), track=track)
    if "name" in values:
        values["name"] = _name_free(actor, values["name"], track=track)
    if "min_level" in values:
        values["min_level"] = values["min_level"] or ""
    for key, value in values.items():
        setattr(track, key, value)
    if {"composition", "question_count"} & values.keys():
        _check_composition(track)
    if values:
        try:
            with transaction.atomic():
                track.save(update_fields=list(values))
        except IntegrityError:
            raise Conflict(
                f"A track named {track.name!r} already exists.", code="track_name_taken"
            ) from None
    if prerequisites is not None:
        track.prerequisites.set(prerequisites)
    return track


@transaction.atomic
def tracks_from_template(*, actor: Actor, template: str, with_modules: bool = True) -> list[Track]:
    """PRODUCT.md §3: create a built-in template's tracks in one step (``support-standard``:
    the third seed's six). All or nothing: if any of the template's track names is already
    taken (applied before, or a track of that name), 409 ``template_already_applied`` and
    nothing is created. Issue 11 item 6: the tracks and the seed's modules (title, estimated
    hours) are drafts for the business to fill in and publish; ``with_modules=False`` leaves
    the modules out for a caller that brings its own content."""
    actor.require(*ADMIN_ROLES)
    entries = TEMPLATES.get(template)
    if entries is None:
        raise field_error(
            "template", f"unknown template; one of: {', '.join(TEMPLATES)}", code="unknown_template"
        )
    # Two applications at the same moment queue on the business row; the second sees the first.
    business_get_for(actor, lock=True)
    clashes = [e.name for e in entries if track_name_taken(actor, e.name)]
    if clashes:
        raise Conflict(
            f"This business already has: {', '.join(clashes)}.", code="template_already_applied"
        )
    start = next_track_position(actor.business_id)
    created: dict[str, Track] = {}
    for offset, entry in enumerate(entries):
        created[entry.key] = _create_track(
            actor.business_id,
            {
                "name": entry.name,
                "description": entry.description,
                "requirement": entry.requirement,
                "min_level": entry.min_level,
                "estimated_days": entry.estimated_days,
                "passing_score": entry.passing_score,
                "recertification_months": entry.recertification_months,
                "security_critical": entry.security_critical,
                "badge_name": entry.badge_name,
                "badge_icon": entry.badge_icon,
                "question_count": entry.question_count,
                "time_limit_minutes": entry.time_limit_minutes,
                "position": start + offset,
                "status": ContentStatus.DRAFT,
            },
            [created[key] for key in entry.prerequisite_keys],
        )
        if with_modules:
            Module.objects.bulk_create(
                Module(
                    business_id=actor.business_id,
                    track=created[entry.key],
                    title=title,
                    format=Format.PDF,
                    position=position,
                    estimated_hours=Decimal(hours),
                    status=ContentStatus.DRAFT,
                )
                for position, (title, hours) in enumerate(entry.modules)
            )
    return list(created.values())


@transaction.atomic
def track_transition(*, actor: Actor, track: Track, action: str) -> Track:
    """Issue 12 item 5: publish or archive a track (``domain.lifecycle``); an illegal move is
    409 ``invalid_transition``. Agents, the public program page and the dashboard see only
    published tracks."""
    actor.require(*ADMIN_ROLES)
    track = Track.objects.select_for_update().get(pk=track.pk)
    try:
        track.status = next_status(track.status, action)
    except TrainingRuleViolation as exc:
        raise Conflict(exc.detail, code=exc.code) from None
    track.save(update_fields=["status"])
    return track


@transaction.atomic
def track_move(*, actor: Actor, track: Track, step: int) -> None:
    """Issue 12 item 5: move a track one place up (-1) or down (+1) in the business's order;
    positions are renumbered from 0 so that ties left by older data do not block the move."""
    actor.require(*ADMIN_ROLES)
    business_get_for(actor, lock=True)
    ids = list(
        Track.objects.filter(business_id=actor.business_id)
        .order_by(*TRACK_ORDER)
        .values_list("id", flat=True)
    )
    for position, key in enumerate(move_in_order(ids, track.id, step)):
        Track.objects.filter(pk=key).update(position=position)
