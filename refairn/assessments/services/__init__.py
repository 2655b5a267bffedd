"""Writes for the question bank, assessment attempts and their grading (PRODUCT.md §4).

The rules are the pure ``assessments.domain`` and ``assessments.gift``; certification status
moves only through ``certification.services``, which these functions call with the locked rows.
Other apps import from this package.
"""

from refairn.assessments.services.attempts import (
    attempt_answer,
    attempt_start,
    attempt_submit,
    attempt_submit_overdue,
    attempts_submit_overdue,
)
from refairn.assessments.services.bank import (
    ChoiceSpec,
    new_choice_ids,
    question_create,
    question_retire,
    questions_import,
)
from refairn.assessments.services.grading import GradeSpec, attempt_grade

__all__ = [
    "ChoiceSpec",
    "GradeSpec",
    "attempt_answer",
    "attempt_grade",
    "attempt_start",
    "attempt_submit",
    "attempt_submit_overdue",
    "attempts_submit_overdue",
    "new_choice_ids",
    "question_create",
    "question_retire",
    "questions_import",
]
