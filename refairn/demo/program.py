"""The demo program itself: Acme Analytics, its staff, the six ``support-standard`` tracks with
their training modules (PDFs rendered and uploaded) and GIFT question banks, and its settings.
Its routing rules come later in its history, when Acme switched on certification-based routing
(``support``).

Everything goes through the services a business owner would use in the product; each piece is
found by its natural key first (business slug, staff role, track names), so loading twice
creates nothing new.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from refairn.accounts.models import User
from refairn.assessments.services import questions_import
from refairn.core import clock
from refairn.core.tenancy import Actor
from refairn.demo.cast import BUSINESS_NAME, BUSINESS_SLUG, STAFF, demo_user, email_of
from refairn.demo.pdf import render_pdf
from refairn.programs.models import Business, StaffMembership
from refairn.programs.selectors import actor_for
from refairn.programs.services import business_create, settings_update, staff_add
from refairn.training.models import Module, Track
from refairn.training.services import (
    module_create,
    module_file_upload,
    track_transition,
    tracks_from_template,
)
from refairn.training.standard_tracks import SUPPORT_STANDARD

CONTENT = Path(__file__).parent / "content"
# Each template track's content files (``<stem>.gift`` and ``<stem>.modules.json``).
CONTENT_STEMS = {
    "fundamentals": "product-fundamentals",
    "advanced": "advanced-troubleshooting",
    "billing": "billing-accounts",
    "security": "security-compliance",
    "customer_success": "customer-success",
    "de_escalation": "de-escalation",
}
# The third seed's report targets (percent of agents certified per track).
REPORT_TARGETS = {
    "fundamentals": 100,
    "security": 100,
    "advanced": 80,
    "billing": 50,
    "customer_success": 20,
    "de_escalation": 70,
}
# The tracks every agent must hold to support customers: the two the seed requires of all
# agents (Advanced Troubleshooting is required from level L2 only).
SUPPORT_TRACKS = ("fundamentals", "security")
# The module fields a modules.json entry may carry, as ``module_create`` takes them.
_MODULE_FIELDS = (
    "description",
    "duration_seconds",
    "sections",
    "script",
    "practice_runs_required",
    "items",
)

BUSINESS_AGE = timedelta(days=400)
TRACKS_AGE = timedelta(days=390)


@dataclass(frozen=True)
class Program:
    business: Business
    owner: User
    staff: dict[str, User]  # role -> user
    tracks: dict[str, Track]  # template key -> track

    def actor(self, role: str) -> Actor:
        return actor_for(self.staff[role], self.business.id)


def _business(now: datetime) -> tuple[Business, User]:
    local, name, _ = STAFF[0]
    owner = demo_user(email_of(local), name)
    business = Business.objects.filter(slug=BUSINESS_SLUG).first()
    if business is None:
        with clock.frozen(now - BUSINESS_AGE):
            business = business_create(user=owner, name=BUSINESS_NAME, slug=BUSINESS_SLUG)
    return business, owner


def _staff(business: Business, owner: User, now: datetime) -> dict[str, User]:
    owner_actor = actor_for(owner, business.id)
    staff = {}
    for local, name, role in STAFF:
        user = demo_user(email_of(local), name)
        if not StaffMembership.objects.filter(business=business, user=user, role=role).exists():
            with clock.frozen(now - BUSINESS_AGE + timedelta(days=2)):
                staff_add(actor=owner_actor, email=user.email, role=role)
        staff[role] = user
    return staff


def _modules(actor: Actor, track: Track, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        module = module_create(
            actor=actor,
            track=track,
            title=entry["title"],
            format=entry["format"],
            required=entry["required"],
            estimated_hours=Decimal(str(entry["estimated_hours"])),
            **{key: entry[key] for key in _MODULE_FIELDS if key in entry},
        )
        if entry["format"] == "pdf":
            pdf = render_pdf(entry["pdf_title"], entry["pdf_body"])
            module_file_upload(actor=actor, module=module, body=io.BytesIO(pdf))


def _settings_patch(tracks: dict[str, Track]) -> dict[str, Any]:
    """The program as the seed's dashboard shows it, on top of the defaults of PRODUCT.md §2."""
    return {
        "max_attempts": 3,
        "sla": {
            "tiers": {
                "premium": {"first_response_hours": 4, "resolution_hours": 24},
                "enterprise": {"first_response_hours": 2, "resolution_hours": 16},
                "strategic": {"first_response_hours": 1, "resolution_hours": 8},
            }
        },
        "support_terms": {"monthly_percent": "5"},
        "support_track_ids": [str(tracks[key].id) for key in SUPPORT_TRACKS],
        "report": {
            "annual_cost": "12000.00",
            "revenue_impact": "89000.00",
            "targets": {str(tracks[key].id): value for key, value in REPORT_TARGETS.items()},
        },
    }


def _tracks(business: Business, owner: User, now: datetime) -> dict[str, Track]:
    """The template's six tracks with their content; skipped as a whole once they exist."""
    keys = {entry.name: entry.key for entry in SUPPORT_STANDARD}
    existing = {keys[t.name]: t for t in Track.objects.filter(business=business) if t.name in keys}
    if existing:
        return existing
    actor = actor_for(owner, business.id)
    with clock.frozen(now - TRACKS_AGE):
        tracks = dict(
            zip(
                (entry.key for entry in SUPPORT_STANDARD),
                tracks_from_template(actor=actor, template="support-standard", with_modules=False),
                strict=True,
            )
        )
        for key, track in tracks.items():
            stem = CONTENT_STEMS[key]
            _modules(actor, track, json.loads((CONTENT / f"{stem}.modules.json").read_text()))
            questions_import(actor=actor, track=track, body=(CONTENT / f"{stem}.gift").read_bytes())
            track_transition(actor=actor, track=track, action="publish")
        settings_update(actor=actor, patch=_settings_patch(tracks))
    return tracks


def program_ensure(now: datetime) -> Program:
    """Acme Analytics with its staff, tracks, training content and settings (idempotent)."""
    business, owner = _business(now)
    staff = _staff(business, owner, now)
    tracks = _tracks(business, owner, now)
    business.refresh_from_db(fields=["settings"])
    return Program(business=business, owner=owner, staff=staff, tracks=tracks)


def modules_of(program: Program) -> dict[uuid.UUID, list[Module]]:
    """Each track's modules in order (by track id), with what completing them needs (text
    sections, FAQ items) loaded."""
    by_track: dict[uuid.UUID, list[Module]] = {track.id: [] for track in program.tracks.values()}
    modules = (
        Module.objects.filter(track__in=program.tracks.values())
        .select_related("track", "business")
        .prefetch_related("sections", "faq_items")
        .order_by("position", "created_at")
    )
    for module in modules:
        by_track[module.track_id].append(module)
    return by_track
