"""Certification writes (PRODUCT.md §4–§5): the only way a certification's status changes,
driving assessment attempts, the business's decisions, and the periodic expiry jobs.

Every status change goes through ``certification_transition``: the pure table in
``certification.domain.status`` decides whether it is legal and who may trigger it, and an
event row records from, to, when, who and why. Other apps import from this package.
"""

from refairn.certification.services.attempts import (
    attempt_grade,
    attempt_settle,
    attempt_start,
    attempt_submit,
    attempt_submit_overdue,
    attempts_settle,
    attempts_submit_overdue,
)
from refairn.certification.services.decisions import (
    certification_approve,
    certification_decline,
    certification_grant_attempts,
    certification_reopen,
    certification_revoke,
)
from refairn.certification.services.expiry import (
    certifications_expire_due,
    expiry_reminders_send,
)
from refairn.certification.services.results import (
    certification_begin_attempt,
    certification_record_review,
    certification_record_submission,
)
from refairn.certification.services.transitions import (
    certification_start_training,
    certification_transition,
)

__all__ = [
    "attempt_grade",
    "attempt_settle",
    "attempt_start",
    "attempt_submit",
    "attempt_submit_overdue",
    "attempts_settle",
    "attempts_submit_overdue",
    "certification_approve",
    "certification_begin_attempt",
    "certification_decline",
    "certification_grant_attempts",
    "certification_record_review",
    "certification_record_submission",
    "certification_reopen",
    "certification_revoke",
    "certification_start_training",
    "certification_transition",
    "certifications_expire_due",
    "expiry_reminders_send",
]
