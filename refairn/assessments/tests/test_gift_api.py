from typing import Any

import pytest

from refairn.assessments.models import Question
from refairn.assessments.tests.factories import make_track
from tests.support import assert_problem

pytestmark = pytest.mark.django_db

GIFT = """$CATEGORY: Escalation

// refairn: type=multiple_choice points=2 critical=true
::Billing::Who handles a billing dispute? {
  ~The agent#No: agents never judge charges.
  =The business#Yes: escalate it.
}

What do you escalate? {=billing dispute =refund}

// refairn: type=simulation points=5
// refairn-rubric: Greets the customer.
// refairn-rubric: keywords: apology, refund
Role-play an angry customer. {}
"""


def import_(client: Any, track: Any, text: str | bytes) -> Any:
    return client.post(f"/tracks/{track.id}/questions/import", text, CONTENT_TYPE="text/plain")


def test_import_creates_the_questions(as_alice: Any, track: Any) -> None:
    response = import_(as_alice, track, GIFT)

    assert response.status_code == 201, response.body
    assert response.body == {"imported": 3}
    mc, short, simulation = Question.objects.filter(track=track).order_by("created_at")
    assert (mc.type, mc.title, mc.points, mc.critical, mc.topic) == (
        "multiple_choice",
        "Billing",
        2,
        True,
        "Escalation",
    )
    assert mc.choices == [
        {
            "id": "a",
            "text": "The agent",
            "correct": False,
            "feedback": "No: agents never judge charges.",
        },
        {"id": "b", "text": "The business", "correct": True, "feedback": "Yes: escalate it."},
    ]
    assert short.type == "short_answer"
    assert [c["text"] for c in short.choices] == ["billing dispute", "refund"]
    assert simulation.type == "simulation"
    assert simulation.rubric == "Greets the customer.\nkeywords: apology, refund"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Fine {=a ~b}\n\nBroken {=a ~b\n", 3),
        ("Fine {=a ~b}\n\n\nMatch {=a -> b =c -> d}\n", 4),
        ("Q1 {=a ~b}\n\n// refairn: points=lots\nQ2 {=a ~b}\n", 3),
        ("Q1 {=a ~b}\n\nQ2 {\n=a\n~%200%b\n}\n", 5),
        ("Q1 {=a ~b}\n\n// refairn: points=1001\nQ2 {=a ~b}\n", 3),
        ("Q1 {=a ~b}\n\n\n::" + "t" * 201 + "::Q2 {=a ~b}\n", 4),
        # The JSON API's limits (assessments.domain.limits) hold for a file too.
        ("Q1 {=a ~b}\n\n" + "p" * 20_001 + " {=a ~b}\n", 3),
        ("Q1 {=a ~b}\n\nQ2 {=a " + " ".join(f"~w{n}" for n in range(50)) + "}\n", 3),
        ("Q1 {=a ~b}\n\nQ2 {=" + "a" * 2_001 + " ~b}\n", 3),
        ("Q1 {=a ~b}\n\nQ2 {=a#" + "f" * 2_001 + " ~b}\n", 3),
        ("Q1 {=a ~b}\n\nQ2 {=a ~b}\n\nQ3 {=a\x00 ~b}\n", 5),
    ],
)
def test_a_bad_gift_file_names_its_line_and_imports_nothing(
    as_alice: Any, track: Any, text: str, line: int
) -> None:
    response = import_(as_alice, track, text)

    assert_problem(response, 422, "invalid_gift")
    assert response.body["line"] == line
    assert f"line {line}" in response.body["detail"]
    assert not Question.objects.exists()


def test_a_body_that_is_not_utf8_is_refused(as_alice: Any, track: Any) -> None:
    response = import_(as_alice, track, "Q1 {=a ~b}\n\nQ2 {=caf\xe9 ~b}\n".encode("latin-1"))

    assert_problem(response, 422, "invalid_gift")
    assert response.body["line"] == 3
    assert not Question.objects.exists()


def test_an_empty_file_is_refused(as_alice: Any, track: Any) -> None:
    assert_problem(import_(as_alice, track, "// nothing here\n"), 422, "invalid_gift")


@pytest.mark.parametrize("who", ["as_bob", "as_diana"])
def test_only_owners_and_managers_import(request: Any, who: str, track: Any) -> None:
    assert_problem(import_(request.getfixturevalue(who), track, GIFT), 403, "forbidden")
    assert not Question.objects.exists()


def test_other_tenants_cannot_import(as_charlie: Any, track: Any) -> None:
    assert_problem(import_(as_charlie, track, GIFT), 404, "not_found")
    assert not Question.objects.exists()


def test_export_is_gift_text(as_alice: Any, track: Any) -> None:
    import_(as_alice, track, GIFT)

    response = as_alice.get(f"/tracks/{track.id}/questions/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "$CATEGORY: Escalation" in text
    assert "// refairn: type=simulation points=5 critical=false" in text
    assert "::Billing::Who handles a billing dispute?" in text


def comparable(question: Question) -> tuple[Any, ...]:
    return (
        question.type,
        question.title,
        question.prompt,
        question.choices,
        question.points,
        question.critical,
        question.topic,
        question.rubric,
    )


def test_export_then_import_gives_the_same_bank(as_alice: Any, track: Any, business_a: Any) -> None:
    questions = [
        {
            "type": "multiple_choice",
            "prompt": "Pick {two} = #1 ~ of: these",
            "title": "a::b",
            "choices": [
                {"text": "x = y", "correct": True, "feedback": "good # one"},
                {"text": "%50% z", "correct": True},
                {"text": "~w", "correct": False, "feedback": "bad\nline"},
            ],
            "points": 3,
            "critical": True,
            "topic": "Topic one",
        },
        {
            "type": "short_answer",
            "prompt": "Name it",
            "topic": "Topic one",
            "choices": [{"text": "billing team", "correct": True}],
        },
        {
            "type": "practical",
            "prompt": "Do this\nthen that",
            "rubric": "line 1\n  line 2",
            "topic": "Other",
        },
        {"type": "scenario", "prompt": "// not a comment", "points": 4},
    ]
    for body in questions:
        assert as_alice.post(f"/tracks/{track.id}/questions", body).status_code == 201
    exported = as_alice.get(f"/tracks/{track.id}/questions/export").content
    copy = make_track(business_a, name="Copy")

    assert import_(as_alice, copy, exported).body == {"imported": 4}

    originals = sorted(comparable(q) for q in Question.objects.filter(track=track))
    copies = sorted(comparable(q) for q in Question.objects.filter(track=copy))
    assert copies == originals


def test_retired_questions_are_not_exported(as_alice: Any, track: Any) -> None:
    import_(as_alice, track, GIFT)
    Question.objects.filter(type="simulation").update(active=False)

    text = as_alice.get(f"/tracks/{track.id}/questions/export").content.decode()

    assert "Role-play" not in text


@pytest.mark.parametrize("who", ["as_bob", "as_diana"])
def test_only_owners_and_managers_export(request: Any, who: str, track: Any) -> None:
    assert_problem(
        request.getfixturevalue(who).get(f"/tracks/{track.id}/questions/export"), 403, "forbidden"
    )


def test_other_tenants_cannot_export(as_charlie: Any, track: Any) -> None:
    assert_problem(as_charlie.get(f"/tracks/{track.id}/questions/export"), 404, "not_found")
