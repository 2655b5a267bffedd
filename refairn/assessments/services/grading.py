"""Reviewer grading of an attempt's reviewer-graded questions (PRODUCT.md §4). What the final
score decides is certification's business (``certification.services.attempts``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from refairn.assessments import domain
from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.selectors import GRADERS, domain_question
from refairn.assessments.services.attempts import store_score
from refairn.assessments.services.text import clean_text
from refairn.core import clock
from refairn.core.bulk import rows_update
from refairn.core.errors import field_error
from refairn.core.tenancy import Actor


class GradeSpec(NamedTuple):
    question_id: uuid.UUID
    points: Decimal
    feedback: str = ""


def attempt_items_grade(
    *, actor: Actor, attempt: Attempt, grades: Sequence[GradeSpec]
) -> domain.ScoreResult:
    """PRODUCT.md §4: a reviewer grades reviewer-graded questions of a locked, handed-in attempt
    (in one call or several). Once none is pending the score is final and the attempt is
    ``graded``. 422 naming the grade for an unknown question, a question graded twice, or
    points out of range."""
    actor.require(*GRADERS)
    now = clock.now()
    items = {item.question_id: item for item in attempt.items.select_related("question")}
    graded: dict[uuid.UUID, AttemptQuestion] = {}
    for index, grade in enumerate(grades):
        item = items.get(grade.question_id)
        if item is None:
            raise field_error(
                f"grades.{index}.question_id",
                "is not a question of this attempt",
                code="unknown_question",
            )
        if grade.question_id in graded:
            raise field_error(f"grades.{index}.question_id", "is graded twice in this request")
        try:
            item.points_awarded = domain.apply_grade(domain_question(item.question), grade.points)
        except (domain.GradeOutOfRange, domain.NotReviewerGraded) as exc:
            raise field_error(f"grades.{index}.points", str(exc), code=exc.code) from None
        item.feedback = clean_text(grade.feedback)
        item.graded_by_id, item.graded_at = actor.user_id, now
        graded[grade.question_id] = item
    rows_update(list(graded.values()), ["points_awarded", "feedback", "graded_by", "graded_at"])
    result = store_score(attempt, items.values())
    if not result.pending_review:
        attempt.state = Attempt.State.GRADED
        attempt.graded_by_id, attempt.graded_at = actor.user_id, now
        attempt.save(update_fields=["state", "graded_by", "graded_at"])
    return result
