"""The database's question counts give exactly ``assessments.domain.question_statistics``
(PRODUCT.md §4 analytics), ties and partial credit included."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from refairn.assessments.domain import QuestionResult, question_statistics
from refairn.assessments.models import Attempt
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from refairn.reporting.selectors.assessments import question_counts

pytestmark = pytest.mark.django_db

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)


def random_program(business: Business, seed: int) -> list[list[QuestionResult]]:
    """Forty attempts drawing four to seven of eight questions worth 1-3 points, earning
    half-points at random; many share a submission time, so ties fall to the attempt id. Returns
    the final attempts as the domain sees them, in hand-in order."""
    rng = random.Random(seed)
    records = Records(business)
    track = records.track("Track")
    agent = records.agent("Agent", joined_at=AS_OF - timedelta(days=400))
    certification = records.certified(agent, track, at=AS_OF - timedelta(days=300))
    questions = [
        records.question(track, prompt=f"Q{n}", points=rng.randint(1, 3)) for n in range(8)
    ]
    attempts = []
    for number in range(1, 41):
        drawn = rng.sample(questions, rng.randint(4, 7))
        earned = [(q, Decimal(rng.randint(0, 2 * q.points)) / 2) for q in drawn]
        submitted = AS_OF - timedelta(days=rng.randint(1, 5))
        attempt = records.attempt(
            certification, track, submitted_at=submitted, earned=earned, number=number
        )
        attempts.append((attempt, earned))
    late = records.attempt(
        certification, track, submitted_at=AS_OF + timedelta(days=1), earned=earned, number=41
    )
    records.flush()
    # Awaiting a reviewer, and graded after the instant: neither counts.
    Attempt.objects.filter(pk=attempts[0][0].pk).update(state=Attempt.State.SUBMITTED)
    assert late.graded_at > AS_OF
    final = sorted(attempts[1:], key=lambda pair: (pair[0].submitted_at, pair[0].id))
    return [
        [QuestionResult(str(q.id), q.points, False, value) for q, value in earned]
        for _, earned in final
    ]


@pytest.mark.parametrize("seed", range(4))
def test_counts_match_the_domain_statistics(business_a: Business, seed: int) -> None:
    expected = question_statistics(random_program(business_a, seed))

    counts = question_counts(business_a, as_of=AS_OF)

    assert {str(key) for key in counts} == set(expected)
    for question_id, stats in expected.items():
        found = next(c for key, c in counts.items() if str(key) == question_id)
        assert (found.answered, found.correct) == (stats.times_answered, stats.times_correct)
        assert found.percent_correct == stats.percent_correct
        assert found.discrimination == stats.discrimination, question_id


def test_counts_are_scoped_to_the_business(business_a: Business, business_b: Business) -> None:
    random_program(business_b, 9)

    assert question_counts(business_a, as_of=AS_OF) == {}
