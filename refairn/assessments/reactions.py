"""How the exam engine reacts to what training announces (``refairn.core.events``)."""

from __future__ import annotations

from django.db.models import Count

from refairn.assessments.domain import QuestionType
from refairn.assessments.models import Question
from refairn.core.errors import field_error
from refairn.training.events import CompositionSet

_FIELD = "assessment.composition"


def on_composition_set(event: CompositionSet) -> None:
    """Issue 11 item 5: a track's mix of question types is refused (422, naming the type)
    unless its active bank holds enough questions of each type for every attempt."""
    known = {t.value for t in QuestionType}
    available = dict(
        Question.objects.filter(track_id=event.track_id, active=True)
        .values("type")
        .annotate(n=Count("id"))
        .values_list("type", "n")
    )
    for question_type, count in event.composition:
        if question_type not in known:
            raise field_error(
                _FIELD,
                f"{question_type!r} is not a question type; one of: {', '.join(sorted(known))}",
                code="invalid_composition",
            )
        held = available.get(question_type, 0)
        if held < count:
            raise field_error(
                _FIELD,
                f"the bank holds {held} active {question_type} question{'s' * (held != 1)}; "
                f"the mix draws {count}",
                code="question_bank_too_small",
            )
