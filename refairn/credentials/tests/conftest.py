from __future__ import annotations

from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from refairn.accounts.models import User
from refairn.certification.models import Certification
from refairn.credentials.models import Credential
from refairn.credentials.services import credential_issue
from refairn.programs.models import Agent, Business
from tests.support import T0, ApiClient, make_user

TRACK = {
    "name": "Product Fundamentals",
    "description": "Core product knowledge for support agents.",
    "requirement": "required",
    "prerequisite_ids": [],
    "passing_score": 80,
    "recertification_months": 12,
    "badge": {"name": "Product Expert", "icon": "📘"},
    "assessment": {"mode": "fixed", "question_count": 10, "time_limit_minutes": 30},
}


def make_track(owner: ApiClient, business: Business, **overrides: Any) -> str:
    """Through the API, so these tests do not depend on where the Track model lives."""
    response = owner.post(f"/businesses/{business.id}/tracks", {**TRACK, **overrides})
    assert response.status_code == 201, response.content
    return str(response.body["id"])


def certify(business: Business, track_id: str, agent: User, at: Any = T0) -> Certification:
    """A certification as the certification flow leaves it after approval."""
    return Certification.objects.create(
        business=business,
        track_id=track_id,
        agent=agent,
        status="certified",
        certified_at=at,
        expires_at=at + relativedelta(months=12),
    )


@pytest.fixture
def track_id(as_alice: ApiClient, business_a: Business) -> str:
    return make_track(as_alice, business_a)


@pytest.fixture
def certification(business_a: Business, track_id: str, bob: User) -> Certification:
    return certify(business_a, track_id, bob)


@pytest.fixture
def issued(certification: Certification) -> Credential:
    return credential_issue(certification=certification)


@pytest.fixture
def dora(business_a: Business) -> User:
    """Another approved agent of business A."""
    user = make_user("dora@a.test", "Dora Agent")
    Agent.objects.create(business=business_a, user=user, status="approved")
    return user
