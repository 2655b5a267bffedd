from __future__ import annotations

from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_agent
from refairn.core.tenancy import Actor
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for
from tests.support import api_as


@pytest.fixture
def dana(business_a: Business) -> User:
    """A support agent of A whose support access is active since the start of 2026."""
    user = make_agent(business_a, "dana@a.test")
    support_facts.grant(business_a, user, at(2026, 1, 1))
    return user


@pytest.fixture
def owner(alice: User, business_a: Business) -> Actor:
    return actor_for(alice, business_a.id)


@pytest.fixture
def as_dana(dana: User) -> Any:
    return api_as(dana)
