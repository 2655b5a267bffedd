"""Fixtures for the assessment tests: a track of business A with a question bank, training
open to every approved agent, and a reviewer (diana) beside alice, bob and charlie."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.assessments.models import Question
from refairn.assessments.tests.factories import make_track, mc, set_program
from refairn.programs.models import Business, StaffMembership
from refairn.training.models import Track
from tests.support import ApiClient, api_as, make_user


@pytest.fixture
def track(business_a: Business) -> Track:
    set_program(business_a, training_access="automatic")
    return make_track(business_a)


@pytest.fixture
def bank(track: Track) -> list[Question]:
    return [mc(track, f"Question {n}", right="abc"[n % 3]) for n in range(4)]


@pytest.fixture
def diana(business_a: Business) -> User:
    user = make_user("diana@a.test", "Diana Reviewer")
    StaffMembership.objects.create(business=business_a, user=user, role="reviewer")
    return user


@pytest.fixture
def as_diana(diana: User) -> ApiClient:
    return api_as(diana)


@pytest.fixture
def start(as_bob: ApiClient, track: Track) -> Callable[[], Any]:
    """Bob starts an attempt at ``track``; returns the 201 body."""

    def run() -> Any:
        response = as_bob.post(f"/tracks/{track.id}/attempts")
        assert response.status_code == 201, response.body
        return response.body

    return run
