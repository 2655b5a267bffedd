"""Errors raised by the assessment domain.

Each carries a stable ``code`` (an API error code) so the service layer can map it to
problem+json without parsing messages; this package cannot import ``refairn.core.errors``
because that module depends on Django.
"""

from __future__ import annotations

from decimal import Decimal


class AssessmentError(Exception):
    code = "assessment_error"


class BankTooSmall(AssessmentError):
    """The track's bank has fewer questions than the assessment draws: the attempt can't start."""

    code = "question_bank_too_small"

    def __init__(self, available: int, requested: int, question_type: str | None = None) -> None:
        self.available = available
        self.requested = requested
        self.question_type = question_type
        kind = f"{question_type} questions" if question_type else "questions"
        super().__init__(
            f"The question bank has {available} {kind}; the assessment needs {requested}."
        )


class GradeOutOfRange(AssessmentError):
    """A reviewer's grade outside 0..maximum, or finer than a hundredth of a point."""

    code = "grade_out_of_range"

    def __init__(self, given: Decimal, maximum: Decimal) -> None:
        self.given = given
        self.maximum = maximum
        super().__init__(
            f"Grade {given} is not between 0 and {maximum} with at most two decimal places."
        )


class NotReviewerGraded(AssessmentError):
    """A reviewer grade for a question the platform grades itself (multiple choice)."""

    code = "not_reviewer_graded"

    def __init__(self, question_id: str) -> None:
        self.question_id = question_id
        super().__init__(f"Question {question_id} is graded automatically, not by a reviewer.")


class InvalidAnswer(AssessmentError):
    """An answer that does not fit its question (unknown choice ids, text for a choice)."""

    code = "invalid_answer"

    def __init__(self, question_id: str, detail: str) -> None:
        self.question_id = question_id
        super().__init__(f"Question {question_id}: {detail}")


class ScorePending(AssessmentError):
    """Pass or fail asked of a score that still has reviewer-graded questions ungraded."""

    code = "score_pending"

    def __init__(self) -> None:
        super().__init__("The score is not final: some questions await a reviewer's grade.")
