"""Pure certification rules (PRODUCT.md §4, §5): no Django, plain values, ``now`` passed in.

Services may import the submodules or use the names re-exported here
(``from refairn.certification import domain; domain.next_status(...)``).
"""

from refairn.certification.domain.errors import (
    CertificationRuleViolation,
    ForbiddenTransition,
    InvalidHistory,
    InvalidTransition,
)
from refairn.certification.domain.expiry import (
    EXPIRY_REMINDER_DAYS,
    RENEWAL_WINDOW,
    Reminder,
    certification_expiry,
    expiry_due,
    expiry_from,
    is_currently_certified,
    is_expired,
    reminders_due,
    renewal_open,
    renewed_expiry,
)
from refairn.certification.domain.levels import Level, agent_level
from refairn.certification.domain.outcome import (
    Decision,
    ReviewDecision,
    decide_review,
    decide_submission,
)
from refairn.certification.domain.retry import (
    MAX_ATTEMPTS_LIMIT,
    MAX_RETRY_PERIOD_DAYS,
    BlockReason,
    RetryPolicy,
    RetryPolicyError,
    attempt_block,
    attempts_left,
    next_attempt_at,
    status_allows_attempt,
)
from refairn.certification.domain.standing import CertSnapshot, Standing, track_standing
from refairn.certification.domain.status import (
    ALLOWED_ACTORS,
    CYCLE_START_EVENTS,
    TRANSITIONS,
    ActorKind,
    Event,
    Status,
    allowed_events,
    check_actor,
    next_status,
    replay,
)

__all__ = [
    "ALLOWED_ACTORS",
    "CYCLE_START_EVENTS",
    "EXPIRY_REMINDER_DAYS",
    "MAX_ATTEMPTS_LIMIT",
    "MAX_RETRY_PERIOD_DAYS",
    "RENEWAL_WINDOW",
    "TRANSITIONS",
    "ActorKind",
    "BlockReason",
    "CertSnapshot",
    "CertificationRuleViolation",
    "Decision",
    "Event",
    "ForbiddenTransition",
    "InvalidHistory",
    "InvalidTransition",
    "Level",
    "Reminder",
    "RetryPolicy",
    "RetryPolicyError",
    "ReviewDecision",
    "Standing",
    "Status",
    "agent_level",
    "allowed_events",
    "attempt_block",
    "attempts_left",
    "certification_expiry",
    "check_actor",
    "decide_review",
    "decide_submission",
    "expiry_due",
    "expiry_from",
    "is_currently_certified",
    "is_expired",
    "next_attempt_at",
    "next_status",
    "reminders_due",
    "renewal_open",
    "renewed_expiry",
    "replay",
    "status_allows_attempt",
    "track_standing",
]
