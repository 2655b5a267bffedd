"""Certification reads, scoped to the caller's business (or, for the public profile, to one
agent). Other apps import from this package."""

from refairn.certification.selectors.certifications import (
    certification_get_or_create,
    max_attempts_for,
    retry_policy,
    support_track_ids_for,
)
from refairn.certification.selectors.path import (
    attempt_blocked_reason,
    certification_detail_for,
    certification_rows_for_me,
    certification_target_for,
    certification_view,
    currently_certified_track_ids,
    missing_prerequisites,
    next_allowed_at,
    undecided_attempt_exists,
)
from refairn.certification.selectors.support import (
    agent_levels_for,
    badges_for_agent,
    certification_summaries_for,
    support_certified,
    support_eligibility_for,
    support_eligibility_map,
    support_partner_business_ids,
)

__all__ = [
    "agent_levels_for",
    "attempt_blocked_reason",
    "badges_for_agent",
    "certification_detail_for",
    "certification_get_or_create",
    "certification_rows_for_me",
    "certification_summaries_for",
    "certification_target_for",
    "certification_view",
    "currently_certified_track_ids",
    "max_attempts_for",
    "missing_prerequisites",
    "next_allowed_at",
    "retry_policy",
    "support_certified",
    "support_eligibility_for",
    "support_eligibility_map",
    "support_partner_business_ids",
    "support_track_ids_for",
    "undecided_attempt_exists",
]
