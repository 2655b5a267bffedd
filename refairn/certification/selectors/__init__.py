"""Certification reads, scoped to the caller's business (or, for the public profile, to one
agent). Other apps import from this package."""

from refairn.certification.selectors.agents import (
    agent_levels_for,
    badges_for_agent,
    cert_snapshot,
    certification_summaries_for,
)
from refairn.certification.selectors.certifications import (
    certification_get_or_create,
    currently_certified,
    max_attempts_for,
    retry_policy,
)
from refairn.certification.selectors.path import (
    attempt_blocked_reason,
    attempt_view_for,
    certification_detail_for,
    certification_page_for_me,
    certification_rows_for_me,
    certification_target_for,
    certification_view,
    currently_certified_track_ids,
    missing_prerequisites,
    next_allowed_at,
    path_tracks_for,
    undecided_attempt_exists,
)

__all__ = [
    "agent_levels_for",
    "attempt_blocked_reason",
    "attempt_view_for",
    "badges_for_agent",
    "cert_snapshot",
    "certification_detail_for",
    "certification_get_or_create",
    "certification_page_for_me",
    "certification_rows_for_me",
    "certification_summaries_for",
    "certification_target_for",
    "certification_view",
    "currently_certified",
    "currently_certified_track_ids",
    "max_attempts_for",
    "missing_prerequisites",
    "next_allowed_at",
    "path_tracks_for",
    "retry_policy",
    "undecided_attempt_exists",
]
