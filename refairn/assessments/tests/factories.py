"""Builders for the assessment tests (plain functions; the fixtures are in conftest)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from refairn.assessments.domain import Choice
from refairn.assessments.models import Question
from refairn.assessments.selectors import domain_question, shown_question
from refairn.programs.models import Business
from refairn.training.models import Track


def set_program(business: Business, **settings: Any) -> None:
    business.settings = {**business.settings, **settings}
    business.save(update_fields=["settings"])


def make_track(business: Business, **fields: Any) -> Track:
    defaults: dict[str, Any] = {
        "name": "Product Fundamentals",
        "requirement": "required",
        "passing_score": Decimal(85),
        "recertification_months": 12,
        "badge_name": "Product Fundamentals",
        "question_count": 4,
        "time_limit_minutes": 30,
    }
    return Track.objects.create(business=business, **{**defaults, **fields})


def mc(track: Track, prompt: str, *, right: str = "a", critical: bool = False) -> Question:
    """A multiple choice question whose correct choice is ``right`` (of a, b, c)."""
    return Question.objects.create(
        business_id=track.business_id,
        track=track,
        type="multiple_choice",
        prompt=prompt,
        choices=[
            {
                "id": cid,
                "text": f"{prompt} option {cid}",
                "correct": cid == right,
                "feedback": f"feedback {cid}",
            }
            for cid in "abc"
        ],
        critical=critical,
    )


def essay(track: Track, prompt: str, *, type: str = "scenario", points: int = 2) -> Question:
    return Question.objects.create(
        business_id=track.business_id,
        track=track,
        type=type,
        prompt=prompt,
        points=points,
        rubric="keywords: escalate, billing team\nSECRET-RUBRIC",
    )


def shown_choices(question_id: str, attempt_id: str) -> tuple[Choice, ...]:
    """The question's choices (authored order) under the ids ``attempt_id`` shows."""
    question = domain_question(Question.objects.get(pk=question_id))
    return shown_question(uuid.UUID(str(attempt_id)), question).choices


def right_choice(question_id: str, attempt_id: str) -> list[str]:
    return [c.id for c in shown_choices(question_id, attempt_id) if c.correct]


def wrong_choice(question_id: str, attempt_id: str) -> list[str]:
    return [next(c.id for c in shown_choices(question_id, attempt_id) if not c.correct)]


def answer_all(client: Any, attempt: Any, *, wrong: Collection[str] = ()) -> None:
    for question in attempt["questions"]:
        qid = question["id"]
        if question["type"] == "multiple_choice":
            pick = wrong_choice if qid in wrong else right_choice
            choice = pick(qid, attempt["id"])
            body: dict[str, Any] = {"choice_ids": choice}
        else:
            body = {"text": "I would escalate it to the billing team at once."}
        response = client.put(f"/attempts/{attempt['id']}/answers/{qid}", body)
        assert response.status_code == 200, response.body


def submit(client: Any, attempt: Any) -> Any:
    return client.post(f"/attempts/{attempt['id']}/submit")
