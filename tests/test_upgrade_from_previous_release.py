"""A database created by the previous release migrates forward with its rows intact (issue 10:
``Track`` moved to training, support access to support, attempts stopped pointing at their
certification, routing decisions refer to their ticket by id).

The test rewinds the test database to the previous release's migrations, writes rows through
the models as they were then (Django's historical models), migrates forward, and reads them
back through today's models.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The leaf migrations of the previous release (main before issue 10), and the apps it did not
# have yet.
PREVIOUS_RELEASE = [
    ("accounts", "0001_initial"),
    ("assessments", "0002_attemptquestion_matched_keywords"),
    ("certification", "0002_grants_and_reminders"),
    ("commissions", "0002_append_only_triggers"),
    ("core", "0001_initial"),
    ("notifications", "0001_initial"),
    ("programs", "0001_initial"),
    ("routing", "0001_initial"),
    ("support", "0003_access_event_fields_as_transition_record"),
    ("training", "0001_initial"),
    ("credentials", None),
    ("webhooks", None),
]
AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db(transaction=True)


def _latest(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def previous_release() -> Iterator[Apps]:
    """The database as the previous release left it; migrated back to today afterwards."""
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    executor.migrate(PREVIOUS_RELEASE)
    executor.loader.build_graph()
    existing = [(app, name) for app, name in PREVIOUS_RELEASE if name is not None]
    yield executor.loader.project_state(existing).apps
    executor = MigrationExecutor(connection)
    executor.migrate(latest)


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(_latest(executor))


def _old_rows(old: Apps) -> dict[str, Any]:
    """A small program as the previous release stored it."""
    User = old.get_model("accounts", "User")
    Business = old.get_model("programs", "Business")
    Agent = old.get_model("programs", "Agent")
    Customer = old.get_model("programs", "Customer")
    Track = old.get_model("certification", "Track")
    Certification = old.get_model("certification", "Certification")
    Module = old.get_model("training", "Module")
    Question = old.get_model("assessments", "Question")
    Attempt = old.get_model("assessments", "Attempt")
    Ticket = old.get_model("support", "Ticket")
    RoutingDecision = old.get_model("routing", "RoutingDecision")

    def user(email: str) -> Any:
        return User.objects.create(id=uuid.uuid4(), email=email, name=email.split("@")[0])

    owner = user("owner@old.test")
    business = Business.objects.create(
        id=uuid.uuid4(), name="Old Co", slug="old-co", settings={}, created_at=AT
    )
    agents = {
        status: user(f"{status}@old.test")
        for status in ("none", "requested", "active", "suspended", "removed")
    }
    for status, agent in agents.items():
        Agent.objects.create(
            business=business, user=agent, status="approved", support_access=status
        )
    basics = Track.objects.create(
        id=uuid.uuid4(),
        business=business,
        name="Basics",
        requirement="required",
        passing_score=Decimal("80"),
        recertification_months=12,
        badge_name="Basics",
        question_count=1,
        time_limit_minutes=30,
    )
    advanced = Track.objects.create(
        id=uuid.uuid4(),
        business=business,
        name="Advanced",
        requirement="optional",
        passing_score=Decimal("70"),
        recertification_months=6,
        badge_name="Advanced",
        question_count=1,
        time_limit_minutes=30,
    )
    advanced.prerequisites.add(basics)
    active = agents["active"]
    certification = Certification.objects.create(
        business=business,
        track=basics,
        agent=active,
        status="certified",
        certified_at=AT,
        expires_at=AT + timedelta(days=365),
        cycle=2,
    )
    module = Module.objects.create(
        id=uuid.uuid4(), business=business, track=basics, title="Intro", format="faq"
    )
    question = Question.objects.create(
        id=uuid.uuid4(), business=business, track=basics, type="short_answer", prompt="Why?"
    )
    attempt = Attempt.objects.create(
        id=uuid.uuid4(),
        business=business,
        track=basics,
        certification=certification,
        agent=active,
        state="graded",
        cycle=2,
        number=1,
        started_at=AT,
        deadline=AT + timedelta(minutes=30),
        outcome="passed",
    )
    customer = Customer.objects.create(
        id=uuid.uuid4(),
        business=business,
        name="Acme",
        monthly_value=Decimal("100.00"),
        subscribed_at=AT,
        created_at=AT,
    )
    ticket = Ticket.objects.create(
        id=uuid.uuid4(),
        business=business,
        customer=customer,
        subject="Cannot log in",
        body="Help",
        assigned_agent=active,
        created_at=AT,
        first_response_due_at=AT + timedelta(hours=24),
        resolution_due_at=AT + timedelta(hours=72),
    )
    RoutingDecision.objects.create(
        id=uuid.uuid4(),
        ticket=ticket,
        business=business,
        rule_name="Security",
        pool_size=1,
        by_certification=True,
        agent=active,
        reason="certified",
        at=AT,
    )
    return {
        "owner": owner.id,
        "business": business.id,
        "agents": {status: agent.id for status, agent in agents.items()},
        "tracks": (basics.id, advanced.id),
        "certification": certification.pk,
        "module": module.id,
        "question": question.id,
        "attempt": attempt.id,
        "ticket": ticket.id,
    }


def test_a_database_of_the_previous_release_migrates_forward_intact(
    previous_release: Apps,
) -> None:
    old = _old_rows(previous_release)
    _migrate_to_latest()

    from django.contrib.contenttypes.models import ContentType

    from refairn.assessments.models import Attempt, Question
    from refairn.certification.models import Certification
    from refairn.routing.models import RoutingDecision
    from refairn.support.models import SupportAccess
    from refairn.training.models import LibraryAccess, Module, Track

    basics_id, advanced_id = old["tracks"]
    basics, advanced = Track.objects.get(pk=basics_id), Track.objects.get(pk=advanced_id)
    assert (basics.name, basics.recertification_months) == ("Basics", 12)
    assert list(advanced.prerequisites.all()) == [basics]
    assert Module.objects.get(pk=old["module"]).track == basics
    assert Question.objects.get(pk=old["question"]).track == basics
    certification = Certification.objects.get(pk=old["certification"])
    assert (certification.track, certification.status, certification.cycle) == (
        basics,
        "certified",
        2,
    )
    attempt = Attempt.objects.get(pk=old["attempt"])
    assert (attempt.track, attempt.agent_id, attempt.cycle, attempt.number) == (
        basics,
        old["agents"]["active"],
        2,
        1,
    )
    assert not ContentType.objects.filter(app_label="certification", model="track").exists()

    access = dict(
        SupportAccess.objects.filter(business_id=old["business"]).values_list("agent_id", "status")
    )
    agents = old["agents"]
    assert access == {agents[s]: s for s in ("requested", "active", "suspended", "removed")}
    library = set(
        LibraryAccess.objects.filter(business_id=old["business"], open=True).values_list(
            "agent_id", flat=True
        )
    )
    assert library == {agents["requested"], agents["active"], agents["suspended"]}

    decision = RoutingDecision.objects.get(ticket_id=old["ticket"])
    assert (decision.subject, decision.rule_name) == ("Cannot log in", "Security")
