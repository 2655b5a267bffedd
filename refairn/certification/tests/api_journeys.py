"""Reach a certification through the public API only, choosing answers by their text (choice
ids carry no information, issue 18 item 1)."""

from __future__ import annotations

from typing import Any

from refairn.assessments.models import Question
from refairn.programs.models import Business
from tests.support import ApiClient


def track_with_questions(owner: ApiClient, business: Business) -> str:
    created = owner.post(
        f"/businesses/{business.id}/tracks",
        {
            "name": "Billing Basics",
            "requirement": "required",
            "passing_score": 80,
            "recertification_months": 6,
            "badge": {"name": "Billing Pro", "icon": "💳"},
            "assessment": {"mode": "fixed", "question_count": 2, "time_limit_minutes": 20},
        },
    )
    assert created.status_code == 201, created.content
    for n in range(2):
        Question.objects.create(
            business_id=business.id,
            track_id=created.body["id"],
            type="multiple_choice",
            prompt=f"Question {n}",
            choices=[
                {"id": "a", "text": "Right", "correct": True},
                {"id": "b", "text": "Wrong", "correct": False},
            ],
        )
    return str(created.body["id"])


def pass_assessment(agent: ApiClient, track_id: str) -> Any:
    started = agent.post(f"/tracks/{track_id}/attempts")
    assert started.status_code == 201, started.content
    for item in started.body["questions"]:
        right = next(c["id"] for c in item["choices"] if c["text"] == "Right")
        answered = agent.put(
            f"/attempts/{started.body['id']}/answers/{item['id']}", {"choice_ids": [right]}
        )
        assert answered.status_code == 200, answered.content
    submitted = agent.post(f"/attempts/{started.body['id']}/submit")
    assert submitted.status_code == 200, submitted.content
    return submitted.body
