"""STYLE.md: assume every service runs twice at once. Two starts of the same assessment at the
same moment must leave exactly one open attempt."""

import threading

import pytest
from django.db import connection

from refairn.assessments.models import Attempt
from refairn.assessments.tests.factories import make_track, mc, set_program
from refairn.certification.services import attempt_start
from refairn.core import clock
from refairn.core.errors import Conflict
from refairn.programs.models import Agent
from refairn.programs.selectors import actor_for
from refairn.programs.services import business_create
from tests.support import T0, make_user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_starts_open_one_attempt() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers, so the race cannot happen; run on PostgreSQL")
    owner = make_user("owner@race.test")
    business = business_create(user=owner, name="Race")
    set_program(business, training_access="automatic")
    agent = make_user("agent@race.test")
    Agent.objects.create(business=business, user=agent, status="approved")
    track = make_track(business, question_count=2)
    for n in range(3):
        mc(track, f"Q{n}")
    actor = actor_for(agent, business.id)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        try:
            with clock.frozen(T0):
                barrier.wait()
                attempt_start(actor=actor, track=track)
            outcomes.append("started")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["attempt_in_progress", "started"]
    assert Attempt.objects.filter(track=track, agent=agent).count() == 1
