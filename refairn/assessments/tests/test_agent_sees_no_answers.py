"""PRODUCT.md §4: the assessment never sends correct answers or rubrics to the agent — checked
on every response the agent gets along the whole path, final results included."""

from collections.abc import Iterator
from typing import Any

import pytest

from refairn.assessments.tests.factories import answer_all, essay, mc, set_program, submit

pytestmark = pytest.mark.django_db


def keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)


@pytest.mark.parametrize("manual_review", [False, True])
def test_no_agent_response_carries_correct_flags_or_rubrics(
    as_bob: Any, as_diana: Any, business_a: Any, track: Any, start: Any, manual_review: bool
) -> None:
    set_program(business_a, manual_review=manual_review)
    for n in range(3):
        mc(track, f"Question {n}", critical=n == 0)
    scenario = essay(track, "A customer disputes a charge.")
    short = track.questions.create(
        business_id=track.business_id,
        type="short_answer",
        prompt="Who handles refunds?",
        choices=[{"id": "a", "text": "SECRET-ACCEPTED", "correct": True, "feedback": ""}],
        rubric="SECRET-RUBRIC",
    )
    track.question_count = 5
    track.save(update_fields=["question_count"])

    attempt = start()
    seen = [attempt]
    answer_all(as_bob, attempt)
    seen.append(as_bob.get(f"/attempts/{attempt['id']}").body)
    seen.append(submit(as_bob, attempt).body)
    seen.append(as_bob.get(f"/attempts/{attempt['id']}").body)
    grades = [{"question_id": str(q.id), "points": 1} for q in (scenario, short)]
    assert as_diana.post(f"/attempts/{attempt['id']}/grade", {"grades": grades}).status_code == 200
    final = as_bob.get(f"/attempts/{attempt['id']}").body
    seen.append(final)

    assert final["status"] == "failed" and final["score"] is not None
    for body in seen:
        assert "correct" not in set(keys(body))
        assert {"rubric", "accepted_answers", "suggested_points"}.isdisjoint(set(keys(body)))
        text = str(body)
        assert "SECRET-RUBRIC" not in text
        assert "SECRET-ACCEPTED" not in text
