"""Fixtures shared by every app's tests.

STYLE.md: ``alice`` owns business A, ``bob`` is an approved agent in A, ``charlie`` owns
business B and must get 404 on everything of A. ``manager``, ``reviewer`` and
``security_officer`` hold those staff roles in A.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from refairn.accounts.models import User
from refairn.core import clock
from refairn.programs.models import Agent, Business
from refairn.programs.services import business_create
from tests.support import T0, ApiClient, api_as, make_staff, make_user

# Property tests judge behaviour, not speed: on a loaded 2-core CI machine a per-example
# deadline only produces flaky failures. Speed is measured by the benchmarks in bench/.
hypothesis_settings.register_profile(
    "refairn", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("refairn")


@pytest.fixture(autouse=True)
def _frozen_clock() -> Any:
    """Tests run at a fixed, known time unless they move the clock themselves."""
    with clock.frozen(T0):
        yield


@pytest.fixture
def alice(db: Any) -> User:
    return make_user("alice@a.test", "Alice Owner")


@pytest.fixture
def business_a(alice: User) -> Business:
    return business_create(user=alice, name="Business A")


@pytest.fixture
def bob(business_a: Business) -> User:
    user = make_user("bob@a.test", "Bob Agent")
    Agent.objects.create(business=business_a, user=user, status="approved")
    return user


@pytest.fixture
def manager(business_a: Business) -> User:
    return make_staff(business_a, "max@a.test", "manager", "Max Manager")


@pytest.fixture
def reviewer(business_a: Business) -> User:
    return make_staff(business_a, "rita@a.test", "reviewer", "Rita Reviewer")


@pytest.fixture
def security_officer(business_a: Business) -> User:
    return make_staff(business_a, "sam@a.test", "security", "Sam Security")


@pytest.fixture
def charlie(db: Any) -> User:
    return make_user("charlie@b.test", "Charlie Other")


@pytest.fixture
def business_b(charlie: User) -> Business:
    return business_create(user=charlie, name="Business B")


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient(Client())


@pytest.fixture
def as_alice(alice: User, business_a: Business) -> ApiClient:
    return api_as(alice)


@pytest.fixture
def as_bob(bob: User) -> ApiClient:
    return api_as(bob)


@pytest.fixture
def as_charlie(charlie: User, business_b: Business) -> ApiClient:
    return api_as(charlie)


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """``commits(call, *args)``: make the call and run what it left for after its commit (mails
    leave only once their transaction commits)."""

    def run(call: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


# Fixtures through which a test reaches the test database: pytest-django's, and
# ``django_db_setup``, which the module fixtures that load data once ask for.
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``REFAIRN_TESTS_DATABASE_ONLY=1`` keeps only the tests that use the test database: CI's
    second run, on PostgreSQL, after the whole suite ran on SQLite. The others (the unit
    tests, and the process tests that make their own SQLite file) give the same answer
    whichever engine ``DATABASE_URL`` names; pytest-django refuses a database query from any
    of them, so none can pass here without the database it never reaches."""
    if os.environ.get("REFAIRN_TESTS_DATABASE_ONLY") != "1":
        return
    kept, left = [], []
    for item in items:
        uses = item.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(
            getattr(item, "fixturenames", ())
        )
        (kept if uses else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
