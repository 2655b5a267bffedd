"""Test support shared by every test: the reference time, a JSON API client, users and problem
assertions. It lives outside the package: nothing here ships."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.test import Client

from refairn.accounts.models import User
from refairn.accounts.services import token_issue
from refairn.programs.models import Agent, Business, StaffMembership
from refairn.support.domain.access import AccessStatus, opens_training
from refairn.support.models import SupportAccess
from refairn.training.models import LibraryAccess

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


@dataclass
class ApiClient:
    """A JSON client for /api/v1 acting as one user (or nobody)."""

    client: Client
    token: str | None = None
    user: User | None = None

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        if method in {"GET", "DELETE"}:
            data = None
        elif isinstance(body, str | bytes):
            data = body
        else:
            data = json.dumps(body) if body is not None else None
        response = getattr(self.client, method.lower())(
            f"/api/v1{path}", data=data, content_type="application/json", **headers, **extra
        )
        if response.streaming:  # an export: the test reads ``streaming_content``
            response.body = None
            return response
        response.body = (
            response.json() if response.content and "json" in response["Content-Type"] else None
        )
        return response

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, body if body is not None else {}, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("PUT", path, body if body is not None else {}, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("PATCH", path, body if body is not None else {}, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.call("DELETE", path, **kw)


def make_user(email: str, name: str | None = None) -> User:
    password = "a-long-test-password"
    return User.objects.create_user(email=email, password=password, name=name or email)


def make_staff(business: Business, email: str, role: str, name: str | None = None) -> User:
    """A user holding one staff role in ``business``."""
    user = make_user(email, name)
    StaffMembership.objects.create(business=business, user=user, role=role)
    return user


def set_support_access(agent: User, status: str, *, business: Business | None = None) -> None:
    """Test set-up: put an agent's support access straight into the tables (with the training
    library following it, as ``support.services.access`` keeps it), in ``business`` or in every
    program the agent belongs to. The services are what the tests exercise."""
    memberships = Agent.objects.filter(user=agent)
    if business is not None:
        memberships = memberships.filter(business=business)
    for business_id in memberships.values_list("business_id", flat=True):
        SupportAccess.objects.update_or_create(
            business_id=business_id, agent=agent, defaults={"status": status}
        )
        LibraryAccess.objects.update_or_create(
            business_id=business_id,
            agent=agent,
            defaults={"open": opens_training(AccessStatus(status))},
        )


def support_access_of(agent: User, *, business: Business | None = None) -> str:
    """The agent's support access in ``business`` (or their only program)."""
    memberships = Agent.objects.filter(user=agent)
    if business is not None:
        memberships = memberships.filter(business=business)
    business_id = memberships.values_list("business_id", flat=True).get()
    status = (
        SupportAccess.objects.filter(business_id=business_id, agent=agent)
        .values_list("status", flat=True)
        .first()
    )
    return status or AccessStatus.NONE.value


def api_as(user: User | None) -> ApiClient:
    return ApiClient(Client(), token_issue(user=user) if user else None, user)


def assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.body["code"] == code
    assert response.body["status"] == status
    assert {"type", "title", "detail"} <= response.body.keys()
