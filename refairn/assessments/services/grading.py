"""The review queue's writes: a reviewer grades reviewer-graded questions and, once none is
pending, the certification decision follows (PRODUCT.md §4–5)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction

from refairn.assessments import domain
from refairn.assessments.models import Attempt, AttemptQuestion
from refairn.assessments.selectors import GRADERS, domain_question
from refairn.assessments.services.attempts import apply_decision, locked, store_score
from refairn.assessments.services.text import clean_text
from refairn.certification.domain import AttemptOutcome
from refairn.certification.services import certification_record_review
from refairn.core import clock
from refairn.core.errors import Conflict, field_error
from refairn.core.tenancy import Actor


class GradeSpec(NamedTuple):
    question_id: uuid.UUID
    points: Decimal
    feedback: str = ""


@transaction.atomic
def attempt_grade(
    *, actor: Actor, attempt: Attempt, grades: Sequence[GradeSpec], decision: str | None
) -> Attempt:
    """PRODUCT.md §4–5: a reviewer grades the reviewer-graded questions (in one call or
    several); once none is pending the score is final and, for an attempt awaiting review,
    the certification decision follows (``decision`` None follows the score)."""
    actor.require(*GRADERS)
    attempt = locked(attempt)
    if attempt.state == Attempt.State.IN_PROGRESS:
        raise Conflict("The attempt has not been submitted yet.", code="attempt_not_submitted")
    awaiting = attempt.outcome == AttemptOutcome.AWAITING_MANUAL_REVIEW
    if not awaiting and (attempt.state == Attempt.State.GRADED or decision is not None):
        raise Conflict("The attempt's outcome is already decided.", code="attempt_already_decided")
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
    AttemptQuestion.objects.bulk_update(
        graded.values(), ["points_awarded", "feedback", "graded_by", "graded_at"]
    )
    result = store_score(attempt, items.values())
    if result.pending_review:
        if decision is not None:
            raise Conflict(
                "Grade every reviewer-graded question before deciding.",
                code="grading_incomplete",
            )
        return attempt
    attempt.state = Attempt.State.GRADED
    attempt.graded_by_id, attempt.graded_at = actor.user_id, now
    attempt.save(update_fields=["state", "graded_by", "graded_at"])
    if awaiting:
        apply_decision(
            attempt,
            certification_record_review(attempt=attempt, decision=decision, actor=actor),
        )
    return attempt
