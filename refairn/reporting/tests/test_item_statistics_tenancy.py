"""Issue 17: the item statistics of a business read its own attempt questions only, by the
``business`` each attempt question now carries; and the migration that added the column filled
it from the attempts, batch by batch, on a table that already had rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from refairn.assessments.models import AttemptQuestion
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from refairn.reporting.selectors.assessments import question_answers, question_counts

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)
BEFORE = ("assessments", "0007_question_versions")
ADDED = ("assessments", "0008_attemptquestion_business")


def _program(business: Business, right: int) -> list[str]:
    """One agent, one track of three questions, four graded attempts with ``right`` of the
    three answered right each time. Returns the question ids."""
    records = Records(business)
    agent = records.agent(f"Agent of {business.name}", joined_at=AS_OF - timedelta(days=400))
    track = records.track("Basics")
    questions = [records.question(track, prompt=f"Q{n}") for n in range(3)]
    certification = records.certified(agent, track, at=AS_OF - timedelta(days=300))
    for n in range(4):
        earned = [(q, Decimal(int(i < right))) for i, q in enumerate(questions)]
        records.attempt(
            certification,
            track,
            submitted_at=AS_OF - timedelta(days=200 - n),
            earned=earned,
            number=n + 1,
        )
    records.flush()
    return [str(q.id) for q in questions]


@pytest.mark.django_db
def test_a_business_counts_only_its_own_draws(business_a: Business, business_b: Business) -> None:
    mine = _program(business_a, right=3)
    theirs = _program(business_b, right=0)

    answers = question_answers(business_a, as_of=AS_OF)
    ranked = question_counts(business_a, as_of=AS_OF)

    for counts in (answers, ranked):
        assert sorted(str(q) for q in counts) == sorted(mine)
        assert {(c.answered, c.correct) for c in counts.values()} == {(4, 4)}
    assert question_counts(business_a, as_of=AS_OF, question_ids=[*theirs]) == {}
    # Every draw carries its attempt's business.
    assert not AttemptQuestion.objects.exclude(business_id=F("attempt__business_id")).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_each_draw_with_its_attempts_business(
    business_a: Business, business_b: Business, monkeypatch: pytest.MonkeyPatch
) -> None:
    _program(business_a, right=2)
    _program(business_b, right=1)
    expected = dict(AttemptQuestion.objects.values_list("id", "business_id"))
    assert len(expected) == 24

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    # Batches smaller than the table: five of them over the ids.
    migration = import_module("refairn.assessments.migrations." + ADDED[1])
    monkeypatch.setattr(migration, "BATCH", 5)
    executor = MigrationExecutor(connection)
    executor.migrate([ADDED])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(AttemptQuestion.objects.values_list("id", "business_id")) == expected
