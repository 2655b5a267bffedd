import random
from decimal import Decimal

import pytest

from refairn.assessments import domain
from refairn.assessments.gift import parse_gift, question_from_gift
from refairn.assessments.services import new_choice_ids
from refairn.demo.answers import Want, answer_sheet
from refairn.demo.program import CONTENT, CONTENT_STEMS
from refairn.training.standard_tracks import SUPPORT_STANDARD

TEMPLATES = {entry.key: entry for entry in SUPPORT_STANDARD}


def bank(key: str) -> list[domain.Question]:
    parsed = parse_gift((CONTENT / f"{CONTENT_STEMS[key]}.gift").read_text())
    return [
        question_from_gift(q, question_id=str(n), choice_ids=new_choice_ids(len(q.answers)))
        for n, q in enumerate(parsed)
    ]


def graded_score(
    drawn: list[domain.Question], passing: Decimal, want: Want, rng: random.Random
) -> domain.ScoreResult:
    """The attempt's score once it is answered and graded as the answer sheet says."""
    sheet = answer_sheet(drawn, passing, want, rng)
    answers = {a.question_id: a for a in sheet.answers}
    results = []
    for question in drawn:
        answer = answers.get(question.id)
        if question.type is domain.QuestionType.MULTIPLE_CHOICE:
            earned = domain.grade_choices(question, answer.choice_ids if answer else None)
        else:
            earned = domain.apply_grade(question, sheet.grades.get(question.id, Decimal(0)))
        results.append(domain.QuestionResult.of(question, earned))
    return domain.score(results)


@pytest.mark.parametrize("key", list(CONTENT_STEMS))
def test_every_bank_holds_a_whole_assessment(key: str) -> None:
    assert len(bank(key)) >= TEMPLATES[key].question_count


@pytest.mark.parametrize("key", list(CONTENT_STEMS))
@pytest.mark.parametrize("want", [Want.PASS, Want.REVIEW, Want.FAIL])
def test_answer_sheets_end_the_way_the_journey_says(key: str, want: Want) -> None:
    questions, template = bank(key), TEMPLATES[key]
    for seed in range(40):
        rng = random.Random(seed)
        drawn = domain.draw_questions(questions, template.question_count, rng)
        result = graded_score(drawn, template.passing_score, want, rng)
        assert domain.passed(result, template.passing_score) is (want is not Want.FAIL), seed
