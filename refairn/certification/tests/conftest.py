from __future__ import annotations

from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.certification.tests.journeys import make_track
from refairn.core import clock
from refairn.programs.models import Business, StaffMembership
from refairn.training.models import Track
from tests.support import make_user


@pytest.fixture
def track(business_a: Business, alice: User) -> Track:
    return make_track(business_a, alice)


@pytest.fixture
def reviewer(business_a: Business) -> User:
    user = make_user("rita@a.test", "Rita Reviewer")
    StaffMembership.objects.create(business=business_a, user=user, role="reviewer")
    return user


@pytest.fixture
def manager(business_a: Business) -> User:
    user = make_user("max@a.test", "Max Manager")
    StaffMembership.objects.create(business=business_a, user=user, role="manager")
    return user


@pytest.fixture
def unfrozen() -> Any:
    """The stored test clock is read only when no in-process override is active."""
    token = clock._override.set(None)
    yield
    clock._override.reset(token)
