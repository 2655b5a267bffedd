"""How a demo agent answers a drawn assessment, and how the reviewer grades it, so that the
attempt ends the way its journey says (a pass with a realistic score, a fail, a review)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from refairn.assessments import domain

_HUNDRED = Decimal(100)

# Free-text answers to reviewer-graded questions, by question type.
TEXT_ANSWERS = {
    domain.QuestionType.SCENARIO: (
        "I would acknowledge the customer's frustration first and restate the problem in one "
        "sentence so they know I understood it. Then I would check what I am allowed to handle: "
        "if it touches billing, refunds, account security or deletion I escalate it to Acme with "
        "the right category and tell the customer who handles it and what happens next. "
        "Otherwise I walk them through the fix and confirm it worked before closing.",
        "First I confirm the customer's account and plan, then I reproduce the issue from their "
        "description. I explain the cause in plain words, give the steps to fix it, and offer "
        "to stay on the ticket until it is confirmed. I would not promise anything only Acme "
        "can decide, such as credits or deadlines.",
    ),
    domain.QuestionType.PRACTICAL: (
        "Checked the request ID in the API logs: the calls fail with 429 after the burst limit. "
        "The integration retries immediately without backoff, so every retry is throttled too. "
        "Fix: honour the Retry-After header, add exponential backoff with jitter, and batch the "
        "writes. Verified with the customer's test workspace that the sync completes.",
        "Reproduced the SSO failure with the customer's metadata: the IdP signs assertions "
        "with a certificate that was rotated, and the old one is still configured in Acme. "
        "Asked the admin to upload the new certificate, retested sign-in for two users, and "
        "documented the steps in the ticket.",
    ),
    domain.QuestionType.SIMULATION: (
        "Let the customer finish without interrupting, named the feeling ('I can hear how much "
        "time this has cost you'), apologised for the experience without blaming anyone, and "
        "moved to what I can do now. When the language became abusive I set the boundary "
        "calmly once and offered to continue when we can keep it respectful.",
    ),
    domain.QuestionType.SHORT_ANSWER: ("Escalate it to Acme the same day.",),
}

FEEDBACK = {
    True: (
        "Clear structure and the right escalation path.",
        "Good: acknowledges the customer and stays within scope.",
        "Correct diagnosis; the steps are complete and in order.",
        "Calm, specific and professional throughout.",
    ),
    False: (
        "Misses the escalation: this must go to Acme, not be promised by the agent.",
        "The diagnosis stops at the symptom; check the logs before suggesting a fix.",
        "Too generic; the customer would not know what happens next.",
    ),
}


class Want(StrEnum):
    PASS = "pass"  # noqa: S105 - an intention, not a secret
    FAIL = "fail"
    REVIEW = "review"  # pass-worthy choices, reviewer-graded answers left for the queue
    FEW = "few"  # a few answers, then left open


@dataclass(frozen=True)
class Answer:
    question_id: str
    choice_ids: list[str] | None
    text: str | None


@dataclass
class AnswerSheet:
    answers: list[Answer] = field(default_factory=list)
    # What the reviewer gives each reviewer-graded question: points, or a simulation's 0-100.
    grades: dict[str, Decimal] = field(default_factory=dict)


def _awarded(question: domain.Question, given: Decimal) -> Decimal:
    if question.type is domain.QuestionType.SIMULATION:
        return (question.points * given / _HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return given


def _grade(question: domain.Question, quality: Decimal) -> Decimal:
    """The reviewer's grade for an answer of this ``quality`` (0..1)."""
    if question.type is domain.QuestionType.SIMULATION:
        return (_HUNDRED * quality).quantize(Decimal(1))
    return (question.points * quality * 2).quantize(Decimal(1)) / 2  # half points


def _wrong_choice(question: domain.Question) -> list[str]:
    return [next(c.id for c in question.choices if not c.correct)]


def answer_sheet(
    drawn: list[domain.Question], passing_score: Decimal, want: Want, rng: random.Random
) -> AnswerSheet:
    """Answers (in the drawn order) and reviewer grades that give ``want``: a pass scores
    between the passing score and 100% and never misses a critical question; a fail is below
    the passing score (or misses a critical question) however the reviewer grades."""
    choice = [q for q in drawn if q.type is domain.QuestionType.MULTIPLE_CHOICE]
    graded = [q for q in drawn if q.type is not domain.QuestionType.MULTIPLE_CHOICE]
    total = Decimal(sum(q.points for q in drawn))
    slack = total - passing_score * total / _HUNDRED  # points a pass may lose
    sheet = AnswerSheet()
    wrong: set[str] = set()
    if want is Want.FAIL:
        critical = [q for q in choice if q.critical]
        for q in graded:
            sheet.grades[q.id] = _grade(q, Decimal("0.4"))
        if critical:
            wrong = {q.id for q in rng.sample(critical, min(len(critical), rng.randint(1, 2)))}
        else:
            lost = sum((q.points - _awarded(q, sheet.grades[q.id]) for q in graded), Decimal(0))
            for q in rng.sample(choice, len(choice)):
                if lost > slack and rng.random() < 0.6:
                    break
                wrong.add(q.id)
                lost += q.points
    else:
        for q in graded:
            quality = Decimal(1) if q.critical else Decimal(rng.choice(("1", "0.9", "0.8")))
            sheet.grades[q.id] = _grade(q, quality)
        lost = sum((q.points - _awarded(q, sheet.grades[q.id]) for q in graded), Decimal(0))
        if lost > slack:  # this draw leaves no room: the agent answered those perfectly
            sheet.grades = {q.id: _grade(q, Decimal(1)) for q in graded}
            lost = Decimal(0)
        misses = rng.randint(0, max(0, int(slack - lost)))
        candidates = [q for q in choice if not q.critical]
        rng.shuffle(candidates)
        for q in candidates:
            if len(wrong) >= misses or lost + q.points > slack:
                continue
            wrong.add(q.id)
            lost += q.points
    answered = drawn if want is not Want.FEW else drawn[: max(1, len(drawn) // 3)]
    for q in answered:
        if q.type is domain.QuestionType.MULTIPLE_CHOICE:
            missed = q.id in wrong or (want is Want.FEW and rng.random() < 0.3)
            ids = _wrong_choice(q) if missed else sorted(q.correct_choice_ids)
            sheet.answers.append(Answer(q.id, ids, None))
        else:
            sheet.answers.append(Answer(q.id, None, rng.choice(TEXT_ANSWERS[q.type])))
    return sheet


def feedback_for(question: domain.Question, grade: Decimal, rng: random.Random) -> str:
    top = _HUNDRED if question.type is domain.QuestionType.SIMULATION else Decimal(question.points)
    return rng.choice(FEEDBACK[grade >= Decimal("0.75") * top])
