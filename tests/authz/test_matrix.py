"""The authorization matrix (issue 18 item 7): every operation of the API, read from the route
table (the OpenAPI document Ninja builds from the routers, so a new endpoint joins by itself),
called by every role on the ids of the caller's own business and on those of another business.

Every cell is one call inside a transaction that is rolled back, against one fixture world
(``world.py``), with paths and bodies filled from that world. Its outcome is ``2xx`` or the
error status, and for a success the planted secrets the answer shows (``+cost``: annual cost
or revenue impact, ``+terms``: commission terms, ``+note``: an internal escalation note,
``+rule``: a routing rule's name). The table is compared with ``expected.txt``, one line per
operation and role. After a deliberate change of who may do what, rewrite it and review the
diff line by line before committing it:

    REFAIRN_AUTHZ_REGENERATE=1 scripts/test tests/authz -n 0

Whatever the file says, no role succeeds on another business's ids except through the few
operations that are not scoped to a business (``NOT_TENANT_SCOPED``), and the secrets reach only
the roles issue 18 item 6 names.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from refairn.api import api
from refairn.core import clock
from refairn.training.tests.modules import PDF, VIDEO
from refairn.webhooks import network
from tests.authz.world import ROLES, SECRETS, Tenant, World, build_world
from tests.support import T0, ApiClient, api_as

# The tests only read the table the module fixture builds; the mark has the test database made.
pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("expected.txt")
PREFIX = "/api/v1"

# A path parameter names the object of the collection before it.
COLLECTIONS = {
    "businesses": "b",
    "agents": "agent",
    "attempts": "attempt",
    "answers": "asked",
    "tracks": "track",
    "certifications": "support_track",
    "tickets": "ticket",
    "customers": "customer",
    "credentials": "credential",
    "questions": "question",
    "modules": "module",
    "performance-reviews": "review",
    "webhooks": "webhook",
    "deliveries": "delivery",
    "keys": "key",
    "status": "status_list",
    "commissions": "entry",
    "tokens": "token",
    "notifications": "notification",
    "invitations": "invitation",
}
# Where the world's usual object would only meet a state conflict: the one the action is for.
PATH_OVERRIDES = {
    "POST /businesses/{b}/agents/{a}/approve": {"a": "applicant"},
    "POST /businesses/{b}/agents/{a}/reject": {"a": "applicant"},
}

# Bodies that pass validation, so the call reaches the authorization; ``@name`` is the world's
# id of that name in the tenant the cell is about.
BODIES: dict[str, Any] = {
    "PUT /test-clock": {"now": "@later"},
    "POST /auth/signup": {
        "email": "newcomer@matrix.test",
        "password": "a-long-test-password",
        "name": "Newcomer",
    },
    "POST /auth/token": {"email": "@agent_email", "password": "a-long-test-password"},
    "POST /me/tokens": {"name": "matrix"},
    "POST /businesses": {"name": "Matrix Co"},
    "PATCH /businesses/{b}/settings": {"training_access": "on_request"},
    "POST /businesses/{b}/staff": {"email": "@spare_email", "role": "reviewer"},
    "POST /businesses/{b}/agents/{a}/reject": {"reason": "Not a fit for the program."},
    "POST /businesses/{b}/customers": {"name": "Fabrikam", "monthly_value": "50.00"},
    "POST /customers/{c}/cancel": {},
    "PUT /me/notification-preferences": {"email": {"support": "off"}},
    "POST /businesses/{b}/agents/{a}/certifications/{t}/decline": {"reason": "Not yet."},
    "POST /businesses/{b}/agents/{a}/certifications/{t}/revoke": {"reason": "Policy breach."},
    "POST /businesses/{b}/agents/{a}/certifications/{t}/reopen": {},
    "POST /businesses/{b}/agents/{a}/certifications/{t}/grant-attempts": {"count": 1},
    "PUT /attempts/{a}/answers/{q}": {"choice_ids": ["@choice"]},
    "POST /attempts/{a}/grade": {"grades": [], "decision": "pass"},
    "POST /credentials/verify": {"credential": "@credential_jwt"},
    "POST /businesses/{b}/tracks": {
        "name": "Matrix Track",
        "requirement": "optional",
        "passing_score": 80,
        "recertification_months": 12,
    },
    "POST /businesses/{b}/tracks/template": {"template": "support-standard"},
    "PATCH /tracks/{t}": {"description": "Updated by the matrix."},
    "POST /tracks/{t}/modules": {**VIDEO, "title": "Matrix video"},
    "PUT /modules/{m}/file": PDF,
    "POST /modules/{m}/progress": {"watched": [[0, 50]]},
    "PATCH /modules/{m}": {"title": "Edited by the matrix"},
    "PATCH /businesses/{b}/agents/{a}": {"support_level": "L2"},
    "POST /tracks/{t}/questions": {
        "type": "multiple_choice",
        "prompt": "Who resets passwords?",
        "choices": [
            {"text": "Security staff", "correct": True},
            {"text": "The agent", "correct": False},
        ],
    },
    "PUT /questions/{q}": {
        "type": "multiple_choice",
        "prompt": "Who resets passwords, now?",
        "choices": [
            {"text": "Security staff", "correct": True},
            {"text": "The agent", "correct": False},
        ],
    },
    "POST /tracks/{t}/questions/import": b"::Refunds:: Who decides? {=The business ~The agent}",
    "POST /businesses/{b}/agents/{a}/support-access": {"action": "suspend", "reason": "Matrix."},
    "PUT /customers/{c}/assignment": {"agent_id": "@other_agent"},
    "POST /businesses/{b}/tickets": {
        "customer_id": "@customer",
        "subject": "Export",
        "body": "Where is the export button?",
    },
    "POST /tickets/{t}/messages": {"body": "Thanks, we are on it."},
    "POST /tickets/{t}/messages/check": {"body": "Thanks, we are on it."},
    "POST /tickets/{t}/escalate": {"category": "billing_dispute", "note": "Matrix."},
    "POST /tickets/{t}/reassign": {"agent_id": "@other_agent"},
    "POST /tickets/{t}/rating": {
        "responsiveness": 5,
        "product_knowledge": 5,
        "professionalism": 5,
        "overall": 5,
    },
    "POST /businesses/{b}/agents/{a}/warnings": {"message": "Please answer faster."},
    "POST /businesses/{b}/performance-reviews/{r}/decide": {"outcome": "keep", "reason": "Ok."},
    "PUT /businesses/{b}/escalation-topics": {"categories": {"refund": ["money back"]}},
    "PUT /businesses/{b}/support-policy": {"unavailability_policy": "pause_intake"},
    "POST /businesses/{b}/unavailability": {"starts_at": "@later", "ends_at": "@much_later"},
    "POST /businesses/{b}/commission-runs": {"period": "2026-09"},
    "POST /businesses/{b}/commissions/{entry_id}/reversal": {
        "code": "customer_refunded",
        "note": "Refunded.",
    },
    "PUT /businesses/{b}/routing-rules": [{"name": "All", "require": {"min_certifications": 1}}],
    "POST /businesses/{b}/routing-rules/template": {"template": "support-standard"},
    "POST /businesses/{b}/webhooks": {"url": "https://hooks.matrix.test/new", "events": ["*"]},
    "PATCH /businesses/{b}/webhooks/{w}": {"events": ["certification.passed"]},
    "POST /businesses/{b}/invitations": {"email": "invitee@matrix.test", "role": "reviewer"},
    "POST /invitations/accept": {"token": "@invitation_token"},
}

# Operations that are not about one business's data: who may call them does not depend on the
# tenant (public documents, the caller's own account, applying to a program).
NOT_TENANT_SCOPED = {
    "GET /health",
    "GET /ready",
    "GET /test-clock",
    "PUT /test-clock",
    "POST /auth/signup",
    "POST /auth/token",
    "GET /me",
    "GET /me/tokens",
    "POST /me/tokens",
    "GET /me/notifications",
    "GET /me/notification-preferences",
    "PUT /me/notification-preferences",
    "GET /me/commissions",
    "POST /businesses",
    "POST /businesses/{b}/agents",
    "GET /businesses/{b}/jwks.json",
    "GET /businesses/{b}/keys/{k}",
    "GET /businesses/{b}/issuer",
    "GET /businesses/{b}/credentials/status/{n}",
    "GET /credentials/{c}/status",
    "POST /credentials/verify",
    "GET /agents/{a}/profile",
    # Whoever holds an invitation's mailed token accepts it for their own account.
    "POST /invitations/accept",
}
# Who may see each planted secret (issue 18 item 6).
SECRET_READERS = {
    "cost": {"owner", "manager"},
    "terms": {"owner", "manager"},
    "note": {"owner", "manager", "reviewer", "security", "agent"},
    "rule": {"owner", "manager", "reviewer", "security", "agent"},
}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path without the prefix, operation) for every operation of the route table."""
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    return [
        (method.upper(), path.removeprefix(PREFIX), operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def concrete_path(key: str, path: str, ids: dict[str, str]) -> str:
    overrides = PATH_OVERRIDES.get(key, {})
    parts = path.split("/")
    for i, part in enumerate(parts):
        match = re.fullmatch(r"\{(\w+)\}", part)
        if match:
            name, collection = match[1], parts[i - 1]
            if name not in overrides and collection not in COLLECTIONS:
                raise AssertionError(
                    f"{key}: a new kind of object; add /{collection}/ to COLLECTIONS and an "
                    "object of it to the world (world.py)"
                )
            parts[i] = ids[overrides.get(name) or COLLECTIONS[collection]]
    return "/".join(parts)


def _content(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", "replace")


def outcome(response: Any) -> str:
    if not 200 <= response.status_code < 300:
        return str(response.status_code)
    text = _content(response)
    shown = [flag for flag, marks in SECRETS.items() if any(m in text for m in marks)]
    return "+".join(["2xx", *shown])


def call(client: ApiClient, method: str, path: str, operation: dict[str, Any], body: Any) -> Any:
    if isinstance(body, bytes):
        content_type = next(iter(operation["requestBody"]["content"]))
        headers = {"HTTP_AUTHORIZATION": f"Bearer {client.token}"} if client.token else {}
        send = getattr(client.client, method.lower())
        return send(f"{PREFIX}{path}", data=body, content_type=content_type, **headers)
    if method in {"GET", "DELETE"} or body is None:
        return client.call(method, path)
    return client.call(method, path, body)


def cell(client: ApiClient, key: str, operation: dict[str, Any], tenant: Tenant) -> str:
    method, path = key.split(" ", 1)
    target = concrete_path(key, path, tenant.ids)
    body = _fill(BODIES.get(key), tenant.ids)
    if body is None and "requestBody" in operation:
        body = {}
    with transaction.atomic():
        try:
            return outcome(call(client, method, target, operation, body))
        finally:
            transaction.set_rollback(True)


def run_matrix(world: World) -> dict[tuple[str, str], tuple[str, str]]:
    clients = {role: api_as(world.user(role)) for role in ROLES}
    table = {}
    for method, path, operation in operations():
        key = f"{method} {path}"
        for role in ROLES:
            client = clients[role]
            table[key, role] = (
                cell(client, key, operation, world.own),
                cell(client, key, operation, world.other),
            )
    return table


def render(table: dict[tuple[str, str], tuple[str, str]]) -> list[str]:
    lines = [
        "# Generated by tests/authz/test_matrix.py; see its docstring before editing.",
        f"# {'operation':<63} {'role':<15} {'own':<16} other business",
    ]
    for (key, role), (own, other) in table.items():
        lines.append(f"{key:<65} {role:<15} {own:<16} {other}".rstrip())
    return lines


@pytest.fixture(scope="module")
def matrix(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[Any, tuple[str, str]]]:
    """Built once: the world is made in a transaction rolled back after the module."""
    with django_db_blocker.unblock(), clock.frozen(T0), pytest.MonkeyPatch.context() as patch:
        # Webhook receivers resolve to a public address and are never really called.
        patch.setattr(network, "resolve", lambda host, port: ["93.184.216.34"])
        patch.setattr(network, "post", lambda url, body, headers: network.Outcome(200, "", 1))
        with transaction.atomic():
            table = run_matrix(build_world())
            transaction.set_rollback(True)
    yield table


def test_every_cell_answers_as_the_committed_table_says(
    matrix: dict[Any, tuple[str, str]],
) -> None:
    actual = render(matrix)
    if os.environ.get("REFAIRN_AUTHZ_REGENERATE"):
        EXPECTED.write_text("\n".join(actual) + "\n")
    expected = EXPECTED.read_text().splitlines()
    diff = list(difflib.unified_diff(expected, actual, "expected.txt", "actual", lineterm=""))
    assert not diff, "\n".join(diff)


def test_no_cell_is_a_server_error(matrix: dict[Any, tuple[str, str]]) -> None:
    failed = [f"{key} {role}" for (key, role), cells in matrix.items() if "500" in cells]
    assert not failed, "\n".join(failed)


def test_no_role_succeeds_on_another_business(matrix: dict[Any, tuple[str, str]]) -> None:
    granted = [
        f"{key} {role}: {other}"
        for (key, role), (_, other) in matrix.items()
        if key not in NOT_TENANT_SCOPED and other.startswith("2xx")
    ]
    granted += [
        f"{key} outsider: {own}"
        for (key, role), (own, _) in matrix.items()
        if role == "outsider" and key not in NOT_TENANT_SCOPED and own.startswith("2xx")
    ]
    assert not granted, "\n".join(granted)


def test_secrets_reach_only_their_readers(matrix: dict[Any, tuple[str, str]]) -> None:
    leaks = [
        f"{key} {role}: {flag}"
        for (key, role), answers in matrix.items()
        for answer in answers
        for flag in answer.split("+")[1:]
        if role not in SECRET_READERS[flag]
    ]
    assert not leaks, "\n".join(leaks)


def test_bodies_reach_the_authorization(matrix: dict[Any, tuple[str, str]]) -> None:
    """A body the owner's own call refuses as invalid would hide who may do what."""
    invalid = [key for (key, role), (own, _) in matrix.items() if role == "owner" and own == "422"]
    assert not invalid, "\n".join(invalid)


def test_bodies_and_exemptions_name_live_operations() -> None:
    live = {f"{method} {path}" for method, path, _ in operations()}
    assert not set(BODIES) - live, "a body for an operation that no longer exists"
    assert not NOT_TENANT_SCOPED - live, "an exemption for an operation that no longer exists"
