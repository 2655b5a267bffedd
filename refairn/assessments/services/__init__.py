"""Writes for the question bank and the exam engine: attempts and their grading (PRODUCT.md §4).

The rules are the pure ``assessments.domain`` and ``assessments.gift``. Certification drives
attempts: it decides whether one may start and what its result does, and calls these functions
inside its own transaction. Other apps import from this package.
"""

from refairn.assessments.services.adaptive import (
    AdaptiveAnswer,
    adaptive_attempt_answer,
    adaptive_attempt_close,
    adaptive_attempt_open,
    adaptive_current,
)
from refairn.assessments.services.attempts import (
    attempt_answer,
    attempt_close,
    attempt_closed,
    attempt_in_progress,
    attempt_locked,
    attempt_open,
    attempt_outcome_record,
)
from refairn.assessments.services.bank import (
    ChoiceSpec,
    new_choice_ids,
    question_create,
    question_retire,
    question_revise,
    questions_import,
)
from refairn.assessments.services.grading import GradeSpec, attempt_items_grade

__all__ = [
    "AdaptiveAnswer",
    "ChoiceSpec",
    "GradeSpec",
    "adaptive_attempt_answer",
    "adaptive_attempt_close",
    "adaptive_attempt_open",
    "adaptive_current",
    "attempt_answer",
    "attempt_close",
    "attempt_closed",
    "attempt_in_progress",
    "attempt_items_grade",
    "attempt_locked",
    "attempt_open",
    "attempt_outcome_record",
    "new_choice_ids",
    "question_create",
    "question_retire",
    "question_revise",
    "questions_import",
]
